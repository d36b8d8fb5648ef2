package scan

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/internal/field"
)

var anchorID = regexp.MustCompile(`\$id >= (\d+)`)

// A descending read by a NUMBER that may be empty, past the offset limit,
// against a Kintone whose empty values pass no comparison: the rebased
// pages stop at the last value, and the tail reads the empty values by
// $id. Paging.Ahead foresees no page while the rebased total is unknown
// and none of the tail.
func TestPagingTailOfEmptyValues(t *testing.T) {
	const values, empties = 10800, 700
	// recs in Kintone's order: amount descending, then the empty ones by
	// $id (which here is the position plus one).
	recs := make([]Record, values+empties)
	for i := range recs {
		recs[i] = Record{colID: int64(i + 1), colRevision: int64(1), "更新日時": nil}
		if i < values {
			recs[i]["amount"] = field.Decimal(fmtInt(int64(values - i)))
		} else {
			recs[i]["amount"] = nil
		}
	}
	s := ordSpec(t, Offset, "order by amount desc, $id asc", []string{colID, "amount"}, false)
	if !s.CanRebase() || !s.mayBeEmpty() {
		t.Fatal("a NUMBER order cannot rebase")
	}
	p := s.Paging()
	var got []int64
	var phases []string
	unknown := 0
	for i := 0; i < 100; i++ {
		req, ok := p.Next()
		if !ok {
			break
		}
		if req.Check {
			phases = append(phases, "check")
			if _, err := p.Accept(nil, 0); err != nil {
				t.Fatal(err)
			}
			continue
		}
		var page []Record
		var total int64
		switch {
		case p.tail:
			phases = append(phases, "tail")
			if len(p.Ahead(5)) != 0 {
				t.Error("Ahead foresees a page of the tail")
			}
			if !strings.Contains(req.Query, "order by amount asc, $id asc") {
				t.Fatalf("tail query %q", req.Query)
			}
			after := p.tailAfter
			for _, rec := range recs[values:] {
				if rec[colID].(int64) > after {
					page = append(page, rec)
				}
			}
			rest := slices.Clone(recs[:values])
			slices.Reverse(rest)
			page = append(page, rest...)
			total = int64(len(page))
		case p.rebase != nil:
			phases = append(phases, "rebased")
			// The records after the anchor's place down to the last value.
			m := anchorID.FindStringSubmatch(req.Query)
			if m == nil {
				t.Fatalf("rebased query %q", req.Query)
			}
			a := slices.IndexFunc(recs, func(r Record) bool { return fmtInt(r[colID].(int64)) == m[1] })
			page, total = recs[a:values], int64(values-a)
		default:
			phases = append(phases, "offset")
			page, total = recs, int64(len(recs))
		}
		if req.Offset > int64(len(page)) {
			page = nil
		} else {
			page = page[req.Offset:]
		}
		if len(page) > req.Limit {
			page = page[:req.Limit]
		}
		out, err := p.Accept(page, total)
		if err != nil {
			t.Fatal(err)
		}
		if p.rebase != nil && p.total < 0 {
			unknown++
			if len(p.Ahead(5)) != 0 {
				t.Error("Ahead foresees rebased pages before their total is known")
			}
		}
		for _, rec := range out {
			got = append(got, rec[colID].(int64))
		}
	}
	want := make([]int64, len(recs))
	for i := range want {
		want[i] = int64(i + 1)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("%d rows, want %d in order", len(got), len(want))
	}
	if !slices.Contains(phases, "rebased") || !slices.Equal(phases[len(phases)-3:], []string{"tail", "tail", "check"}) {
		t.Errorf("phases %v", phases)
	}
	if unknown != 1 {
		t.Errorf("the rebased total was unknown after %d pages, want 1", unknown)
	}
}
