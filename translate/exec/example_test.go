package exec_test

import (
	"errors"
	"fmt"
	"io"

	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/exec"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/plan"
)

// Run executes a plan over the records of its Kintone read: here the two
// largest amounts, largest first.
func ExampleRun() {
	amount := &expr.ColRef{Col: catalog.VirtualColumn("amount", catalog.KInt, true), At: -1, Index: 0, Resolved: true}
	root := &plan.Limit{Count: 2, Input: &plan.Sort{
		Keys: []plan.Order{{Expr: amount, Desc: true, Output: 0}}, Cols: []int{0}, Columns: 1, Keep: 2,
		Input: &plan.Project{Items: []expr.Expr{amount}, Input: &plan.KintoneRead{Columns: []string{"amount"}}},
	}}
	recs := []catalog.Record{{"amount": int64(5)}, {"amount": int64(9)}, {"amount": nil}, {"amount": int64(7)}}
	next := exec.Run(root, exec.Inputs{Records: func() (catalog.Record, error) {
		if len(recs) == 0 {
			return nil, io.EOF
		}
		r := recs[0]
		recs = recs[1:]
		return r, nil
	}}, exec.Options{})
	for {
		row, err := next()
		if errors.Is(err, io.EOF) {
			break
		}
		fmt.Println(row...)
	}
	// Output:
	// 9
	// 7
}
