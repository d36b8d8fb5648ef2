package translate

import (
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/parse"
	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// source is a parsed statement with its placeholder bookkeeping: what the
// binder needs of the text after parsing, namely positions and the
// placeholders, those of a VALUES run included.
type source struct {
	sql    string
	parsed *parse.Parsed
	// params are the placeholders the parser read, in order (those of a
	// VALUES run excepted: see run).
	params []expr.ParamRef
	nQ     int // number of ? placeholders, a run's included
	// run is the rows of an INSERT's VALUES after the first when they are
	// all placeholders (valuesrun.go); nil otherwise.
	run *parse.ParamRun
}

// newSource records the placeholders of a parsed statement.
func newSource(p *parse.Parsed) *source {
	s := &source{sql: p.SQL, parsed: p, nQ: p.NumQ, params: make([]expr.ParamRef, len(p.Params))}
	for i, prm := range p.Params {
		s.params[i] = expr.ParamRef{Pos: prm.Pos(), Name: prm.Name, Ordinal: prm.Ordinal}
	}
	if ins, ok := statementOf(p.Stmt).(*parse.Insert); ok {
		s.run = ins.Run
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

// pos returns the Position of an offset in the text.
func (s *source) pos(off int) sqlerr.Position { return sqlerr.PositionOf(s.sql, off) }

// next returns the offset of the first token at or after off.
func (s *source) next(off int) int { return s.parsed.NextToken(off) }

// paramAt returns the offset of the ? placeholder of an ordinal, among the
// parsed ones or in the run.
func (s *source) paramAt(ordinal int) (int, bool) {
	for _, p := range s.params {
		if p.Ordinal == ordinal {
			return p.Pos, true
		}
	}
	r := s.run
	if r == nil || ordinal < r.First || ordinal >= r.First+r.PerRow*r.Rows() {
		return 0, false
	}
	k := ordinal - r.First
	refs := r.Params(k/r.PerRow, make([]parse.Param, 0, r.PerRow))
	return refs[k%r.PerRow].Pos(), true
}
