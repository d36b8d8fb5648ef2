package expr

import (
	"fmt"
	"strings"
	"time"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/translate/catalog"
)

// String prints an expression in SQL-like form, for EXPLAIN and
// tests. It is not meant to be parsed back.
func String(e Expr) string {
	var b strings.Builder
	writeExpr(&b, e)
	return b.String()
}

func writeExpr(b *strings.Builder, e Expr) {
	switch n := e.(type) {
	case nil:
		b.WriteString("TRUE")
	case *ColRef:
		if n.Table != "" {
			b.WriteString(n.Table + ".")
		}
		b.WriteString(n.Col.Name)
	case *Const:
		b.WriteString(literalString(n.Value))
	case *Param:
		if n.Ref.Name != "" {
			b.WriteString(":" + n.Ref.Name)
		} else {
			b.WriteString("?")
		}
	case *KFunc:
		b.WriteString(KFuncName(n))
	case *WindowFunc:
		b.WriteString(strings.ToUpper(n.Fn) + "(")
		if n.Star {
			b.WriteString("*")
		}
		for i, a := range n.Args {
			if i > 0 {
				b.WriteString(", ")
			}
			writeExpr(b, a)
		}
		b.WriteString(") OVER (")
		if len(n.PartitionBy) > 0 {
			b.WriteString("PARTITION BY ")
			for i, p := range n.PartitionBy {
				if i > 0 {
					b.WriteString(", ")
				}
				writeExpr(b, p)
			}
		}
		if len(n.OrderBy) > 0 {
			if len(n.PartitionBy) > 0 {
				b.WriteString(" ")
			}
			b.WriteString("ORDER BY ")
			for i, o := range n.OrderBy {
				if i > 0 {
					b.WriteString(", ")
				}
				writeExpr(b, o.Expr)
				if o.Desc {
					b.WriteString(" DESC")
				}
			}
		}
		b.WriteString(")")
	case *Subquery:
		switch {
		case n.Mode == SubExists && n.Not:
			fmt.Fprintf(b, "NOT EXISTS (subquery %d)", n.Index+1)
		case n.Mode == SubExists:
			fmt.Fprintf(b, "EXISTS (subquery %d)", n.Index+1)
		case n.Mode == SubIn:
			writeExpr(b, n.X)
			if n.Not {
				b.WriteString(" NOT")
			}
			fmt.Fprintf(b, " IN (subquery %d)", n.Index+1)
		default:
			fmt.Fprintf(b, "(subquery %d)", n.Index+1)
		}
	case *Slot:
		if n.Of != nil {
			writeExpr(b, n.Of)
		} else {
			fmt.Fprintf(b, "#%d", n.Slot)
		}
	case *Unary:
		if n.Op == "not" {
			b.WriteString("NOT ")
		} else {
			b.WriteString(n.Op)
		}
		writeExpr(b, n.X)
	case *Binary:
		b.WriteByte('(')
		writeExpr(b, n.L)
		b.WriteString(" " + strings.ToUpper(n.Op) + " ")
		writeExpr(b, n.R)
		b.WriteByte(')')
	case *Cmp:
		writeExpr(b, n.L)
		b.WriteString(" " + n.Op + " ")
		writeExpr(b, n.R)
	case *Logic:
		sep := " OR "
		if n.And {
			sep = " AND "
		}
		b.WriteByte('(')
		for i, t := range n.Terms {
			if i > 0 {
				b.WriteString(sep)
			}
			writeExpr(b, t)
		}
		b.WriteByte(')')
	case *In:
		writeExpr(b, n.X)
		if n.Not {
			b.WriteString(" NOT")
		}
		b.WriteString(" IN (")
		for i, x := range n.List {
			if i > 0 {
				b.WriteString(", ")
			}
			writeExpr(b, x)
		}
		b.WriteByte(')')
	case *Between:
		writeExpr(b, n.X)
		if n.Not {
			b.WriteString(" NOT")
		}
		b.WriteString(" BETWEEN ")
		writeExpr(b, n.Lo)
		b.WriteString(" AND ")
		writeExpr(b, n.Hi)
	case *Like:
		writeExpr(b, n.X)
		if n.Not {
			b.WriteString(" NOT")
		}
		b.WriteString(" LIKE ")
		writeExpr(b, n.Pat)
		if n.Esc != nil {
			b.WriteString(" ESCAPE ")
			writeExpr(b, n.Esc)
		}
	case *IsNull:
		writeExpr(b, n.X)
		if n.Not {
			b.WriteString(" IS NOT NULL")
		} else {
			b.WriteString(" IS NULL")
		}
	case *IsBool:
		writeExpr(b, n.X)
		b.WriteString(" IS ")
		if n.Not {
			b.WriteString("NOT ")
		}
		if n.Val {
			b.WriteString("TRUE")
		} else {
			b.WriteString("FALSE")
		}
	case *Case:
		b.WriteString("CASE")
		if n.Operand != nil {
			b.WriteByte(' ')
			writeExpr(b, n.Operand)
		}
		for _, w := range n.Whens {
			b.WriteString(" WHEN ")
			writeExpr(b, w.Cond)
			b.WriteString(" THEN ")
			writeExpr(b, w.Then)
		}
		if n.Else != nil {
			b.WriteString(" ELSE ")
			writeExpr(b, n.Else)
		}
		b.WriteString(" END")
	case *Call:
		if n.Fn.write != nil {
			n.Fn.write(b, n.Args)
			return
		}
		if n.Fn.cast != "" {
			b.WriteString("CAST(")
			writeExpr(b, n.Args[0])
			b.WriteString(" AS " + n.Fn.cast + ")")
			return
		}
		writeCall(b, strings.ToUpper(n.Fn.Name), false, n.Args)
	case *Agg:
		if len(n.Args) == 0 {
			b.WriteString("COUNT(*)")
			return
		}
		if n.Fn == "group_concat" {
			writeGroupConcat(b, n)
			return
		}
		writeCall(b, strings.ToUpper(n.Fn), n.Distinct, n.Args)
	default:
		fmt.Fprintf(b, "%T", e)
	}
}

func writeCall(b *strings.Builder, name string, distinct bool, args []Expr) {
	b.WriteString(name + "(")
	if distinct {
		b.WriteString("DISTINCT ")
	}
	for i, a := range args {
		if i > 0 {
			b.WriteString(", ")
		}
		writeExpr(b, a)
	}
	b.WriteByte(')')
}

// writeGroupConcat prints GROUP_CONCAT with its ORDER BY and SEPARATOR.
func writeGroupConcat(b *strings.Builder, n *Agg) {
	b.WriteString("GROUP_CONCAT(")
	if n.Distinct {
		b.WriteString("DISTINCT ")
	}
	for i, a := range n.Args {
		if i > 0 {
			b.WriteString(", ")
		}
		writeExpr(b, a)
	}
	for i, o := range n.Order {
		if i == 0 {
			b.WriteString(" ORDER BY ")
		} else {
			b.WriteString(", ")
		}
		writeExpr(b, o.Expr)
		if o.Desc {
			b.WriteString(" DESC")
		}
	}
	b.WriteString(" SEPARATOR " + literalString(n.Sep) + ")")
}

// literalString prints a value as an SQL literal.
func literalString(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case bool:
		if x {
			return "TRUE"
		}
		return "FALSE"
	case int64:
		return catalog.FormatInt(x)
	case field.Decimal:
		return string(x)
	case string:
		return "'" + strings.ReplaceAll(x, "'", "''") + "'"
	case time.Time:
		return "'" + TextOf(x) + "'"
	}
	return "'" + strings.ReplaceAll(TextOf(v), "'", "''") + "'"
}
