package exec_test

import (
	"errors"
	"io"
	"reflect"
	"testing"

	"github.com/kintone-sql/kintone/internal/scan"
	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/exec"
	"github.com/kintone-sql/kintone/translate/plan"
)

// ifFewOf is an IfFew whose read tried first is app 1's, at most limit
// records, sorted by n in Go; Many is the concatenation of apps 2 and 3.
func ifFewOf(limit int) *plan.IfFew {
	probe := readOf(1)
	return &plan.IfFew{
		Few:   &plan.Sort{Input: probe, Keys: []plan.Order{{Expr: n}}, Cols: []int{0}, Columns: 1, Keep: -1},
		Many:  &plan.Concat{Inputs: []plan.Node{readOf(2), readOf(3)}},
		Read:  probe,
		Limit: limit,
	}
}

// The read tried first is one read: fewer records than its limit are
// every record, and Few's rows are theirs, sorted, without another read
// (nor that read again); as many as its limit, and Many answers.
func TestIfFewReadsManyOnlyAfterAFullPage(t *testing.T) {
	r := &reads{records: map[int64][]any{1: {"c", nil, "a"}, 2: {"x"}, 3: {"y"}}}
	rows, err := drain(t, exec.Run(ifFewOf(4), r.inputs(), exec.Options{}))
	if want := []any{nil, "a", "c"}; err != nil || !reflect.DeepEqual(values(rows), want) || !reflect.DeepEqual(r.opened, []int64{1}) {
		t.Fatalf("rows %v, err %v, reads %v: want %v from the first read alone", values(rows), err, r.opened, want)
	}
	for _, recs := range [][]any{{}, {"z"}} {
		r.records[1], r.opened = recs, nil
		rows, err = drain(t, exec.Run(ifFewOf(4), r.inputs(), exec.Options{}))
		if err != nil || len(rows) != len(recs) || !reflect.DeepEqual(r.opened, []int64{1}) {
			t.Fatalf("%d records: rows %v, err %v, reads %v: want them from the first read alone", len(recs), values(rows), err, r.opened)
		}
	}
	r.records[1], r.opened = []any{"c", "b", "a", "d"}, nil
	rows, err = drain(t, exec.Run(ifFewOf(4), r.inputs(), exec.Options{}))
	if want := []any{"x", "y"}; err != nil || !reflect.DeepEqual(values(rows), want) || !reflect.DeepEqual(r.opened, []int64{1, 2, 3}) {
		t.Fatalf("a full page: rows %v, err %v, reads %v: want %v from the other reads", values(rows), err, r.opened, want)
	}
	// A LIMIT met in Many's first read opens no other.
	r.opened = nil
	rows, err = drain(t, exec.Run(&plan.Limit{Count: 1, Input: ifFewOf(4)}, r.inputs(), exec.Options{}))
	if err != nil || !reflect.DeepEqual(values(rows), []any{"x"}) || !reflect.DeepEqual(r.opened, []int64{1, 2}) {
		t.Fatalf("LIMIT 1 after a full page: rows %v, err %v, reads %v", values(rows), err, r.opened)
	}
}

// The read tried first starts with the plan, as a single read does; an
// error of that read is the rows' error.
func TestIfFewOpensItsReadAtOnceAndReportsItsError(t *testing.T) {
	failing := errors.New("GAIA boom")
	var opened []int64
	in := exec.Inputs{Open: func(read *scan.Spec) func() (catalog.Record, error) {
		opened = append(opened, read.App)
		return func() (catalog.Record, error) { return nil, failing }
	}}
	next := exec.Run(ifFewOf(4), in, exec.Options{})
	if !reflect.DeepEqual(opened, []int64{1}) {
		t.Fatalf("reads %v before the first row, want the one tried first", opened)
	}
	if _, err := next(); !errors.Is(err, failing) {
		t.Fatalf("err = %v, want the read's", err)
	}
	if _, err := exec.Run(ifFewOf(4), exec.Inputs{Records: func() (catalog.Record, error) { return nil, io.EOF }}, exec.Options{})(); err == nil || errors.Is(err, io.EOF) {
		t.Fatalf("err = %v, want an internal error without Open", err)
	}
}
