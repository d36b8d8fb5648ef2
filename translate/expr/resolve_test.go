package expr_test

import (
	"testing"

	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/expr"
)

// TestUnresolvedColRefIsAnError: a ColRef the binder makes reads nothing
// until ResolveColumns places it; evaluating one the planner skipped is an
// error, never a read of the row's first column (a reviewer's finding).
func TestUnresolvedColRefIsAnError(t *testing.T) {
	a := &catalog.Column{Name: "a", Code: "a", Kind: catalog.KText, Nullable: true}
	b := &catalog.Column{Name: "b", Code: "b", Kind: catalog.KText, Nullable: true}
	ref := &expr.ColRef{Col: b, At: -1} // as the binder builds it
	en := &expr.Env{Row: []any{"value of a", "value of b"}}
	if v, err := en.Eval(ref); err == nil {
		t.Errorf("an unresolved reference to b evaluated to %v (the first column), want an error", v)
	}
	r, err := expr.ResolveColumns(ref, []*catalog.Column{a, b})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := en.Eval(r); v != "value of b" {
		t.Errorf("resolved: %v", v)
	}
	if ref.Resolved || ref.Index != 0 {
		t.Error("ResolveColumns changed the binder's node in place")
	}
	if _, err := expr.ResolveColumns(ref, []*catalog.Column{a}); err == nil {
		t.Error("a column the rows do not hold resolved")
	}
}

// TestColumnsResolveByIdentity: two tables' title (a self-join's sides)
// are two columns; each reference finds its own, not the first title.
func TestColumnsResolveByIdentity(t *testing.T) {
	left := &catalog.Column{Name: "title", Code: "title", Kind: catalog.KText}
	right := &catalog.Column{Name: "title", Code: "title", Kind: catalog.KText}
	cmp := &expr.Cmp{Op: "=", L: &expr.ColRef{Col: left, At: -1}, R: &expr.ColRef{Col: right, At: -1}}
	r, err := expr.ResolveColumns(cmp, []*catalog.Column{left, right})
	if err != nil {
		t.Fatal(err)
	}
	en := &expr.Env{Row: []any{"tea", "coffee"}}
	if ok, err := en.EvalBool(r); err != nil || ok {
		t.Errorf("left.title = right.title over (tea, coffee) is %v, %v: the two references read one column", ok, err)
	}
}
