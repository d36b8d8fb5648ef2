package translate

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/optimize"
)

// optionWorld is the reference test's world with values for the option
// fields that a read in option order must place: color (a RADIO_BUTTON of
// red, green, blue) empty in a sixth of the records and purple (no
// option: removed from the form) in another, and status (a DROP_DOWN)
// archived, no option either, in some.
func optionWorld(t *testing.T, seed int64) (*world, *gen) {
	w, g := newWorld(t, seed, 300)
	for _, rec := range w.recs {
		id := rec["$id"].(int64)
		rec["color"] = []any{nil, "red", "green", "blue", "purple", "green"}[id%6]
		if id%9 == 0 && rec["status"] != nil {
			rec["status"] = "archived"
		}
	}
	return w, g
}

// optionConds are conditions on the option fields, with SQL's answer for
// a value.
var optionConds = map[string][]struct {
	sql  string
	eval func(v any) tv
}{
	"status": {
		{"status IN ('open', 'closed')", inList("open", "closed")},
		{"status = 'on hold'", inList("on hold")},
		{"status <> 'open'", notInList("open")},
		{"status NOT IN ('open', 'on hold')", notInList("open", "on hold")},
		{"status IS NULL", func(v any) tv { return tvOf(v == nil) }},
		{"status IS NOT NULL", func(v any) tv { return tvOf(v != nil) }},
		{"(status = 'closed' OR status IS NULL)", func(v any) tv { return tvOf(v == nil || v == "closed") }},
	},
	"color": {
		{"color IN ('red', 'blue')", inList("red", "blue")},
		{"color = 'green'", inList("green")},
		{"color <> 'green'", notInList("green")},
		{"color NOT IN ('red', 'blue')", notInList("red", "blue")},
		{"color IS NULL", func(v any) tv { return tvOf(v == nil) }},
		{"color IS NOT NULL", func(v any) tv { return tvOf(v != nil) }},
	},
}

func inList(vs ...string) func(any) tv {
	return func(v any) tv {
		if v == nil {
			return tNull
		}
		return tvOf(slices.Contains(vs, v.(string)))
	}
}

func notInList(vs ...string) func(any) tv {
	return func(v any) tv {
		if v == nil {
			return tNull
		}
		return tvOf(!slices.Contains(vs, v.(string)))
	}
}

// orderKey is one ORDER BY key of the reference: a column, its direction
// and where its NULLs go.
type orderKey struct {
	col        string
	desc       bool
	nullsFirst bool
}

// TestReferenceOptionOrder runs ORDER BY a drop-down or a radio button
// (read an option at a time), with random conditions, second keys
// (pushed to Kintone, or sorted in Go), directions, NULLS FIRST or LAST,
// LIMIT and OFFSET, and compares whole result sequences with SQL's order
// computed here, under every model: among them one where Kintone's not in
// leaves empty radio buttons out, which the plan's counts must catch.
// Each runs twice: as planned, where the read tried first holds all of
// the 300 records and answers in one request; and with pages of 20,
// which that read cannot hold unless the condition leaves fewer, so that
// the reads per option answer.
func TestReferenceOptionOrder(t *testing.T) {
	w, g := optionWorld(t, 4)
	seconds := []string{"", "amount", "amount DESC", "title", "due DESC NULLS FIRST", "color", "status DESC", "$id DESC"}
	small := w.opts
	small.PageSize = 20
	optionReads, fewReads := 0, 0
	const cases = 300
	for i := 0; i < cases; i++ {
		r := g.r
		first := []string{"status", "color"}[r.Intn(2)]
		var conds []string
		var argv []any
		var evals []func(catalog.Record) tv
		if r.Intn(2) == 0 {
			c := g.cond(1)
			conds, argv, evals = append(conds, c.sql), c.args, append(evals, c.eval)
		}
		if r.Intn(2) == 0 {
			oc := optionConds[first][r.Intn(len(optionConds[first]))]
			conds = append(conds, oc.sql)
			evals = append(evals, func(rec catalog.Record) tv { return oc.eval(rec[first]) })
		}
		keys := []orderKey{{col: first, desc: r.Intn(2) == 0}}
		keys[0].nullsFirst = !keys[0].desc
		sql := first
		if keys[0].desc {
			sql += " DESC"
		}
		if n := r.Intn(4); n < 2 {
			keys[0].nullsFirst = n == 0
			sql += map[bool]string{true: " NULLS FIRST", false: " NULLS LAST"}[n == 0]
		}
		if s := seconds[r.Intn(len(seconds))]; s != "" && !strings.HasPrefix(s, first) {
			k := orderKey{col: strings.Fields(s)[0], desc: strings.Contains(s, "DESC")}
			k.nullsFirst = !k.desc || strings.Contains(s, "NULLS FIRST")
			keys = append(keys, k)
			sql += ", " + s
		}
		if keys[len(keys)-1].col != "$id" {
			keys = append(keys, orderKey{col: "$id", nullsFirst: true})
			sql += ", $id"
		}
		limit, offset, tail := -1, 0, ""
		switch r.Intn(4) {
		case 0:
			limit = 1 + r.Intn(40)
			tail = fmt.Sprintf(" LIMIT %d", limit)
		case 1, 2:
			limit, offset = 1+r.Intn(40), r.Intn(120)
			tail = fmt.Sprintf(" LIMIT %d OFFSET %d", limit, offset)
		}
		where := ""
		if len(conds) > 0 {
			where = " WHERE " + strings.Join(conds, " AND ")
		}
		query := fmt.Sprintf("SELECT $id, %s FROM ORD%s ORDER BY %s%s", first, where, sql, tail)
		var want []catalog.Record
		for _, rec := range w.recs {
			ok := true
			for _, e := range evals {
				ok = ok && e(rec) == tTrue
			}
			if ok {
				want = append(want, rec)
			}
		}
		slices.SortStableFunc(want, func(a, b catalog.Record) int { return compareByKeys(a, b, keys) })
		want = want[min(offset, len(want)):]
		if limit >= 0 && limit < len(want) {
			want = want[:limit]
		}
		ids := make([]any, len(want))
		for j, rec := range want {
			ids[j] = rec["$id"]
		}
		for _, opts := range []Options{w.opts, small} {
			st, err := Translate(context.Background(), query, testSchema(), opts, args(argv...))
			if isKintoneFuncOutsideKintone(err) {
				break
			}
			if err != nil {
				t.Fatalf("Translate(%q): %v", query, err)
			}
			s := st.(*Select)
			few := strings.Contains(s.Explain(), "the first input's rows if its read returns fewer than")
			for _, m := range models {
				k := w.service(t, m)
				rows, err := k.run(s)
				if err != nil {
					t.Fatalf("%s under %s: %v\n%s", query, m.name, err, s.Explain())
				}
				got := make([]any, len(rows))
				for j, row := range rows {
					got[j] = row[0]
				}
				if !slices.Equal(got, ids) {
					t.Fatalf("%s under %s, pages of %d:\n got %v\nwant %v\n%s", query, m.name, opts.PageSize, got, ids, s.Explain())
				}
				switch {
				case few && opts.PageSize == 0 && k.requests != 1:
					t.Errorf("%s under %s: %d requests for at most 300 records, want 1\n%s", query, m.name, k.requests, s.Explain())
				case few && opts.PageSize == 0 && m == models[0]:
					fewReads++
				case few && k.requests > 1 && m == models[0]:
					optionReads++
				}
			}
		}
	}
	t.Logf("%d of %d read every record at once, %d an option at a time with pages of 20", fewReads, cases, optionReads)
	if fewReads < cases/3 || optionReads < cases/4 {
		t.Errorf("only %d of %d statements read every record at once, %d an option at a time", fewReads, cases, optionReads)
	}
}

// compareByKeys orders two records as ORDER BY keys does.
func compareByKeys(a, b catalog.Record, keys []orderKey) int {
	for _, k := range keys {
		x, y := a[k.col], b[k.col]
		if (x == nil) != (y == nil) {
			if (x == nil) == k.nullsFirst {
				return -1
			}
			return 1
		}
		c := refCompare(x, y)
		if k.desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

// readQueries lists the queries of s's reads, nil when it has one read.
func readQueries(s *Select) []string {
	if s.Read != nil {
		return nil
	}
	var out []string
	for _, r := range planReads(s.root) {
		out = append(out, r.read.Read.Query.String())
	}
	return out
}

// ORDER BY an option field is read an option at a time where that is
// exact and can pay off: with a LIMIT (maxRows too), by columns, on a
// table's records, the field first; a condition on the field leaves the
// reads it rules out. Elsewhere it is sorted in Go as before.
func TestOptionOrderPlans(t *testing.T) {
	// Every plan of several reads first tries the read of every record
	// by $id (the plan without reads per option), which holds them all
	// when they are few.
	statusReads := func(tail string) []string {
		return []string{`order by $id asc limit 500`, `status in ("")` + tail, `status in ("closed")` + tail, `status in ("on hold")` + tail, `status in ("open")` + tail,
			`status not in ("", "closed", "on hold", "open") order by $id asc`}
	}
	for _, tc := range []struct {
		sql   string
		opts  Options
		reads []string // nil: one read, sorted in Go
	}{
		{"SELECT title FROM ORD ORDER BY status LIMIT 5", Options{}, statusReads(" order by $id asc limit 5")},
		{"SELECT title FROM ORD ORDER BY status", Options{MaxRows: 5}, statusReads(" order by $id asc limit 5")},
		{"SELECT title FROM ORD ORDER BY status, amount DESC LIMIT 3 OFFSET 4", Options{}, statusReads(" order by amount desc, $id asc limit 7")},
		{"SELECT title FROM ORD ORDER BY status, color LIMIT 3", Options{}, statusReads(" order by $id asc")},
		{"SELECT title FROM ORD WHERE status IN ('open', 'closed') AND amount > 1 ORDER BY status DESC, due LIMIT 3", Options{}, []string{
			`status in ("open", "closed") and amount > 1 order by $id asc limit 500`,
			`amount > 1 and status in ("open") order by due asc, $id asc limit 3`, `amount > 1 and status in ("closed") order by due asc, $id asc limit 3`}},
		{"SELECT title FROM ORD WHERE status IS NOT NULL AND status <> 'closed' ORDER BY status LIMIT 3", Options{}, []string{
			`status not in ("") and status not in ("", "closed") order by $id asc limit 500`,
			`status in ("on hold") order by $id asc limit 3`, `status in ("open") order by $id asc limit 3`,
			`status not in ("", "closed", "on hold", "open") order by $id asc`}},
		{"SELECT title FROM ORD WHERE status = 'closed' OR status IS NULL ORDER BY status DESC LIMIT 3", Options{}, []string{
			`status in ("closed") or status in ("") order by $id asc limit 500`,
			`status in ("closed") order by $id asc limit 3`, `status in ("") order by $id asc limit 3`}},
		// color <> 'red' leaves color IS NOT NULL to Go, which every
		// option's records pass: their reads still stop at the LIMIT.
		{"SELECT title FROM ORD WHERE color <> 'red' ORDER BY color LIMIT 2", Options{}, []string{
			`color not in ("red") order by $id asc limit 500`,
			`color not in ("red") and color in ("blue") order by $id asc limit 2`, `color not in ("red") and color in ("green") order by $id asc limit 2`,
			`color not in ("red") and color not in ("blue", "green", "red") order by $id asc`,
			`color not in ("red") limit 1`, `color not in ("red") and color in ("blue", "green", "red") limit 1`, `color not in ("red") order by $id asc`}},
		{"SELECT title FROM ORD ORDER BY color DESC LIMIT 1", Options{}, []string{
			`order by $id asc limit 500`,
			`color in ("red") order by $id asc limit 1`, `color in ("green") order by $id asc limit 1`, `color in ("blue") order by $id asc limit 1`,
			`color not in ("blue", "green", "red") order by $id asc`, `limit 1`, `color in ("blue", "green", "red") limit 1`, `order by $id asc`}},
		{"SELECT title FROM ORD ORDER BY status", Options{}, nil},
		{"SELECT DISTINCT status FROM ORD ORDER BY status LIMIT 2", Options{}, nil},
		{"SELECT status, COUNT(*) FROM ORD GROUP BY status ORDER BY status LIMIT 2", Options{}, nil},
		{"SELECT title, ROW_NUMBER() OVER () FROM ORD ORDER BY status LIMIT 2", Options{}, nil},
		{"SELECT title FROM ORD ORDER BY LOWER(status) LIMIT 2", Options{}, nil},
		{"SELECT title FROM ORD ORDER BY amount, status LIMIT 2", Options{}, nil},
		{"SELECT title FROM ORD ORDER BY status, amount + 1 LIMIT 2", Options{}, nil},
		{"SELECT * FROM ORD.items ORDER BY kind LIMIT 2", Options{}, nil},
	} {
		s := planOf(t, tc.sql, tc.opts)
		if got := readQueries(s); !slices.Equal(got, tc.reads) {
			t.Errorf("%s: reads\n%s\nwant\n%s\n%s", tc.sql, strings.Join(got, "\n"), strings.Join(tc.reads, "\n"), s.Explain())
		}
	}
}

// A field of more options than MaxOptionReads is sorted in Go: each
// option may cost a request that finds nothing.
func TestOptionOrderLeavesManyOptionsToGo(t *testing.T) {
	for _, n := range []int{optimize.MaxOptionReads, optimize.MaxOptionReads + 1} {
		keys := make([]string, n)
		for i := range keys {
			keys[i] = fmt.Sprintf("o%02d", i)
		}
		app := &catalog.App{ID: 3, Name: "Many", Fields: map[string]*field.Property{
			"pick": {Code: "pick", Type: field.DropDown, Options: options(keys...)}}, Order: []string{"pick"}}
		st, err := Translate(context.Background(), "SELECT pick FROM Many ORDER BY pick LIMIT 2", &fakeSchema{apps: []*catalog.App{app}}, Options{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if reads := readQueries(st.(*Select)); (len(reads) > 0) != (n <= optimize.MaxOptionReads) {
			t.Errorf("%d options: %d reads", n, len(reads))
		}
	}
}

// The records an UPDATE or DELETE writes are read as before: by keys no
// write moves, sorted in Go.
func TestOptionOrderLeavesWriteTargetsToGo(t *testing.T) {
	st, err := Translate(context.Background(), "DELETE FROM ORD ORDER BY status LIMIT 5", testSchema(), Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sel := st.(*Delete).Select; sel == nil || sel.Read == nil {
		t.Fatalf("DELETE ... ORDER BY status reads %v, want one read", sel)
	}
}
