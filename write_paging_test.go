package kintone_test

import (
	"cmp"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/kintonetest"
)

// pagedRec is a record of the paged-write tests' app.
type pagedRec struct {
	id    int64
	num   int
	label string
}

// pagedApp creates app code with n records whose num is a permutation of
// 0..n-1 unrelated to $id order, and label "todo".
func pagedApp(t *testing.T, srv *kintonetest.Server, code string, n int) []pagedRec {
	t.Helper()
	app, err := srv.CreateApp(kintonetest.App{Name: code, Code: code, Fields: []kintonetest.Field{
		{Code: "num", Type: "NUMBER"},
		{Code: "label", Type: "SINGLE_LINE_TEXT"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	recs := make([]kintonetest.Record, n)
	model := make([]pagedRec, n)
	for i := range recs {
		num := (i * 7919) % n // 7919 is prime, n is not a multiple of it
		recs[i] = kintonetest.Record{"num": strconv.Itoa(num), "label": "todo"}
		model[i] = pagedRec{num: num, label: "todo"}
	}
	ids, err := srv.AddRecords(app, recs...)
	if err != nil {
		t.Fatal(err)
	}
	for i := range model {
		model[i].id = ids[i]
	}
	return model
}

// readPaged reads the app back in $id order.
func readPaged(t *testing.T, db *sql.DB, code string) []pagedRec {
	t.Helper()
	rows, err := db.Query("SELECT $id, num, label FROM " + code + " ORDER BY $id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []pagedRec
	for rows.Next() {
		var r pagedRec
		if err := rows.Scan(&r.id, &r.num, &r.label); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// pickRecs returns the indexes of the records matching where, sorted by
// num (desc when desc), the first limit of them (all when limit < 0).
func pickRecs(recs []pagedRec, where func(pagedRec) bool, desc bool, limit int) []int {
	var idx []int
	for i, r := range recs {
		if where(r) {
			idx = append(idx, i)
		}
	}
	slices.SortFunc(idx, func(a, b int) int {
		if desc {
			return cmp.Compare(recs[b].num, recs[a].num)
		}
		return cmp.Compare(recs[a].num, recs[b].num)
	})
	if limit >= 0 && limit < len(idx) {
		idx = idx[:limit]
	}
	return idx
}

// TestPagedWritesChangeTheRightRows runs UPDATEs and DELETEs whose
// targets are read in many pages and written in several batches (more than
// 2,000 rows), under every useCursor value, and checks every record
// afterwards against a model: a read that pages by offset while the
// write's earlier batches delete records, or move them out of the WHERE
// or the ORDER BY, must not skip or repeat rows.
func TestPagedWritesChangeTheRightRows(t *testing.T) {
	const n = 2700
	all := func(pagedRec) bool { return true }
	todo := func(r pagedRec) bool { return r.label == "todo" }
	for _, tc := range []struct {
		name  string
		sql   string // %s is the table
		where func(pagedRec) bool
		desc  bool
		limit int
		// apply changes a target record; nil deletes it (an INSERT ...
		// SELECT from the app itself adds a copy labelled "copy" instead).
		apply func(*pagedRec)
	}{
		{"delete order by limit", "DELETE FROM %s ORDER BY num LIMIT 2500", all, false, 2500, nil},
		{"delete order by desc limit", "DELETE FROM %s ORDER BY num DESC LIMIT 2300", all, true, 2300, nil},
		{"delete where order by limit", "DELETE FROM %s WHERE num >= 100 ORDER BY num LIMIT 2400", func(r pagedRec) bool { return r.num >= 100 }, false, 2400, nil},
		{"delete with a residual filter", "DELETE FROM %s WHERE label LIKE 'to%%' ORDER BY num LIMIT 2400", todo, false, 2400, nil},
		{"delete all", "DELETE FROM %s WHERE num >= 50", func(r pagedRec) bool { return r.num >= 50 }, false, -1, nil},
		{"update the sort key", "UPDATE %s SET num = num + 10000 ORDER BY num LIMIT 2500", all, false, 2500,
			func(r *pagedRec) { r.num += 10000 }},
		{"update the where field", "UPDATE %s SET label = 'done' WHERE label = 'todo' ORDER BY num LIMIT 2500", todo, false, 2500,
			func(r *pagedRec) { r.label = "done" }},
		{"update the where field with a residual filter", "UPDATE %s SET label = 'done' WHERE label LIKE 'tod%%' ORDER BY num DESC LIMIT 2500", todo, true, 2500,
			func(r *pagedRec) { r.label = "done" }},
		{"update out of the where", "UPDATE %s SET num = num - 100000 WHERE num >= 0 ORDER BY num DESC LIMIT 2500", all, true, 2500,
			func(r *pagedRec) { r.num -= 100000 }},
		{"insert select from itself", "INSERT INTO %[1]s (num, label) SELECT num, 'copy' FROM %[1]s ORDER BY num LIMIT 2500", all, false, 2500, nil},
		{"update without order", "UPDATE %s SET label = CONCAT(label, '!') WHERE label = 'todo' AND num >= 10", func(r pagedRec) bool { return r.num >= 10 }, false, -1,
			func(r *pagedRec) { r.label += "!" }},
	} {
		// auto with concurrency: an unordered read goes as parallel $id
		// ranges while the batches are written.
		for _, mode := range []string{"auto", "always", "never", "auto&concurrency=4"} {
			t.Run(tc.name+"/"+mode, func(t *testing.T) {
				t.Parallel()
				srv := newEmulator(t)
				const code = "PAGED"
				model := pagedApp(t, srv, code, n)
				db := openDB(t, srv.DSN()+"?pageSize=100&useCursor="+mode)
				query := fmt.Sprintf(tc.sql, code)
				res, err := db.Exec(query)
				if err != nil {
					t.Fatalf("%s: %v", query, err)
				}
				targets := pickRecs(model, tc.where, tc.desc, tc.limit)
				if affected, _ := res.RowsAffected(); affected != int64(len(targets)) {
					t.Errorf("RowsAffected %d, want %d", affected, len(targets))
				}
				copied := strings.HasPrefix(tc.sql, "INSERT")
				deleted := map[int]bool{}
				var copies []pagedRec
				for _, i := range targets {
					switch {
					case copied:
						copies = append(copies, pagedRec{num: model[i].num, label: "copy"})
					case tc.apply == nil:
						deleted[i] = true
					default:
						tc.apply(&model[i])
					}
				}
				var want []pagedRec
				for i, r := range model {
					if !deleted[i] {
						want = append(want, r)
					}
				}
				got := readPaged(t, db, code)
				if copied {
					// The copies' $ids follow the originals', in the
					// order the SELECT read them.
					for i := range copies {
						copies[i].id = got[len(model)+i].id
					}
					want = append(want, copies...)
				}
				if diff := pagedDiff(got, want); diff != "" {
					t.Fatalf("%s under useCursor=%s changed the wrong records: %s", query, mode, diff)
				}
				if srv.OpenCursors() != 0 {
					t.Errorf("%d cursors left open", srv.OpenCursors())
				}
			})
		}
	}
}

// pagedDiff describes how got differs from want, "" when they agree.
func pagedDiff(got, want []pagedRec) string {
	var b strings.Builder
	if len(got) != len(want) {
		fmt.Fprintf(&b, "%d records, want %d; ", len(got), len(want))
	}
	wantByID := map[int64]pagedRec{}
	for _, r := range want {
		wantByID[r.id] = r
	}
	bad := 0
	for _, r := range got {
		w, ok := wantByID[r.id]
		switch {
		case !ok:
			bad++
			if bad <= 3 {
				fmt.Fprintf(&b, "record %d (num %d) should be gone; ", r.id, r.num)
			}
		case w != r:
			bad++
			if bad <= 3 {
				fmt.Fprintf(&b, "record %d is %+v, want %+v; ", r.id, r, w)
			}
		}
		delete(wantByID, r.id)
	}
	if len(wantByID) > 0 {
		fmt.Fprintf(&b, "%d records missing; ", len(wantByID))
	}
	if bad > 0 {
		fmt.Fprintf(&b, "%d records wrong", bad)
	}
	return b.String()
}
