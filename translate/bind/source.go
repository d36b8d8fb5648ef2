package bind

import (
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/parse"
	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// Text is a parsed statement with its placeholder bookkeeping: what the
// Binder needs of the text after parsing, namely positions and the
// placeholders, those of a VALUES run included.
type Text struct {
	SQL    string
	parsed *parse.Parsed
	// Params are the placeholders the parser read, in order (those of a
	// VALUES run excepted: see run).
	Params []expr.ParamRef
	NumQ   int // number of ? placeholders, a run's included
	// Run is the rows of an INSERT's VALUES after the first when they are
	// all placeholders (valuesrun.go); nil otherwise.
	Run *parse.ParamRun
}

// NewText records the placeholders of a parsed statement.
func NewText(p *parse.Parsed) *Text {
	s := &Text{SQL: p.SQL, parsed: p, NumQ: p.NumQ, Params: make([]expr.ParamRef, len(p.Params))}
	for i, prm := range p.Params {
		s.Params[i] = expr.ParamRef{Pos: prm.Pos(), Name: prm.Name, Ordinal: prm.Ordinal}
	}
	if ins, ok := statementOf(p.Stmt).(*parse.Insert); ok {
		s.Run = ins.Run
	}
	return s
}

// statementOf is the statement an EXPLAIN explains, or st itself.
func statementOf(st parse.Stmt) parse.Stmt {
	if ex, ok := st.(*parse.Explain); ok {
		return ex.Stmt
	}
	return st
}

// Pos returns the Position of an offset in the text.
func (s *Text) Pos(off int) sqlerr.Position { return sqlerr.PositionOf(s.SQL, off) }

// Next returns the offset of the first token at or after off.
func (s *Text) Next(off int) int { return s.parsed.NextToken(off) }

// paramAt returns the offset of the ? placeholder of an ordinal, among the
// parsed ones or in the run.
func (s *Text) paramAt(ordinal int) (int, bool) {
	for _, p := range s.Params {
		if p.Ordinal == ordinal {
			return p.Pos, true
		}
	}
	r := s.Run
	if r == nil || ordinal < r.First || ordinal >= r.First+r.PerRow*r.Rows() {
		return 0, false
	}
	k := ordinal - r.First
	refs := r.Params(k/r.PerRow, make([]parse.Param, 0, r.PerRow))
	return refs[k%r.PerRow].Pos(), true
}
