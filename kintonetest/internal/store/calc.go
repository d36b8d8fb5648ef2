package store

import (
	"math/big"
	"strings"
	"unicode"

	"github.com/kintone-sql/kintone/internal/field"
)

// CALC fields are computed on every add and update, for the subset of
// Kintone's formula language that yields numbers:
//
//   - number literals, field codes of NUMBER and CALC fields (an empty
//     NUMBER counts as 0), parentheses;
//   - the operators + - * / ^ (an integer power of at most 100), unary -
//     and +, and the comparisons = != <> < > <= >= inside IF;
//   - SUM(a, b, ...) where an argument naming a field inside a table sums
//     that column; ROUND, ROUNDUP and ROUNDDOWN with an optional number of
//     decimals; IF(cond, then, else), AND, OR and NOT.
//
// Inside a table a CALC field sees its own row's fields and the record's
// top-level fields. Results are rounded half to even to 4 decimal places,
// Kintone's default numberPrecision, and stored in canonical form
// (NormalizeNumber). Only the NUMBER and NUMBER_DIGIT formats are
// computed. A CALC field whose formula uses anything else (text
// concatenation, dates, other functions, an unknown field) or fails (a
// division by zero) is stored empty: the emulator is honest about not
// knowing rather than inventing a value.

// calcScale is the number of decimal places results are rounded to.
const calcScale = 4

// computeCalcs sets every CALC field of vals (top-level and in table rows)
// from the record's other values.
func (w *recordWriter) computeCalcs(vals map[string]any) {
	if w.calcs == nil {
		w.calcs = map[*field.Property]calcNode{}
	}
	env := &calcEnv{w: w, vals: vals, memo: map[string]calcResult{}}
	for _, code := range w.form.Order {
		p := w.form.Fields[code]
		switch p.Type {
		case field.Calc:
			vals[code] = env.result(p, nil, nil).text()
		case field.Subtable:
			w.computeRowCalcs(env, p, vals)
		}
	}
}

// computeRowCalcs computes a table's inner CALC fields row by row, on
// copies of the rows (the old record may share them).
func (w *recordWriter) computeRowCalcs(env *calcEnv, table *field.Property, vals map[string]any) {
	var calcs []*field.Property
	for _, ic := range sortedKeys(table.Fields) {
		if ip := table.Fields[ic]; ip.Type == field.Calc {
			calcs = append(calcs, ip)
		}
	}
	rows, _ := vals[table.Code].([]Row)
	if len(calcs) == 0 || len(rows) == 0 {
		return
	}
	out := make([]Row, len(rows))
	for i, r := range rows {
		nv := make(map[string]any, len(r.Values)+len(calcs))
		for k, v := range r.Values {
			nv[k] = v
		}
		row := &calcRow{table: table, vals: nv, memo: map[string]calcResult{}}
		for _, ip := range calcs {
			nv[ip.Code] = env.result(ip, table, row).text()
		}
		out[i] = Row{ID: r.ID, Values: nv}
	}
	vals[table.Code] = out
}

// calcResult is a computed value: a number or a truth value, or not ok.
type calcResult struct {
	num    *big.Rat
	truth  bool
	isBool bool
	ok     bool
}

func numResult(r *big.Rat) calcResult { return calcResult{num: r, ok: true} }

var calcFail = calcResult{}

// text is the stored form of a CALC result.
func (r calcResult) text() string {
	if !r.ok || r.isBool {
		return ""
	}
	s, ok := field.NormalizeNumber(roundRat(r.num, calcScale, roundHalfEven).FloatString(calcScale))
	if !ok {
		return ""
	}
	return s
}

// calcEnv evaluates the formulas of one record.
type calcEnv struct {
	w    *recordWriter
	vals map[string]any
	memo map[string]calcResult // top-level CALC results
	busy []string              // CALC fields being computed, against cycles
}

// calcRow is the row an inner CALC field is computed for.
type calcRow struct {
	table *field.Property
	vals  map[string]any
	memo  map[string]calcResult
}

// result computes a CALC field (memoized; a cycle fails).
func (e *calcEnv) result(p *field.Property, table *field.Property, row *calcRow) calcResult {
	memo := e.memo
	if row != nil {
		memo = row.memo
	}
	if r, ok := memo[p.Code]; ok {
		return r
	}
	for _, b := range e.busy {
		if b == p.Code {
			return calcFail
		}
	}
	if p.Format != "" && p.Format != "NUMBER" && p.Format != "NUMBER_DIGIT" {
		memo[p.Code] = calcFail
		return calcFail
	}
	node, ok := e.w.calcs[p]
	if !ok {
		node = parseFormula(p.Expression)
		e.w.calcs[p] = node
	}
	e.busy = append(e.busy, p.Code)
	r := calcFail
	if node != nil {
		r = node.eval(e, row)
	}
	e.busy = e.busy[:len(e.busy)-1]
	memo[p.Code] = r
	return r
}

// ref resolves a field code in a formula: the row's inner fields first,
// then the top-level fields.
func (e *calcEnv) ref(code string, row *calcRow) calcResult {
	if row != nil {
		if ip := row.table.Fields[code]; ip != nil {
			return e.valueOf(ip, row.vals[code], row.table, row)
		}
	}
	p := e.w.form.Fields[code]
	if p == nil {
		return calcFail
	}
	return e.valueOf(p, e.vals[code], nil, nil)
}

func (e *calcEnv) valueOf(p *field.Property, v any, table *field.Property, row *calcRow) calcResult {
	switch p.Type {
	case field.Number:
		return parseRat(v)
	case field.Calc:
		return e.result(p, table, row)
	}
	return calcFail
}

// column returns the values of an inner field over all rows of its table,
// for SUM; ok is false when code is not an inner NUMBER or CALC field.
func (e *calcEnv) column(code string) ([]calcResult, bool) {
	for _, tc := range e.w.form.Order {
		t := e.w.form.Fields[tc]
		if t.Type != field.Subtable || t.Fields[code] == nil {
			continue
		}
		ip := t.Fields[code]
		rows, _ := e.vals[tc].([]Row)
		out := make([]calcResult, 0, len(rows))
		for _, r := range rows {
			row := &calcRow{table: t, vals: r.Values, memo: map[string]calcResult{}}
			out = append(out, e.valueOf(ip, r.Values[code], t, row))
		}
		return out, true
	}
	return nil, false
}

// parseRat reads a stored number; "" is 0.
func parseRat(v any) calcResult {
	s, _ := v.(string)
	if s == "" {
		return numResult(new(big.Rat))
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return calcFail
	}
	return numResult(r)
}

// The rounding modes of ROUND, ROUNDUP, ROUNDDOWN and the final rounding.
const (
	roundHalfEven = iota
	roundHalfUp
	roundUp   // away from zero
	roundDown // toward zero
)

// roundRat rounds r to scale decimal places.
func roundRat(r *big.Rat, scale int, mode int) *big.Rat {
	pow := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(scale))), nil)
	x := new(big.Rat).Set(r)
	if scale >= 0 {
		x.Mul(x, new(big.Rat).SetInt(pow))
	} else {
		x.Quo(x, new(big.Rat).SetInt(pow))
	}
	q, m := new(big.Int).QuoRem(x.Num(), x.Denom(), new(big.Int))
	if m.Sign() != 0 {
		neg := x.Sign() < 0
		twice := new(big.Int).Mul(new(big.Int).Abs(m), big.NewInt(2))
		cmp := twice.Cmp(x.Denom())
		away := false
		switch mode {
		case roundUp:
			away = true
		case roundHalfUp:
			away = cmp >= 0
		case roundHalfEven:
			away = cmp > 0 || (cmp == 0 && q.Bit(0) == 1)
		}
		if away {
			if neg {
				q.Sub(q, big.NewInt(1))
			} else {
				q.Add(q, big.NewInt(1))
			}
		}
	}
	out := new(big.Rat).SetInt(q)
	if scale >= 0 {
		return out.Quo(out, new(big.Rat).SetInt(pow))
	}
	return out.Mul(out, new(big.Rat).SetInt(pow))
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// calcNode is a parsed formula.
type calcNode interface {
	eval(e *calcEnv, row *calcRow) calcResult
}

type (
	numNode struct{ v *big.Rat }
	refNode struct{ code string }
	negNode struct{ x calcNode }
	binNode struct {
		op   string
		l, r calcNode
	}
	callNode struct {
		name string
		args []calcNode
	}
)

func (n numNode) eval(*calcEnv, *calcRow) calcResult { return numResult(n.v) }

func (n refNode) eval(e *calcEnv, row *calcRow) calcResult { return e.ref(n.code, row) }

func (n negNode) eval(e *calcEnv, row *calcRow) calcResult {
	x := n.x.eval(e, row)
	if !x.ok || x.isBool {
		return calcFail
	}
	return numResult(new(big.Rat).Neg(x.num))
}

func (n binNode) eval(e *calcEnv, row *calcRow) calcResult {
	l, r := n.l.eval(e, row), n.r.eval(e, row)
	if !l.ok || !r.ok || l.isBool || r.isBool {
		return calcFail
	}
	switch n.op {
	case "+":
		return numResult(new(big.Rat).Add(l.num, r.num))
	case "-":
		return numResult(new(big.Rat).Sub(l.num, r.num))
	case "*":
		return numResult(new(big.Rat).Mul(l.num, r.num))
	case "/":
		if r.num.Sign() == 0 {
			return calcFail
		}
		return numResult(new(big.Rat).Quo(l.num, r.num))
	case "^":
		if !r.num.IsInt() || r.num.Num().CmpAbs(big.NewInt(100)) > 0 {
			return calcFail
		}
		exp := r.num.Num().Int64()
		if exp < 0 && l.num.Sign() == 0 {
			return calcFail
		}
		out := big.NewRat(1, 1)
		for i := int64(0); i < abs64(exp); i++ {
			out.Mul(out, l.num)
		}
		if exp < 0 {
			out.Inv(out)
		}
		return numResult(out)
	}
	c := l.num.Cmp(r.num)
	var t bool
	switch n.op {
	case "=":
		t = c == 0
	case "!=", "<>":
		t = c != 0
	case "<":
		t = c < 0
	case ">":
		t = c > 0
	case "<=":
		t = c <= 0
	case ">=":
		t = c >= 0
	default:
		return calcFail
	}
	return calcResult{truth: t, isBool: true, ok: true}
}

func abs64(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

func (n callNode) eval(e *calcEnv, row *calcRow) calcResult {
	switch n.name {
	case "SUM":
		sum := new(big.Rat)
		for _, a := range n.args {
			vals := []calcResult{}
			if ref, isRef := a.(refNode); isRef && row == nil && e.w.form.Fields[ref.code] == nil {
				col, ok := e.column(ref.code)
				if !ok {
					return calcFail
				}
				vals = col
			} else {
				vals = append(vals, a.eval(e, row))
			}
			for _, v := range vals {
				if !v.ok || v.isBool {
					return calcFail
				}
				sum.Add(sum, v.num)
			}
		}
		return numResult(sum)
	case "ROUND", "ROUNDUP", "ROUNDDOWN":
		if len(n.args) < 1 || len(n.args) > 2 {
			return calcFail
		}
		x := n.args[0].eval(e, row)
		digits := 0
		if len(n.args) == 2 {
			d := n.args[1].eval(e, row)
			if !d.ok || d.isBool || !d.num.IsInt() || d.num.Num().CmpAbs(big.NewInt(30)) > 0 {
				return calcFail
			}
			digits = int(d.num.Num().Int64())
		}
		if !x.ok || x.isBool {
			return calcFail
		}
		mode := map[string]int{"ROUND": roundHalfUp, "ROUNDUP": roundUp, "ROUNDDOWN": roundDown}[n.name]
		return numResult(roundRat(x.num, digits, mode))
	case "IF":
		if len(n.args) != 3 {
			return calcFail
		}
		c := n.args[0].eval(e, row)
		if !c.ok || !c.isBool {
			return calcFail
		}
		if c.truth {
			return n.args[1].eval(e, row)
		}
		return n.args[2].eval(e, row)
	case "AND", "OR":
		if len(n.args) == 0 {
			return calcFail
		}
		t := n.name == "AND"
		for _, a := range n.args {
			v := a.eval(e, row)
			if !v.ok || !v.isBool {
				return calcFail
			}
			if n.name == "AND" {
				t = t && v.truth
			} else {
				t = t || v.truth
			}
		}
		return calcResult{truth: t, isBool: true, ok: true}
	case "NOT":
		if len(n.args) != 1 {
			return calcFail
		}
		v := n.args[0].eval(e, row)
		if !v.ok || !v.isBool {
			return calcFail
		}
		return calcResult{truth: !v.truth, isBool: true, ok: true}
	}
	return calcFail
}

// parseFormula parses an expression; nil means it is not in the supported
// subset.
func parseFormula(src string) calcNode {
	p := &formulaParser{toks: lexFormula(src)}
	if p.toks == nil {
		return nil
	}
	n := p.comparison()
	if n == nil || p.pos != len(p.toks) {
		return nil
	}
	return n
}

type formulaParser struct {
	toks []string
	pos  int
}

func (p *formulaParser) peek() string {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return ""
}

func (p *formulaParser) accept(ops ...string) string {
	t := p.peek()
	for _, op := range ops {
		if t == op {
			p.pos++
			return t
		}
	}
	return ""
}

func (p *formulaParser) comparison() calcNode {
	l := p.additive()
	if l == nil {
		return nil
	}
	if op := p.accept("=", "!=", "<>", "<=", ">=", "<", ">"); op != "" {
		r := p.additive()
		if r == nil {
			return nil
		}
		return binNode{op: op, l: l, r: r}
	}
	return l
}

func (p *formulaParser) additive() calcNode {
	l := p.term()
	for l != nil {
		op := p.accept("+", "-")
		if op == "" {
			return l
		}
		r := p.term()
		if r == nil {
			return nil
		}
		l = binNode{op: op, l: l, r: r}
	}
	return nil
}

func (p *formulaParser) term() calcNode {
	l := p.power()
	for l != nil {
		op := p.accept("*", "/")
		if op == "" {
			return l
		}
		r := p.power()
		if r == nil {
			return nil
		}
		l = binNode{op: op, l: l, r: r}
	}
	return nil
}

func (p *formulaParser) power() calcNode {
	l := p.unary()
	if l == nil {
		return nil
	}
	if p.accept("^") != "" {
		r := p.power()
		if r == nil {
			return nil
		}
		return binNode{op: "^", l: l, r: r}
	}
	return l
}

func (p *formulaParser) unary() calcNode {
	switch p.accept("-", "+") {
	case "-":
		x := p.unary()
		if x == nil {
			return nil
		}
		return negNode{x: x}
	case "+":
		return p.unary()
	}
	return p.primary()
}

func (p *formulaParser) primary() calcNode {
	t := p.peek()
	switch {
	case t == "" || t == ")" || t == ",":
		return nil
	case t == "(":
		p.pos++
		n := p.comparison()
		if n == nil || p.accept(")") == "" {
			return nil
		}
		return n
	case t[0] == '.' || ('0' <= t[0] && t[0] <= '9'):
		p.pos++
		v, ok := new(big.Rat).SetString(t)
		if !ok {
			return nil
		}
		return numNode{v: v}
	case isFormulaOp(t):
		return nil
	}
	p.pos++
	if p.accept("(") == "" {
		return refNode{code: t}
	}
	call := callNode{name: strings.ToUpper(t)}
	if p.accept(")") != "" {
		return call
	}
	for {
		a := p.comparison()
		if a == nil {
			return nil
		}
		call.args = append(call.args, a)
		if p.accept(")") != "" {
			return call
		}
		if p.accept(",") == "" {
			return nil
		}
	}
}

// formulaOps are the operator and punctuation tokens, longest first.
var formulaOps = []string{"!=", "<>", "<=", ">=", "+", "-", "*", "/", "^", "=", "<", ">", "(", ")", ",", "&"}

func isFormulaOp(t string) bool {
	for _, op := range formulaOps {
		if t == op {
			return true
		}
	}
	return false
}

// lexFormula splits a formula into tokens; nil for a string literal or an
// empty formula (not supported).
func lexFormula(src string) []string {
	var toks []string
	rs := []rune(src)
	for i := 0; i < len(rs); {
		r := rs[i]
		if unicode.IsSpace(r) {
			i++
			continue
		}
		if r == '"' {
			return nil
		}
		matched := false
		for _, op := range formulaOps {
			if strings.HasPrefix(string(rs[i:min(i+2, len(rs))]), op) {
				toks = append(toks, op)
				i += len([]rune(op))
				matched = true
				break
			}
		}
		if matched {
			continue
		}
		j := i
		if r == '.' || ('0' <= r && r <= '9') {
			for j < len(rs) && (rs[j] == '.' || ('0' <= rs[j] && rs[j] <= '9')) {
				j++
			}
		} else {
			for j < len(rs) && !unicode.IsSpace(rs[j]) && rs[j] != '"' && !startsOp(rs[j]) {
				j++
			}
		}
		if j == i {
			return nil // a lone "!" or another character no token starts with
		}
		toks = append(toks, string(rs[i:j]))
		i = j
	}
	return toks
}

func startsOp(r rune) bool { return strings.ContainsRune("!<>=+-*/^(),&", r) }
