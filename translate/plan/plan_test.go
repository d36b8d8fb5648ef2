package plan_test

import (
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/plan"
)

func col(name string) expr.Expr {
	return &expr.ColRef{Col: catalog.VirtualColumn(name, catalog.KText, true), At: -1}
}

func sample() plan.Node {
	read := &plan.KintoneRead{App: 7, Strategy: "seek"}
	filter := &plan.Filter{Input: read, Cond: &expr.Cmp{Op: "=", L: col("a"), R: &expr.Const{Value: "x", Kind: catalog.KText}}}
	proj := &plan.Project{Input: filter, Items: []expr.Expr{col("a")}, Hidden: []expr.Expr{col("b")}}
	sort := &plan.Sort{Input: proj, Keys: []plan.Order{{Expr: col("b"), Desc: true}}, Cols: []int{1}, Columns: 1, Keep: 5}
	return &plan.Limit{Input: sort, Count: 5}
}

func TestExplainPrintsTheTreeRootFirst(t *testing.T) {
	want := strings.Join([]string{
		"limit 5",
		"└─ sort by b DESC keeping the first 5 (holds 5 rows)",
		"   └─ project a, (b)",
		"      └─ filter: a = 'x'",
		"         └─ kintone read of app 7 (seek)",
		"",
	}, "\n")
	if got := plan.Explain(sample()); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	steps := strings.Join(plan.Steps(sample()), "; ")
	if want := "filter: a = 'x'; sort by b DESC keeping the first 5 (holds 5 rows); limit 5"; steps != want {
		t.Errorf("steps = %s, want %s", steps, want)
	}
}

func TestTransformRewritesOnceAndKeepsTheOriginal(t *testing.T) {
	orig := sample()
	before := plan.Explain(orig)
	// Drop every filter: the rewrite is written once, for every node kind.
	out, err := plan.Transform(orig, func(n plan.Node) (plan.Node, error) {
		if f, ok := n.(*plan.Filter); ok {
			return f.Input, nil
		}
		return n, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plan.Explain(out), "filter") {
		t.Errorf("filter left in\n%s", plan.Explain(out))
	}
	if plan.Explain(orig) != before {
		t.Errorf("Transform changed the original tree:\n%s", plan.Explain(orig))
	}
	n := 0
	plan.Inspect(out, func(plan.Node) bool { n++; return true })
	if n != 4 {
		t.Errorf("%d nodes after the rewrite, want 4", n)
	}
}

func TestWithChildrenRefusesTheWrongNumberOfInputs(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	(&plan.Limit{Count: 1}).WithChildren()
}
