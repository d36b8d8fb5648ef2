package translate

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/kintone-sql/kintone/translate/exec"
	"github.com/kintone-sql/kintone/translate/plan"

	"github.com/kintone-sql/kintone/translate/bind"
	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/parse"
	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// This file prepares SHOW TABLES, SHOW COLUMNS, DESCRIBE and EXPLAIN: each
// becomes a SELECT over a virtual table, so that LIKE and WHERE filters
// run through the ordinary pipeline.

// virtualTemplate makes the template of SELECT * FROM vt WHERE where.
func virtualTemplate(name string, vt *catalog.VirtualTable, where expr.Expr) *bind.SelectTemplate {
	tbl := &catalog.Table{Name: name, Cols: vt.Cols, Virtual: vt}
	t := &bind.SelectTemplate{Table: tbl, Where: where}
	for _, c := range vt.Cols {
		ref := &expr.ColRef{Col: c, At: -1}
		t.Items = append(t.Items, bind.Item{Expr: ref, Name: c.Name, Column: bind.ColumnMeta(ref, c.Name)})
	}
	return t
}

// likeFilter is "column LIKE pattern" on the first column of a virtual
// table.
func likeFilter(col *catalog.Column, pattern string, at int) expr.Expr {
	return &expr.Like{X: &expr.ColRef{Col: col, At: at}, Pat: &expr.Const{Value: pattern, Kind: catalog.KText, At: at}, At: at}
}

// prepareShowTables prepares SHOW [FULL] TABLES [FROM db] [LIKE | WHERE].
func prepareShowTables(src *bind.Text, opts Options, n *parse.ShowTables) (*bind.SelectTemplate, error) {
	if n.DB != nil && !strings.EqualFold(n.DB.Name, opts.Database) {
		return nil, &sqlerr.Error{Pos: src.Pos(n.DB.Pos()), Msg: "unknown database " + sqlerr.Abbrev(n.DB.Name) + " (this connection's is " + opts.Database + ")"}
	}
	vt := catalog.ShowTablesTable(opts.Database, n.Full)
	t := virtualTemplate("tables", vt, nil)
	return t, showFilter(src, t, n.Like, n.Where)
}

// showFilter sets the WHERE of a SHOW's template: its LIKE 'pattern' on
// the first column, or its WHERE condition.
func showFilter(src *bind.Text, t *bind.SelectTemplate, like *parse.Literal, where parse.Expr) error {
	switch {
	case like != nil:
		t.Where = likeFilter(t.Table.Cols[0], like.Value, like.Pos())
	case where != nil:
		b := &bind.Builder{Text: src, Table: t.Table}
		w, err := b.Expr(where, bind.ExprCtx{})
		if err != nil {
			return err
		}
		t.Where = w
	}
	return nil
}

// prepareShowColumns prepares SHOW [FULL] {COLUMNS | FIELDS} {FROM | IN}
// t [{FROM | IN} db] [LIKE 'pattern' | WHERE condition].
func (p *Prepared) prepareShowColumns(ctx context.Context, n *parse.ShowColumns) error {
	if n.DB != nil && !strings.EqualFold(n.DB.Name, p.opts.Database) {
		return &sqlerr.Error{Pos: p.src.Pos(n.DB.Pos()), Msg: "unknown database (this connection's is " + p.opts.Database + ")"}
	}
	tbl, err := bind.ResolveTableName(ctx, p.src, p.schema, p.opts.bind(), n.Table)
	if err != nil {
		return err
	}
	p.tmpl = virtualTemplate("columns", catalog.ShowColumnsTable(tbl, n.Full), nil)
	return showFilter(p.src, p.tmpl, n.Like, n.Where)
}

// prepareDescribe prepares DESCRIBE / DESC / EXPLAIN t [column or
// pattern], which is SHOW COLUMNS FROM t [LIKE column].
func (p *Prepared) prepareDescribe(ctx context.Context, n *parse.Describe) error {
	tbl, err := bind.ResolveTableName(ctx, p.src, p.schema, p.opts.bind(), n.Table)
	if err != nil {
		return err
	}
	vt := catalog.ShowColumnsTable(tbl, false)
	p.tmpl = virtualTemplate("columns", vt, nil)
	switch {
	case n.Column != nil:
		p.tmpl.Where = likeFilter(vt.Cols[0], n.Column.Name, n.Column.Pos())
	case n.Pattern != nil:
		p.tmpl.Where = likeFilter(vt.Cols[0], n.Pattern.Value, n.Pattern.Pos())
	}
	return nil
}

// explainPlan turns a plan into the result of EXPLAIN: strategy, app,
// query, fields, page_size, max_records and the Go-side steps, in a row
// per Kintone read.
func explainPlan(s *Select) *Select {
	return explainTable(readExplainColumns(), selectExplain(s), s.loc)
}

// selectExplain is the rows EXPLAIN SELECT gives for s: one, or one per
// Kintone read of a plan that opens several.
func selectExplain(s *Select) []catalog.Record {
	if s.Read == nil {
		if reads := planReads(s.root); len(reads) > 0 {
			return joinExplain(s, reads)
		}
	}
	return []catalog.Record{readExplain(s)}
}

// planRead is one Kintone read of a plan with several (a join), with the
// key lookup that may replace it.
type planRead struct {
	read   *plan.KintoneRead
	lookup *plan.KeyLookup
}

// planReads lists the Kintone reads of a plan whose reads the plan opens
// itself, in the order the tree lists them (left before right).
func planReads(root plan.Node) []planRead {
	var out []planRead
	lookups := map[*plan.KintoneRead]*plan.KeyLookup{}
	plan.Inspect(root, func(n plan.Node) bool {
		switch n := n.(type) {
		case *plan.Join:
			if n.Lookup != nil && n.Lookup.Whole != nil {
				lookups[n.Lookup.Whole] = n.Lookup
			}
		case *plan.KintoneRead:
			if n.Read != nil {
				out = append(out, planRead{read: n, lookup: lookups[n]})
			}
		}
		return true
	})
	return out
}

// joinExplain is EXPLAIN of a plan of several reads (a join, a read per
// option): a row per Kintone read, each with its query; the first row has
// the Go-side steps and the tree.
func joinExplain(s *Select, reads []planRead) []catalog.Record {
	var rows []catalog.Record
	for i, pr := range reads {
		r := pr.read.Read
		row := catalog.Record{"strategy": r.Strategy.String(), "app": r.App, "query": r.Query.String(), "fields": strings.Join(r.Fields, ",")}
		if r.Strategy != StrategySingle && r.Strategy != StrategyCount {
			row["page_size"] = int64(r.PageSize)
		}
		if r.MaxRecords > 0 {
			row["max_records"] = r.MaxRecords
		}
		if l := pr.lookup; l != nil {
			row["go"] = fmt.Sprintf("read by %s in (the keys of the other side), at most %d keys per request, when the other side has at most %d rows and the batches are fewer than this read's pages (a count request decides when there is more than one); else as shown", l.Field, l.Batch, exec.SmallSide)
		}
		if i == 0 {
			if steps := s.steps(); len(steps) > 0 {
				g := strings.Join(steps, "; ")
				if lk, ok := row["go"].(string); ok {
					g = lk + "; then " + g
				}
				row["go"] = g
			}
			row["plan"] = explainTree(s.root)
		}
		rows = append(rows, row)
	}
	return rows
}

// readExplainColumns are the columns of EXPLAIN SELECT.
func readExplainColumns() []*catalog.Column {
	return []*catalog.Column{
		catalog.VirtualColumn("strategy", catalog.KText, false),
		catalog.VirtualColumn("app", catalog.KInt, true),
		catalog.VirtualColumn("query", catalog.KText, true),
		catalog.VirtualColumn("fields", catalog.KText, true),
		catalog.VirtualColumn("page_size", catalog.KInt, true),
		catalog.VirtualColumn("max_records", catalog.KInt, true),
		catalog.VirtualColumn("go", catalog.KText, true),
		catalog.VirtualColumn("plan", catalog.KText, true), // NULL after a join's first row
	}
}

// readExplain is the row EXPLAIN SELECT gives for s.
func readExplain(s *Select) catalog.Record {
	row := catalog.Record{"strategy": s.Strategy().String()}
	if r := s.Read; r != nil {
		row["app"] = r.App
		row["query"] = r.Query.String()
		row["fields"] = strings.Join(r.Fields, ",")
		if r.Strategy != StrategySingle && r.Strategy != StrategyCount {
			row["page_size"] = int64(r.PageSize)
		}
		if r.MaxRecords > 0 {
			row["max_records"] = r.MaxRecords
		}
	}
	if steps := s.steps(); len(steps) > 0 {
		row["go"] = strings.Join(steps, "; ")
	}
	row["plan"] = explainTree(s.root)
	return row
}

// explainTree is the plan column of EXPLAIN: the tree, a line per node.
func explainTree(n plan.Node) string {
	return strings.TrimSuffix(plan.Explain(n), "\n")
}

// explainTable makes the result of an EXPLAIN: rows of a virtual table,
// all of its columns.
func explainTable(cols []*catalog.Column, rows []catalog.Record, loc *time.Location) *Select {
	out := &Select{loc: loc}
	proj := &plan.Project{Input: &plan.Metadata{Rows: rows}}
	for i, c := range cols {
		ref := &expr.ColRef{Col: c, At: -1, Index: i, Resolved: true}
		proj.Input.(*plan.Metadata).Columns = append(proj.Input.(*plan.Metadata).Columns, c.Code)
		proj.Items = append(proj.Items, ref)
		out.Columns = append(out.Columns, bind.ColumnMeta(ref, c.Name))
	}
	out.root = proj
	return out
}
