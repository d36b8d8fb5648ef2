package expr_test

import (
	"testing"

	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/expr"
)

// TestUnresolvedColRefIsAnError: a ColRef the binder makes has Index 0
// until ResolveColumns sets it, and Eval reads Row[Index] without asking
// whether it was resolved (eval.go:34). An expression that skips
// resolution (a new operator in issue 14 that forgets it, or
// plan.Sort.Keys, which the optimizer leaves unresolved) silently reads
// the row's first column instead of failing.
func TestUnresolvedColRefIsAnError(t *testing.T) {
	b := &catalog.Column{Name: "b", Code: "b", Kind: catalog.KText, Nullable: true}
	ref := &expr.ColRef{Col: b, At: -1} // as the binder builds it
	en := &expr.Env{Row: []any{"value of a", "value of b"}}
	v, err := en.Eval(ref)
	if err == nil {
		t.Errorf("an unresolved reference to b evaluated to %v (the first column), want an error", v)
	}
	r, err := expr.ResolveColumns(ref, []string{"a", "b"})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := en.Eval(r); v != "value of b" {
		t.Errorf("resolved: %v", v)
	}
}
