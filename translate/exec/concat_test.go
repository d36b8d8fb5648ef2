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
	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// reads is a fake driver: the records of each read by its app number,
// the reads opened in order, and the count of each count read.
type reads struct {
	records map[int64][]any
	counts  map[int64]int64
	opened  []int64
}

func (r *reads) inputs() exec.Inputs {
	return exec.Inputs{
		Open: func(read *scan.Spec) func() (catalog.Record, error) {
			r.opened = append(r.opened, read.App)
			vs := r.records[read.App]
			i := 0
			return func() (catalog.Record, error) {
				if i >= len(vs) {
					return nil, io.EOF
				}
				i++
				return catalog.Record{"n": vs[i-1]}, nil
			}
		},
		Count: func(read *scan.Spec) (int64, error) {
			r.opened = append(r.opened, read.App)
			return r.counts[read.App], nil
		},
	}
}

// readOf is the KintoneRead of app.
func readOf(app int64) *plan.KintoneRead {
	return &plan.KintoneRead{App: app, Columns: []string{"n"}, Read: &scan.Spec{App: app}}
}

// values is the first column of rows.
func values(rows [][]any) []any {
	out := []any{}
	for _, r := range rows {
		out = append(out, r[0])
	}
	return out
}

// A concatenation opens an input's read only when the one before has
// ended: a LIMIT met in the first input opens no other.
func TestConcatOpensTheNextReadOnlyWhenNeeded(t *testing.T) {
	r := &reads{records: map[int64][]any{1: {"a", "a"}, 2: {"b"}, 3: {"c"}}}
	cat := &plan.Concat{Inputs: []plan.Node{readOf(1), readOf(2), readOf(3)}}
	rows, err := drain(t, exec.Run(&plan.Limit{Count: 2, Input: cat}, r.inputs(), exec.Options{}))
	if err != nil || !reflect.DeepEqual(values(rows), []any{"a", "a"}) || !reflect.DeepEqual(r.opened, []int64{1}) {
		t.Fatalf("rows %v, err %v, reads %v: want a, a from the first read alone", rows, err, r.opened)
	}
	r.opened = nil
	rows, err = drain(t, exec.Run(&plan.Limit{Count: 3, Input: cat}, r.inputs(), exec.Options{}))
	if err != nil || !reflect.DeepEqual(values(rows), []any{"a", "a", "b"}) || !reflect.DeepEqual(r.opened, []int64{1, 2}) {
		t.Fatalf("rows %v, err %v, reads %v: want a, a, b from the first two reads", rows, err, r.opened)
	}
}

// A merge interleaves ordered inputs by their keys (NULLs first
// ascending), and reads no row past the last one asked for.
func TestMergeInterleavesOrderedInputs(t *testing.T) {
	r := &reads{records: map[int64][]any{1: {nil, "b", "d"}, 2: {"a", "c", "e"}, 3: {"f"}}}
	cat := &plan.Concat{Inputs: []plan.Node{readOf(1), readOf(3)}}
	m := &plan.Merge{Inputs: []plan.Node{cat, readOf(2)}, Keys: []plan.Order{{Expr: n}}, Cols: []int{0}}
	rows, err := drain(t, exec.Run(m, r.inputs(), exec.Options{}))
	if want := []any{nil, "a", "b", "c", "d", "e", "f"}; err != nil || !reflect.DeepEqual(values(rows), want) {
		t.Fatalf("rows %v, err %v, want %v", values(rows), err, want)
	}
	r.opened = nil
	rows, err = drain(t, exec.Run(&plan.Limit{Count: 5, Input: m}, r.inputs(), exec.Options{}))
	if err != nil || len(rows) != 5 || !reflect.DeepEqual(r.opened, []int64{1, 2}) {
		t.Fatalf("rows %v, err %v, reads %v: want 5 rows without the third read", values(rows), err, r.opened)
	}
	desc := &plan.Merge{Inputs: []plan.Node{readOf(4), readOf(5)}, Keys: []plan.Order{{Expr: n, Desc: true}}, Cols: []int{0}}
	r.records[4], r.records[5] = []any{"z", "b", nil}, []any{"y", "x", "a"}
	rows, err = drain(t, exec.Run(desc, r.inputs(), exec.Options{}))
	if want := []any{"z", "y", "x", "b", "a", nil}; err != nil || !reflect.DeepEqual(values(rows), want) {
		t.Fatalf("descending: rows %v, err %v, want %v", values(rows), err, want)
	}
}

// The records of no option come from Input when the counts add up, and
// else from Else, keeping only those whose value is NULL or no option.
func TestUnlistedFallsBackWhenTheCountsDiffer(t *testing.T) {
	unlisted := &plan.Unlisted{Input: readOf(1), Whole: readOf(2), Listed: readOf(3), Else: readOf(4), Col: 0, Options: []string{"a", "b"}}
	r := &reads{
		records: map[int64][]any{1: {"gone"}, 4: {"a", nil, "gone", "b", "old"}},
		counts:  map[int64]int64{2: 5, 3: 4},
	}
	rows, err := drain(t, exec.Run(unlisted, r.inputs(), exec.Options{}))
	if err != nil || !reflect.DeepEqual(values(rows), []any{"gone"}) || !reflect.DeepEqual(r.opened, []int64{1, 2, 3}) {
		t.Fatalf("rows %v, err %v, reads %v: want the one row of the first read", values(rows), err, r.opened)
	}
	r.counts[2], r.opened = 7, nil
	rows, err = drain(t, exec.Run(unlisted, r.inputs(), exec.Options{}))
	if want := []any{nil, "gone", "old"}; err != nil || !reflect.DeepEqual(values(rows), want) || !reflect.DeepEqual(r.opened, []int64{1, 2, 3, 4}) {
		t.Fatalf("rows %v, err %v, reads %v: want %v from the last read", values(rows), err, r.opened, want)
	}
	r.records[1] = []any{"x", "y", "z"}
	_, err = drain(t, exec.Run(unlisted, r.inputs(), exec.Options{MaxBuffered: 2}))
	if !errors.Is(err, sqlerr.ErrTooManyRows) {
		t.Fatalf("err = %v, want ErrTooManyRows past maxBufferedRows", err)
	}
}
