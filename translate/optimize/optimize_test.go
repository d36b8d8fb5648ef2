package optimize_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/internal/scan"
	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/optimize"
	"github.com/kintone-sql/kintone/translate/plan"
	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// oneApp is a Schema of one app, ORD (42): title, amount, the update time.
type oneApp struct{}

func (oneApp) app() *catalog.App {
	return &catalog.App{ID: 42, Name: "ORD", Fields: map[string]*field.Property{
		"title":   {Code: "title", Type: field.SingleLineText},
		"amount":  {Code: "amount", Type: field.Number},
		"updated": {Code: "updated", Type: field.UpdatedTime},
	}, Order: []string{"title", "amount", "updated"}}
}

func (s oneApp) App(_ context.Context, name string) (*catalog.App, error) {
	if name == "ORD" || name == "42" {
		return s.app(), nil
	}
	return nil, nil
}

func (s oneApp) Apps(context.Context) ([]*catalog.App, error) { return []*catalog.App{s.app()}, nil }

func table(t *testing.T) *catalog.Table {
	t.Helper()
	tbl, err := catalog.ResolveTable(context.Background(), oneApp{}, "", "ORD", sqlerr.Position{}, "kintone")
	if err != nil {
		t.Fatal(err)
	}
	return tbl
}

func ref(t *testing.T, tbl *catalog.Table, name string) *expr.ColRef {
	t.Helper()
	c, err := tbl.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return &expr.ColRef{Col: c, At: -1}
}

func env() optimize.Env {
	return optimize.Env{Schema: oneApp{}, PageSize: 500, Pos: func(int) sqlerr.Position { return sqlerr.Position{} }}
}

// TestOptimizeReplacesTheScan: the binder's Scan becomes the Kintone
// read, the ORDER BY on a sortable column goes to Kintone (with a check of
// where Kintone puts empty values), the LIMIT too, and the rows Go reads
// are the fields read.
func TestOptimizeReplacesTheScan(t *testing.T) {
	tbl := table(t)
	logical := &plan.Limit{Count: 900, Input: &plan.Sort{Keep: -1, Keys: []plan.Order{{Expr: ref(t, tbl, "amount"), Desc: true, Output: -1}},
		Input: &plan.Project{Items: []expr.Expr{ref(t, tbl, "title")}, Input: &plan.Scan{Table: tbl}}}}
	res, err := optimize.Optimize(context.Background(), logical, env())
	if err != nil {
		t.Fatal(err)
	}
	if res.Read == nil || res.Read.Strategy != scan.Offset || res.Read.MaxRecords != 900 {
		t.Fatalf("read %+v, want offset pages of at most 900 records", res.Read)
	}
	if got := res.Read.Query.String(); got != "order by amount desc, $id asc" {
		t.Errorf("query %q", got)
	}
	want := "project title\n└─ check Kintone's order (nullable sort keys)\n   └─ kintone read of app 42 (offset)\n"
	if got := plan.Explain(res.Root); got != want {
		t.Errorf("tree\n%s\nwant\n%s", got, want)
	}
	if got := strings.Join(res.Read.Fields, ","); got != "$id,title,amount" {
		t.Errorf("fields %s", got)
	}
	plan.Inspect(res.Root, func(n plan.Node) bool {
		if _, ok := n.(*plan.Scan); ok {
			t.Error("a Scan is left in the plan that runs")
		}
		return true
	})
}

// TestOptimizeRefusesAShapeItDoesNotKnow: a tree that is not a
// single-table SELECT is a planner's mistake, reported, never run.
func TestOptimizeRefusesAShapeItDoesNotKnow(t *testing.T) {
	tbl := table(t)
	for name, root := range map[string]plan.Node{
		"no projection": &plan.Limit{Count: 1, Input: &plan.Scan{Table: tbl}},
		"no table":      &plan.Project{Input: &plan.Nothing{}},
	} {
		if _, err := optimize.Optimize(context.Background(), root, env()); err == nil || !strings.Contains(err.Error(), "internal error") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}
