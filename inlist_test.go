package kintone_test

// Slices of every scalar type stand for the list of IN (?) and for the
// values of a multi-valued field (issue 12, item 18).

import (
	"database/sql"
	"slices"
	"strings"
	"testing"
	"time"
)

type (
	recordIDs []int64
	optionKey string
)

func TestInListTakesSlicesOfEveryScalarType(t *testing.T) {
	srv := newEmulator(t)
	app := shopApp(t, srv, "SHOP")
	db := openDB(t, srv.DSN())
	day := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	for i := 1; i <= 5; i++ {
		if _, err := db.Exec("INSERT INTO SHOP (label, num, due, at, alarm, tags) VALUES (?, ?, ?, ?, ?, ?)",
			"r"+itoa(int64(i)), i, day.AddDate(0, 0, i), day.Add(time.Duration(i)*time.Hour), day.Add(time.Duration(i)*time.Minute),
			[]string{[]string{"a", "b", "c"}[i%3]}); err != nil {
			t.Fatal(err)
		}
	}
	ids := rawIDs(t, srv, app, "order by $id asc")
	if len(ids) != 5 {
		t.Fatalf("%d records", len(ids))
	}
	label := func(i int) string { return "r" + itoa(int64(i)) }
	two := "a"
	for _, c := range []struct {
		sql  string
		arg  any
		want []string
	}{
		{"num IN (?)", []int64{1, 3}, []string{label(1), label(3)}},
		{"num IN (?)", []int{2, 4, 99}, []string{label(2), label(4)}},
		{"num IN (?)", []int32{5}, []string{label(5)}},
		{"num IN (?)", []uint{1}, []string{label(1)}},
		{"num IN (?)", []uint64{2}, []string{label(2)}},
		{"num IN (?)", []float64{1, 2.5, 3}, []string{label(1), label(3)}},
		{"num IN (?)", []any{int64(1), "2", 3.0}, []string{label(1), label(2), label(3)}},
		{"num NOT IN (?)", []int16{1, 2, 3}, []string{label(4), label(5)}},
		{"num IN (?)", []bool{true}, []string{label(1)}},
		{"$id IN (?)", recordIDs{ids[0], ids[4]}, []string{label(1), label(5)}},
		{"$id IN (?)", []int{int(ids[1])}, []string{label(2)}},
		{"label IN (?)", []string{"r1", "r2"}, []string{label(1), label(2)}},
		{"label IN (?)", []optionKey{"r3"}, []string{label(3)}},
		{"label IN (?)", []*string{nil, &two}, nil}, // NULL and "a": no label is either
		{"label IN (?)", []sql.NullString{{String: "r4", Valid: true}, {}}, []string{label(4)}},
		{"label IN (?)", [][]byte{[]byte("r5")}, []string{label(5)}},
		{"due IN (?)", []time.Time{day.AddDate(0, 0, 1), day.AddDate(0, 0, 2)}, []string{label(1), label(2)}},
		{"at IN (?)", []time.Time{day.Add(3 * time.Hour)}, []string{label(3)}},
		{"alarm IN (?)", []time.Time{day.Add(4 * time.Minute)}, []string{label(4)}},
		{"tags IN (?)", []optionKey{"b"}, []string{label(1), label(4)}},
		{"tags NOT IN (?)", []any{"a", "b"}, []string{label(2), label(5)}},
	} {
		q := "SELECT label FROM SHOP WHERE " + c.sql + " ORDER BY $id"
		rows, err := db.Query(q, c.arg)
		if err != nil {
			t.Errorf("%s %#v: %v", q, c.arg, err)
			continue
		}
		var got []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			got = append(got, s)
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s %#v: %v, want %v", q, c.arg, got, c.want)
		}
	}

	// A DELETE by $id list goes straight to Kintone, without a read.
	got := recordRequests(srv, func() {
		res, err := db.Exec("DELETE FROM SHOP WHERE $id IN (?)", recordIDs{ids[3], ids[4]})
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := res.RowsAffected(); n != 2 {
			t.Errorf("DELETE: %d rows", n)
		}
	})
	if !equalCounts(got, map[string]int64{"DELETE records": 1}) {
		t.Errorf("DELETE $id IN (?) made %v", got)
	}

	// Slices as the values of multi-valued fields.
	if _, err := db.Exec("UPDATE SHOP SET tags = ?, tech = ?, owner = ? WHERE $id = ?",
		[]optionKey{"a", "c"}, []any{"go", "js"}, []optionKey{"admin"}, ids[0]); err != nil {
		t.Fatal(err)
	}
	var tags, tech, owner string
	if err := db.QueryRow("SELECT tags, tech, owner FROM SHOP WHERE $id = ?", ids[0]).Scan(&tags, &tech, &owner); err != nil {
		t.Fatal(err)
	}
	if tags != `["a","c"]` || tech != `["go","js"]` || !strings.Contains(owner, `"code":"admin"`) {
		t.Errorf("after UPDATE: %s %s %s", tags, tech, owner)
	}
	if _, err := db.Exec("UPDATE SHOP SET tags = ? WHERE $id = ?", []string{}, ids[0]); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow("SELECT tags FROM SHOP WHERE $id = ?", ids[0]).Scan(&tags); err != nil || tags != "[]" {
		t.Errorf("an empty slice clears the field: %q, %v", tags, err)
	}

	// What a list cannot be is refused before any request, naming the
	// placeholder and the element.
	for _, c := range []struct {
		sql  string
		arg  any
		want string
	}{
		{"SELECT label FROM SHOP WHERE num IN (?)", []int{}, "an empty list cannot stand for IN (?)"},
		{"SELECT label FROM SHOP WHERE num IN (?)", []string{}, "an empty list cannot stand for IN (?)"},
		{"SELECT label FROM SHOP WHERE num IN (?)", [][]int{{1}}, "element 0 of the [][]int is a list"},
		{"SELECT label FROM SHOP WHERE num IN (?)", []any{1, []int{2}}, "element 1 of the []interface {} is a list"},
		{"SELECT label FROM SHOP WHERE num IN (?)", []chan int{make(chan int)}, "element 0 of the []chan int: type chan int is not supported"},
		{"SELECT label FROM SHOP WHERE num IN (?)", []struct{ X int }{{1}}, "type struct { X int } is not supported"},
		{"SELECT label FROM SHOP WHERE num IN (?)", []float64{1, 0}, ""},
		{"SELECT label FROM SHOP WHERE num = ?", []int{1}, "a list argument can only stand for the list of IN (?)"},
		{"UPDATE SHOP SET tags = ? WHERE $id = 1", []any{"a", true}, "cannot write"},
		{"UPDATE SHOP SET label = ? WHERE $id = 1", []string{"a"}, "cannot write"},
	} {
		got := recordRequests(srv, func() {
			var err error
			if strings.HasPrefix(c.sql, "SELECT") {
				var rows *sql.Rows
				if rows, err = db.Query(c.sql, c.arg); err == nil {
					err = rows.Close()
				}
			} else {
				_, err = db.Exec(c.sql, c.arg)
			}
			switch {
			case c.want == "" && err != nil:
				t.Errorf("%s %#v: %v", c.sql, c.arg, err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Errorf("%s %#v: %v, want an error with %q", c.sql, c.arg, err, c.want)
			case c.want != "" && !strings.Contains(err.Error(), "argument 1"):
				t.Errorf("%s %#v: %v does not name the argument", c.sql, c.arg, err)
			}
		})
		if c.want != "" && len(got) != 0 {
			t.Errorf("%s %#v: sent %v", c.sql, c.arg, got)
		}
	}
}
