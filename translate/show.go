package translate

import (
	"context"
	"github.com/kintone-sql/kintone/translate/plan"
	"strings"
	"time"

	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/sqlerr"
	"github.com/xwb1989/sqlparser"
)

// This file prepares SHOW TABLES, SHOW COLUMNS, DESCRIBE and EXPLAIN: each
// becomes a SELECT over a virtual table, so that LIKE and WHERE filters
// run through the ordinary pipeline.

// virtualTemplate makes the template of SELECT * FROM vt WHERE where.
func virtualTemplate(name string, vt *catalog.VirtualTable, where expr.Expr) *selectTemplate {
	tbl := &catalog.Table{Name: name, Cols: vt.Cols, Virtual: vt}
	t := &selectTemplate{tbl: tbl, where: where}
	for _, c := range vt.Cols {
		ref := &expr.ColRef{Col: c, At: -1}
		t.items = append(t.items, item{e: ref, name: c.Name, meta: columnMeta(ref, c.Name)})
	}
	return t
}

// likeFilter is "column LIKE pattern" on the first column of a virtual
// table.
func likeFilter(col *catalog.Column, pattern string, at int) expr.Expr {
	return &expr.Like{X: &expr.ColRef{Col: col, At: at}, Pat: &expr.Const{Value: pattern, Kind: catalog.KText, At: at}, At: at}
}

// prepareShowTables prepares SHOW [FULL] TABLES [FROM db] [LIKE | WHERE].
func prepareShowTables(src *source, loc *locator, opts Options, n *sqlparser.Show) (*selectTemplate, error) {
	opt := n.ShowTablesOpt
	if opt.DbName != "" && !strings.EqualFold(opt.DbName, opts.Database) {
		return nil, &sqlerr.Error{Pos: src.pos(loc.ident(opt.DbName)), Msg: "unknown database " + opt.DbName + " (this connection's is " + opts.Database + ")"}
	}
	vt := catalog.ShowTablesTable(opts.Database, opt.Full != "")
	t := virtualTemplate("tables", vt, nil)
	if f := opt.Filter; f != nil {
		if f.Like != "" {
			t.where = likeFilter(vt.Cols[0], f.Like, loc.word("like"))
		} else if f.Filter != nil {
			loc.clause("where")
			b := &builder{src: src, loc: loc, tbl: t.tbl}
			w, err := b.expr(f.Filter, exprCtx{})
			if err != nil {
				return nil, err
			}
			t.where = w
		}
	}
	return t, nil
}

// tableRef reads a table name at token i: name, `name` or a.b. It returns
// the qualifier, the name, the name's offset and the next token index.
func tableRef(src *source, i int) (qual, name string, at, next int, ok bool) {
	t := src.toks
	ident := func(j int) (string, bool) {
		if j < len(t) && (t[j].kind == tWord || t[j].kind == tQuoted || t[j].kind == tNumber) {
			return t[j].text, true
		}
		return "", false
	}
	name, ok = ident(i)
	if !ok {
		return "", "", 0, i, false
	}
	at = t[i].pos
	if i+2 < len(t) && t[i+1].kind == tPunct && t[i+1].text == "." {
		second, ok := ident(i + 2)
		if !ok {
			return "", "", 0, i, false
		}
		return name, second, at, i + 3, true
	}
	return "", name, at, i + 1, true
}

// prepareShowColumns prepares SHOW [FULL] {COLUMNS | FIELDS} {FROM | IN}
// t [{FROM | IN} db] [LIKE 'pattern' | WHERE condition]. The parser drops
// the table name of this statement, so it is read from the tokens.
func (p *Prepared) prepareShowColumns(ctx context.Context) error {
	src := p.src
	t := src.toks
	i := 1
	full := false
	if t[i].is("full") {
		full = true
		i++
	}
	i++ // COLUMNS or FIELDS
	if i >= len(t) || !(t[i].is("from") || t[i].is("in")) {
		return p.syntaxAt(i, "expected FROM and a table name")
	}
	qual, name, at, next, ok := tableRef(src, i+1)
	if !ok {
		return p.syntaxAt(i+1, "expected a table name")
	}
	i = next
	if i < len(t) && (t[i].is("from") || t[i].is("in")) {
		if i+1 >= len(t) || !strings.EqualFold(t[i+1].text, p.opts.Database) {
			return &sqlerr.Error{Pos: src.pos(t[min(i+1, len(t)-1)].pos), Msg: "unknown database (this connection's is " + p.opts.Database + ")"}
		}
		i += 2
	}
	tbl, err := catalog.ResolveTable(ctx, p.schema, qual, name, src.pos(at), p.opts.Database)
	if err != nil {
		return err
	}
	vt := catalog.ShowColumnsTable(tbl, full)
	p.tmpl = virtualTemplate("columns", vt, nil)
	return p.showFilter(i, vt)
}

// showFilter reads an optional LIKE 'pattern' or WHERE condition at token
// i, which must end the statement.
func (p *Prepared) showFilter(i int, vt *catalog.VirtualTable) error {
	src := p.src
	t := src.toks
	for i < len(t) && t[i].kind == tPunct && t[i].text == ";" && i == len(t)-1 {
		i++
	}
	switch {
	case i >= len(t):
		return nil
	case t[i].is("like") && i+1 < len(t) && t[i+1].kind == tString && (i+2 == len(t) || i+3 == len(t) && t[i+2].text == ";"):
		p.tmpl.where = likeFilter(vt.Cols[0], t[i+1].text, t[i].pos)
		return nil
	case t[i].is("where"):
		textPos := t[i].pos
		for _, ins := range src.inserted {
			if src.orig(ins) <= t[i].pos {
				textPos++
			}
		}
		const prefix = "select 1 from dual "
		stmt, err := sqlparser.ParseStrictDDL(prefix + src.text[textPos:])
		if err != nil {
			return shiftedSyntaxError(src, err, textPos-len(prefix))
		}
		sel, ok := stmt.(*sqlparser.Select)
		if !ok || sel.Where == nil {
			return p.syntaxAt(i, "bad WHERE condition")
		}
		if sel.GroupBy != nil || sel.Having != nil || sel.OrderBy != nil || sel.Limit != nil || sel.Lock != "" {
			// The parser read clauses that SHOW does not have: point
			// at the first one after the condition.
			for j := i + 1; j < len(t); j++ {
				for _, w := range []string{"group", "having", "order", "limit", "for", "lock"} {
					if t[j].is(w) {
						return p.syntaxAt(j, "SHOW COLUMNS ends with its WHERE condition")
					}
				}
			}
			return p.syntaxAt(i, "SHOW COLUMNS ends with its WHERE condition")
		}
		loc := newLocator(src)
		loc.floor = i
		b := &builder{src: src, loc: loc, tbl: p.tmpl.tbl}
		w, err := b.expr(sel.Where.Expr, exprCtx{})
		if err != nil {
			return err
		}
		p.tmpl.where = w
		return nil
	}
	return p.syntaxAt(i, "expected LIKE 'pattern', WHERE or the end of the statement")
}

// syntaxAt reports a syntax error at token i.
func (p *Prepared) syntaxAt(i int, msg string) error {
	if i >= len(p.src.toks) {
		return &sqlerr.SyntaxError{Pos: p.src.pos(len(p.src.sql)), Msg: msg}
	}
	t := p.src.toks[i]
	return &sqlerr.SyntaxError{Pos: p.src.pos(t.pos), Near: p.src.sql[t.pos:t.end], Msg: msg}
}

// prepareDescribe prepares DESCRIBE / DESC / EXPLAIN t [column or
// pattern], which is SHOW COLUMNS FROM t [LIKE column].
func (p *Prepared) prepareDescribe(ctx context.Context) error {
	src := p.src
	t := src.toks
	qual, name, at, i, ok := tableRef(src, 1)
	if !ok {
		return p.syntaxAt(1, "expected a table name")
	}
	tbl, err := catalog.ResolveTable(ctx, p.schema, qual, name, src.pos(at), p.opts.Database)
	if err != nil {
		return err
	}
	vt := catalog.ShowColumnsTable(tbl, false)
	p.tmpl = virtualTemplate("columns", vt, nil)
	if i < len(t) && !(t[i].kind == tPunct && t[i].text == ";") {
		if t[i].kind != tWord && t[i].kind != tQuoted && t[i].kind != tString {
			return p.syntaxAt(i, "expected a column name or pattern")
		}
		p.tmpl.where = likeFilter(vt.Cols[0], t[i].text, t[i].pos)
		i++
	}
	if i < len(t) && !(t[i].kind == tPunct && t[i].text == ";" && i == len(t)-1) {
		return p.syntaxAt(i, "expected the end of the statement")
	}
	return nil
}

// explainPlan turns a plan into the one-row result of EXPLAIN: strategy,
// app, query, fields, page_size, max_records and the Go-side steps.
func explainPlan(s *Select) *Select {
	return explainTable(readExplainColumns(), []catalog.Record{readExplain(s)}, s.pipe.loc)
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
		catalog.VirtualColumn("plan", catalog.KText, false),
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

// explainTable makes the result of an EXPLAIN: rows of a virtual table.
func explainTable(cols []*catalog.Column, rows []catalog.Record, loc *time.Location) *Select {
	out := &Select{pipe: &pipeline{virtual: rows, cols: columnCodes(cols), limit: -1, loc: loc}}
	for _, c := range cols {
		ref := &expr.ColRef{Col: c, At: -1}
		out.pipe.items = append(out.pipe.items, ref)
		out.Columns = append(out.Columns, columnMeta(ref, c.Name))
	}
	root, err := out.pipe.tree(nil)
	if err != nil {
		panic(err) // the columns are the table's own: cannot fail
	}
	out.root = root
	return out
}
