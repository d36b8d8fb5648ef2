package translate

import (
	"fmt"
	"strings"
	"time"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/translate/catalog"
)

// exprString prints an expression in SQL-like form, for EXPLAIN and
// tests. It is not meant to be parsed back.
func exprString(e expr) string {
	var b strings.Builder
	writeExpr(&b, e)
	return b.String()
}

func writeExpr(b *strings.Builder, e expr) {
	switch n := e.(type) {
	case nil:
		b.WriteString("TRUE")
	case *colRef:
		b.WriteString(n.col.Name)
	case *constExpr:
		b.WriteString(literalString(n.v))
	case *paramExpr:
		if n.ref.name != "" {
			b.WriteString(":" + n.ref.name)
		} else {
			b.WriteString("?")
		}
	case *kfuncExpr:
		b.WriteString(kfuncName(n))
	case *slotExpr:
		fmt.Fprintf(b, "#%d", n.slot)
	case *unaryExpr:
		if n.op == "not" {
			b.WriteString("NOT ")
		} else {
			b.WriteString(n.op)
		}
		writeExpr(b, n.x)
	case *binaryExpr:
		b.WriteByte('(')
		writeExpr(b, n.l)
		b.WriteString(" " + strings.ToUpper(n.op) + " ")
		writeExpr(b, n.r)
		b.WriteByte(')')
	case *cmpExpr:
		writeExpr(b, n.l)
		b.WriteString(" " + n.op + " ")
		writeExpr(b, n.r)
	case *logicExpr:
		sep := " OR "
		if n.and {
			sep = " AND "
		}
		b.WriteByte('(')
		for i, t := range n.terms {
			if i > 0 {
				b.WriteString(sep)
			}
			writeExpr(b, t)
		}
		b.WriteByte(')')
	case *inExpr:
		writeExpr(b, n.x)
		if n.not {
			b.WriteString(" NOT")
		}
		b.WriteString(" IN (")
		for i, x := range n.list {
			if i > 0 {
				b.WriteString(", ")
			}
			writeExpr(b, x)
		}
		b.WriteByte(')')
	case *betweenExpr:
		writeExpr(b, n.x)
		if n.not {
			b.WriteString(" NOT")
		}
		b.WriteString(" BETWEEN ")
		writeExpr(b, n.lo)
		b.WriteString(" AND ")
		writeExpr(b, n.hi)
	case *likeExpr:
		writeExpr(b, n.x)
		if n.not {
			b.WriteString(" NOT")
		}
		b.WriteString(" LIKE ")
		writeExpr(b, n.pat)
		if n.esc != nil {
			b.WriteString(" ESCAPE ")
			writeExpr(b, n.esc)
		}
	case *isNullExpr:
		writeExpr(b, n.x)
		if n.not {
			b.WriteString(" IS NOT NULL")
		} else {
			b.WriteString(" IS NULL")
		}
	case *isBoolExpr:
		writeExpr(b, n.x)
		b.WriteString(" IS ")
		if n.not {
			b.WriteString("NOT ")
		}
		if n.val {
			b.WriteString("TRUE")
		} else {
			b.WriteString("FALSE")
		}
	case *caseExpr:
		b.WriteString("CASE")
		if n.operand != nil {
			b.WriteByte(' ')
			writeExpr(b, n.operand)
		}
		for _, w := range n.whens {
			b.WriteString(" WHEN ")
			writeExpr(b, w.cond)
			b.WriteString(" THEN ")
			writeExpr(b, w.val)
		}
		if n.els != nil {
			b.WriteString(" ELSE ")
			writeExpr(b, n.els)
		}
		b.WriteString(" END")
	case *callExpr:
		writeCall(b, strings.ToUpper(n.fn.name), false, n.args)
	case *aggExpr:
		if len(n.args) == 0 {
			b.WriteString("COUNT(*)")
			return
		}
		writeCall(b, strings.ToUpper(n.fn), n.distinct, n.args)
	default:
		fmt.Fprintf(b, "%T", e)
	}
}

func writeCall(b *strings.Builder, name string, distinct bool, args []expr) {
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
		return "'" + textOf(x) + "'"
	}
	return "'" + strings.ReplaceAll(textOf(v), "'", "''") + "'"
}
