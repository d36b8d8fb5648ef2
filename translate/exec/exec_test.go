package exec_test

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/exec"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/plan"
	"github.com/kintone-sql/kintone/translate/sqlerr"
)

var (
	nCol = catalog.VirtualColumn("n", catalog.KInt, true)
	n    = &expr.ColRef{Col: nCol, At: -1, Resolved: true}
)

// source yields records {n: v} for vs, counting the reads.
func source(reads *int, vs ...any) func() (catalog.Record, error) {
	i := 0
	return func() (catalog.Record, error) {
		if i >= len(vs) {
			return nil, io.EOF
		}
		*reads++
		i++
		return catalog.Record{"n": vs[i-1]}, nil
	}
}

func drain(t *testing.T, next func() ([]any, error)) ([][]any, error) {
	t.Helper()
	var out [][]any
	for {
		row, err := next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, row)
	}
}

func TestSortWithLimitKeepsTheBestRowsNullsFirst(t *testing.T) {
	var reads int
	root := &plan.Limit{Count: 3, Offset: 1, Input: &plan.Sort{
		Keys: []plan.Order{{Expr: n}}, Cols: []int{1}, Columns: 1, Keep: 4,
		Input: &plan.Project{Items: []expr.Expr{n}, Hidden: []expr.Expr{n}, Input: &plan.KintoneRead{Columns: []string{"n"}}},
	}}
	rows, err := drain(t, exec.Run(root, exec.Inputs{Records: source(&reads, int64(5), nil, int64(3), int64(9), int64(1), int64(7))}, exec.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	want := []any{int64(1), int64(3), int64(5)}
	if len(rows) != 3 || len(rows[0]) != 1 {
		t.Fatalf("rows = %v, want one column of %v", rows, want)
	}
	for i, w := range want {
		if rows[i][0] != w {
			t.Fatalf("rows = %v, want %v", rows, want)
		}
	}
}

func TestLimitStopsReadingEarly(t *testing.T) {
	var reads int
	root := &plan.Limit{Count: 2, Input: &plan.Project{Items: []expr.Expr{n}, Input: &plan.KintoneRead{Columns: []string{"n"}}}}
	rows, err := drain(t, exec.Run(root, exec.Inputs{Records: source(&reads, int64(1), int64(2), int64(3), int64(4))}, exec.Options{}))
	if err != nil || len(rows) != 2 {
		t.Fatalf("rows %v, err %v", rows, err)
	}
	if reads != 2 {
		t.Errorf("read %d records for LIMIT 2", reads)
	}
}

func TestHoldingOperatorsFailPastMaxBuffered(t *testing.T) {
	count := &expr.Agg{Fn: "count"}
	proj := func(in plan.Node) plan.Node { return &plan.Project{Items: []expr.Expr{n}, Input: in} }
	for name, root := range map[string]plan.Node{
		"sort":     &plan.Sort{Keys: []plan.Order{{Expr: n}}, Cols: []int{0}, Columns: 1, Keep: -1, Input: proj(&plan.KintoneRead{Columns: []string{"n"}})},
		"distinct": &plan.Distinct{Input: proj(&plan.KintoneRead{Columns: []string{"n"}})},
		"group":    &plan.Aggregate{GroupBy: []expr.Expr{n}, Aggs: []*expr.Agg{count}, Input: &plan.KintoneRead{Columns: []string{"n"}}},
	} {
		var reads int
		_, err := drain(t, exec.Run(root, exec.Inputs{Records: source(&reads, int64(1), int64(2), int64(3))}, exec.Options{MaxBuffered: 2}))
		if !errors.Is(err, sqlerr.ErrTooManyRows) {
			t.Errorf("%s: err = %v, want ErrTooManyRows", name, err)
		}
	}
}

func TestCheckOrderFailsOnARecordOutOfOrder(t *testing.T) {
	var reads int
	root := &plan.Project{Items: []expr.Expr{n}, Input: &plan.CheckOrder{Keys: []plan.Order{{Expr: n}}, Input: &plan.KintoneRead{Columns: []string{"n"}}}}
	rows, err := drain(t, exec.Run(root, exec.Inputs{Records: source(&reads, nil, int64(2), int64(1))}, exec.Options{}))
	if !errors.Is(err, sqlerr.ErrOrderMismatch) || len(rows) != 2 {
		t.Fatalf("rows %v, err %v: want the two rows in order, then ErrOrderMismatch", rows, err)
	}
}

func TestAggregateWithoutGroupByHasOneGroupOverNoRows(t *testing.T) {
	root := &plan.Aggregate{Aggs: []*expr.Agg{{Fn: "count"}}, Input: &plan.Nothing{}}
	rows, err := drain(t, exec.Run(root, exec.Inputs{}, exec.Options{}))
	if err != nil || len(rows) != 1 || rows[0][0] != int64(0) {
		t.Fatalf("rows %v, err %v: want one row, COUNT(*) = 0", rows, err)
	}
	total := &plan.Aggregate{Aggs: []*expr.Agg{{Fn: "count"}, {Fn: "count"}}, FromTotal: true, Input: &plan.KintoneRead{Columns: []string{"n"}}}
	rows, err = drain(t, exec.Run(total, exec.Inputs{Total: 42}, exec.Options{}))
	if err != nil || len(rows) != 1 || rows[0][0] != int64(42) || rows[0][1] != int64(42) {
		t.Fatalf("rows %v, err %v: want [42 42]", rows, err)
	}
}

// TestUnplannedNodesFailInsteadOfRunning: a tree the optimizer has not
// finished (a Scan left, a Sort without key columns) is a planner's
// mistake: its rows fail with an internal error; nothing panics and no
// row comes back wrong.
func TestUnplannedNodesFailInsteadOfRunning(t *testing.T) {
	for name, root := range map[string]plan.Node{
		"scan":          &plan.Project{Items: []expr.Expr{n}, Input: &plan.Scan{Table: &catalog.Table{Name: "T"}}},
		"unplaced sort": &plan.Sort{Keys: []plan.Order{{Expr: n}}, Keep: -1, Input: &plan.Project{Items: []expr.Expr{n}, Input: &plan.KintoneRead{Columns: []string{"n"}}}},
	} {
		var reads int
		rows, err := drain(t, exec.Run(root, exec.Inputs{Records: source(&reads, int64(1))}, exec.Options{}))
		if err == nil || !strings.Contains(err.Error(), "internal error") || len(rows) != 0 {
			t.Errorf("%s: rows %v, err %v: want an internal error and no row", name, rows, err)
		}
	}
}
