package plan_test

import (
	"fmt"

	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/plan"
)

// Explain prints a tree the root first, each input under the node that
// reads it.
func ExampleExplain() {
	amount := &expr.ColRef{Col: catalog.VirtualColumn("amount", catalog.KInt, true), At: -1}
	read := &plan.KintoneRead{App: 42, Strategy: "seek", Columns: []string{"amount"}}
	top := &plan.Sort{Keys: []plan.Order{{Expr: amount, Desc: true, Output: 0}}, Cols: []int{0}, Columns: 1, Keep: 3,
		Input: &plan.Project{Items: []expr.Expr{amount}, Input: read}}
	fmt.Print(plan.Explain(&plan.Limit{Count: 3, Input: top}))
	// Output:
	// limit 3
	// └─ sort by amount DESC keeping the first 3 (holds 3 rows)
	//    └─ project amount
	//       └─ kintone read of app 42 (seek)
}
