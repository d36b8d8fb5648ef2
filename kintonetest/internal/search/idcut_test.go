package search

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/kintonetest/internal/store"
)

// seekRecords returns n records with ascending IDs and random gaps, and
// values for the conditions seekQuery writes.
func seekRecords(rng *rand.Rand, n int) []*store.Record {
	recs := make([]*store.Record, n)
	id := int64(rng.IntN(3))
	for i := range recs {
		id += 1 + int64(rng.IntN(3))
		vals := v{"title": []string{"a", "b", "c", ""}[rng.IntN(4)]}
		if rng.IntN(5) > 0 {
			vals["num"] = strconv.Itoa(rng.IntN(20))
		}
		if k := rng.IntN(4); k > 0 {
			vals["check"] = []string{"A", "B", "C"}[:k]
		}
		var rs []v
		for range rng.IntN(3) {
			rs = append(rs, v{"name": []string{"apple", "orange"}[rng.IntN(2)], "qty": strconv.Itoa(rng.IntN(10))})
		}
		vals["table"] = rows(rs...)
		recs[i] = rec(id, vals)
	}
	return recs
}

// seekLiteral is a $id literal: mostly near the records' IDs, sometimes a
// decimal, a negative number, a quoted number, the empty string or a
// number beyond int64.
func seekLiteral(rng *rand.Rand, maxID int64) string {
	switch rng.IntN(12) {
	case 0:
		return `""`
	case 1:
		return fmt.Sprintf("%d.5", rng.Int64N(maxID+3))
	case 2:
		return "-" + strconv.Itoa(rng.IntN(3))
	case 3:
		return `"` + strconv.FormatInt(rng.Int64N(maxID+3), 10) + `"`
	case 4:
		return "99999999999999999999"
	case 5:
		return "-99999999999999999999"
	}
	return strconv.FormatInt(rng.Int64N(maxID+4)-1, 10)
}

// seekCond writes a random condition: terms on $id mixed with others, in
// "and", "or" and parentheses.
func seekCond(rng *rand.Rand, maxID int64, depth int) string {
	if depth > 0 && rng.IntN(3) > 0 {
		n := 2 + rng.IntN(2)
		terms := make([]string, n)
		for i := range terms {
			terms[i] = seekCond(rng, maxID, depth-1)
			if rng.IntN(3) == 0 {
				terms[i] = "(" + terms[i] + ")"
			}
		}
		if rng.IntN(3) == 0 {
			return strings.Join(terms, " or ")
		}
		return strings.Join(terms, " and ")
	}
	switch rng.IntN(10) {
	case 0:
		return fmt.Sprintf("num > %d", rng.IntN(20))
	case 1:
		return fmt.Sprintf(`title in ("a", "%s")`, []string{"b", "c", ""}[rng.IntN(3)])
	case 2:
		return `check in ("A", "C")`
	case 3:
		return fmt.Sprintf(`name in ("apple") and qty > %d`, rng.IntN(10))
	case 4:
		return fmt.Sprintf("$id in (%s, %s)", seekLiteral(rng, maxID), seekLiteral(rng, maxID))
	case 5:
		return fmt.Sprintf("$id not in (%s)", seekLiteral(rng, maxID))
	}
	op := []string{"=", "!=", "<", "<=", ">", ">="}[rng.IntN(6)]
	return fmt.Sprintf("$id %s %s", op, seekLiteral(rng, maxID))
}

// TestSeekMatchesScan checks, on random records and queries, that a page
// in $id order (FindSorted, which narrows to the run the $id cuts admit)
// is the page a scan of every record gives: the matches by Match, sorted
// by ID, then offset and limit applied; and the same total.
func TestSeekMatchesScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 6))
	form, env := testForm(), testEnv()
	for iter := range 4000 {
		recs := seekRecords(rng, rng.IntN(40))
		maxID := int64(5)
		if len(recs) > 0 {
			maxID = recs[len(recs)-1].ID
		}
		q := ""
		if rng.IntN(8) > 0 {
			q = seekCond(rng, maxID, 2)
		}
		desc := true // no order by: $id desc
		switch rng.IntN(4) {
		case 0:
			q += " order by $id asc"
			desc = false
		case 1:
			q += " order by $id desc"
		case 2:
			q += " order by $id asc, num desc"
			desc = false
		}
		limit, offset := 100, 0
		if rng.IntN(4) > 0 {
			limit = rng.IntN(8)
			q += " limit " + strconv.Itoa(limit)
		}
		if rng.IntN(3) == 0 {
			offset = rng.IntN(6)
			q += " offset " + strconv.Itoa(offset)
		}
		p, err := Prepare(q, form, env, false)
		if err != nil {
			t.Fatalf("Prepare(%q): %v", q, err)
		}
		var want []int64
		for _, r := range recs {
			if p.Match(r) {
				want = append(want, r.ID)
			}
		}
		if desc {
			slices.Reverse(want)
		}
		total := int64(len(want))
		want = want[min(offset, len(want)):min(offset+limit, len(want))]
		shuffled := slices.Clone(recs)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		for _, wantTotal := range []bool{false, true} {
			for name, find := range map[string]func() ([]*store.Record, int64){
				"FindSorted":       func() ([]*store.Record, int64) { return p.FindSorted(recs, wantTotal) },
				"Find":             func() ([]*store.Record, int64) { return p.Find(recs, wantTotal) },
				"Find (unordered)": func() ([]*store.Record, int64) { return p.Find(shuffled, wantTotal) },
			} {
				page, n := find()
				wantN := int64(-1)
				if wantTotal {
					wantN = total
				}
				if got := recIDs(page); !slices.Equal(got, want) || n != wantN || page == nil {
					t.Fatalf("#%d %s(%q, %v) over %v:\n got %v, %d\nwant %v, %d",
						iter, name, q, wantTotal, recIDs(recs), got, n, want, wantN)
				}
			}
		}
	}
}

// TestIDRange checks that the $id cuts of a seek page narrow the records
// to the run after the bound, and that terms under an "or" narrow nothing.
func TestIDRange(t *testing.T) {
	recs := benchRecords(1000) // IDs 1..1000
	for _, tt := range []struct {
		query  string
		lo, hi int64 // the first and last ID of the run; 0, 0 for none
	}{
		{`$id > 500 order by $id asc limit 500`, 501, 1000},
		{`(num > 5 or title like "x") and $id > 500 order by $id asc`, 501, 1000},
		{`$id < 500 and num > 5 order by $id desc limit 500`, 1, 499},
		{`($id >= 10 and ($id <= 20)) and num > 1`, 10, 20},
		{`$id = 7`, 7, 7},
		{`$id = 7.5`, 0, 0},
		{`$id > 10.5 and $id < "13"`, 11, 12},
		{`$id > ""`, 1, 1000},
		{`$id = ""`, 0, 0},
		{`$id > 2000`, 0, 0},
		{`$id > 500 or num > 5`, 1, 1000},
		{`$id in (3, 4)`, 1, 1000},
		{`$id != 3`, 1, 1000},
		{``, 1, 1000},
	} {
		p, err := Prepare(tt.query, testForm(), testEnv(), false)
		if err != nil {
			t.Fatalf("Prepare(%q): %v", tt.query, err)
		}
		run := p.idRange(recs)
		var lo, hi int64
		if len(run) > 0 {
			lo, hi = run[0].ID, run[len(run)-1].ID
		}
		if lo != tt.lo || hi != tt.hi {
			t.Errorf("idRange(%q) = [%d, %d], want [%d, %d]", tt.query, lo, hi, tt.lo, tt.hi)
		}
	}
}
