package bind

import (
	"fmt"
	"strings"

	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// This file is the scope column names resolve in: the tables of FROM,
// each named by its alias or name, and the columns USING merged.

// scope is what a column name can refer to: the tables of FROM (each
// named by its alias, else its name) and the columns USING and NATURAL
// merged.
type scope struct {
	tables []*scopeTable
	// merged are the columns of USING and NATURAL joins, by lower-case
	// name: an unqualified name refers to the merged value (the left
	// column of an inner or left join, the right one of a right join,
	// COALESCE of both for a full join).
	merged      map[string]expr.Expr
	mergedNames []string // in the order * lists them
	// mergedCols are the table columns a merged column stands for: *
	// lists them once, as the merged column.
	mergedCols map[*catalog.Column]bool
}

// scopeTable is a table of the scope.
type scopeTable struct {
	t *catalog.Table
	// nullable is set for a table on the side of an outer join that may
	// have no match: its columns are NULL in those rows.
	nullable bool
}

// oneTable is the scope of a statement that reads t alone.
func oneTable(t *catalog.Table) *scope { return &scope{tables: []*scopeTable{{t: t}}} }

// named reports whether q names t: its alias when it has one, else its
// name, or for a child table its subtable code alone, in any case (as
// tables resolve).
func named(t *catalog.Table, q string) bool {
	if t.Alias != "" {
		return strings.EqualFold(q, t.Alias)
	}
	if strings.EqualFold(q, t.Name) {
		return true
	}
	return t.Sub != nil && strings.EqualFold(q, t.Sub.Code)
}

// refName is how the statement refers to t: its alias, else its name.
func refName(t *catalog.Table) string {
	if t.Alias != "" {
		return t.Alias
	}
	return t.Name
}

// table finds the table q names.
func (s *scope) table(q string) *scopeTable {
	for _, st := range s.tables {
		if named(st.t, q) {
			return st
		}
	}
	return nil
}

// names lists the tables as the statement names them.
func (s *scope) names() string {
	names := make([]string, len(s.tables))
	for i, st := range s.tables {
		names[i] = fmt.Sprintf("%q", sqlerr.Abbrev(refName(st.t)))
	}
	return strings.Join(names, ", ")
}

// lookup finds the column an unqualified name refers to: a merged column,
// else the column of the one table that has it (an exact spelling in one
// table wins over matches that ignore case). It returns nil when no table
// has it.
func (s *scope) lookup(name string) (expr.Expr, *scopeTable, error) {
	type hit struct {
		st  *scopeTable
		col *catalog.Column
	}
	var exact, loose []hit
	merged, isMerged := s.merged[strings.ToLower(name)]
	for _, st := range s.tables {
		c, err := st.t.Lookup(name)
		if err != nil {
			return nil, nil, err
		}
		if c == nil || s.mergedCols[c] {
			continue
		}
		loose = append(loose, hit{st, c})
		if c.Name == name {
			exact = append(exact, hit{st, c})
		}
	}
	hits := loose
	if len(exact) == 1 {
		hits = exact
	}
	if isMerged {
		if len(hits) == 0 {
			return merged, nil, nil
		}
		// The merged column and another table's column of that name.
		hits = append([]hit{{nil, &catalog.Column{Name: name}}}, hits...)
	}
	switch len(hits) {
	case 0:
		return nil, nil, nil
	case 1:
		return &expr.ColRef{Col: hits[0].col, At: -1}, hits[0].st, nil
	}
	qual := make([]string, len(hits))
	for i, h := range hits {
		if h.st == nil {
			qual[i] = "the column of USING " + name
			continue
		}
		qual[i] = refName(h.st.t) + "." + h.col.Name
	}
	return nil, nil, fmt.Errorf("column %q is ambiguous: it is %s; qualify it with its table", sqlerr.Abbrev(name), quoteOr(qual))
}

// unknownColumn is the message for a name no table of the scope has.
func (s *scope) unknownColumn(name string) string {
	if len(s.tables) == 1 {
		return s.tables[0].t.UnknownColumn(name)
	}
	for _, st := range s.tables {
		// The nearest names of each table, qualified.
		msg := st.t.UnknownColumn(name)
		if i := strings.Index(msg, "did you mean"); i >= 0 {
			return fmt.Sprintf("unknown column %q in the tables %s: in %q, %s", sqlerr.Abbrev(name), s.names(), sqlerr.Abbrev(refName(st.t)), msg[i:])
		}
	}
	return fmt.Sprintf("unknown column %q in the tables %s", sqlerr.Abbrev(name), s.names())
}

// qualifier is how EXPLAIN names st's columns: with the table's alias
// or name when the scope has several tables, bare otherwise.
func (s *scope) qualifier(st *scopeTable) string {
	if len(s.tables) < 2 {
		return ""
	}
	return refName(st.t)
}

// nullable reports whether column c belongs to a table on the side of an
// outer join that may have no match.
func (s *scope) nullable(c *catalog.Column) bool {
	for _, st := range s.tables {
		if !st.nullable {
			continue
		}
		for _, tc := range st.t.Cols {
			if tc == c {
				return true
			}
		}
	}
	return false
}

// quoteOr prints names quoted, joined with "or".
func quoteOr(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", sqlerr.Abbrev(n))
	}
	if len(q) < 2 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// visibleNames lists the column names an unqualified reference can reach
// in s, in * order: the merged ones, then each table's others.
func visibleNames(s *scope) []string {
	var out []string
	out = append(out, s.mergedNames...)
	for _, st := range s.tables {
		for _, c := range st.t.Cols {
			if !s.mergedCols[c] {
				out = append(out, c.Name)
			}
		}
	}
	return out
}

// star lists the items of * over s: the merged columns once, then every
// table's other columns, in FROM order (MySQL's order for USING and
// NATURAL joins); or the columns of the one table q names (t.*).
func (s *scope) star(q string) ([]expr.Expr, []string, bool) {
	var items []expr.Expr
	var names []string
	if q != "" {
		st := s.table(q)
		if st == nil {
			return nil, nil, false
		}
		for _, c := range st.t.Cols {
			items = append(items, &expr.ColRef{Col: c, At: -1})
			names = append(names, c.Name)
		}
		return items, names, true
	}
	for _, name := range s.mergedNames {
		e := s.merged[name]
		items = append(items, e)
		n := name
		if c, ok := e.(*expr.ColRef); ok {
			n = c.Col.Name
		} else if call, ok := e.(*expr.Call); ok {
			if c, ok := call.Args[0].(*expr.ColRef); ok {
				n = c.Col.Name
			}
		}
		names = append(names, n)
	}
	for _, st := range s.tables {
		for _, c := range st.t.Cols {
			if s.mergedCols[c] {
				continue
			}
			items = append(items, &expr.ColRef{Col: c, At: -1})
			names = append(names, c.Name)
		}
	}
	return items, names, true
}
