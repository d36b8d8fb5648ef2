package translate

import (
	"context"
	"github.com/kintone-sql/kintone/translate/expr"
	"runtime"
	"sync"
)

// This file is the fast path of a bulk INSERT. A program that writes N
// records in one statement sends INSERT INTO t (c1, ..., ck) VALUES
// (?, ..., ?), (?, ..., ?), ... with N rows of k placeholders: for 10,000
// rows of 20 columns, 600 KB of SQL and 420,000 tokens that the lexer,
// the parser and the builder would each go through, only to learn that
// every row after the first is the first again with the next arguments.
//
// The lexer recognises such a run: the rows after the first that hold
// exactly the first row's number of ? placeholders and nothing else
// (blanks aside). It lexes the first row as usual, records where each
// later row starts, and hands the parser blanks in their place (so every
// offset is unchanged and errors still point into the original text).
// prepareInsert resolves the first row, and plan binds the later rows'
// arguments directly. The statement means exactly what it would through
// the parser (the tests compare the two); a run needs ? placeholders only,
// so rows holding literals, DEFAULT, :name or expressions take the
// general path.

// valuesRun is the rows of a VALUES list after the first, when they are
// all placeholders.
type valuesRun struct {
	per    int   // placeholders in a row, the first row's included
	first  int   // ordinal of the first row's first ?
	skip   int   // offset just past the first row: the blanks start here
	starts []int // offset of the "(" of each row after the first
	end    int   // offset just past the last row
}

// rows returns the number of rows the run stands for, the first row's
// excluded.
func (r *valuesRun) rows() int { return len(r.starts) }

// params returns the placeholders of row i of the run (0 is the row after
// the first), with their ordinals and offsets, appended to buf.
func (r *valuesRun) params(sql string, i int, buf []expr.ParamRef) []expr.ParamRef {
	ord := r.first + (i+1)*r.per
	for j := r.starts[i]; j < len(sql); j++ {
		switch sql[j] {
		case '?':
			buf = append(buf, expr.ParamRef{Pos: j, Ordinal: ord})
			ord++
		case ')':
			return buf
		}
	}
	return buf
}

// paramAt returns the offset of the ? placeholder of an ordinal, among the
// lexed ones or in the run.
func (s *source) paramAt(ordinal int) (int, bool) {
	for _, p := range s.params {
		if p.Ordinal == ordinal {
			return p.Pos, true
		}
	}
	r := s.run
	if r == nil || ordinal < r.first+r.per || ordinal >= r.first+r.per*(r.rows()+1) {
		return 0, false
	}
	k := ordinal - r.first - r.per // from the run's first placeholder
	refs := r.params(s.sql, k/r.per, make([]expr.ParamRef, 0, r.per))
	return refs[k%r.per].Pos, true
}

// scanRun looks for a run at sql[i], the "(" of a VALUES list's first row
// when the statement is an INSERT. It returns nil when there is none: the
// first row is not placeholders only, or no row after it is.
func scanRun(sql string, i, firstOrdinal int) *valuesRun {
	end, per := scanParamRow(sql, i)
	if per == 0 {
		return nil
	}
	run := &valuesRun{per: per, first: firstOrdinal, skip: end}
	for {
		j := skipBlanks(sql, end)
		if j >= len(sql) || sql[j] != ',' {
			break
		}
		j = skipBlanks(sql, j+1)
		next, n := scanParamRow(sql, j)
		if n != per {
			break // a row of another shape: it and the rest take the general path
		}
		run.starts = append(run.starts, j)
		end = next
	}
	if len(run.starts) == 0 {
		return nil
	}
	if j := skipBlanks(sql, end); j < len(sql) && sql[j] == ',' {
		// More rows of another shape follow: the whole list takes the
		// general path, which keeps the rows in order.
		return nil
	}
	run.end = end
	return run
}

// scanParamRow scans "(?, ?, ..., ?)" at sql[i], blanks allowed between
// the tokens, and returns the offset past it and its number of
// placeholders; 0 placeholders when sql[i] does not start such a row.
func scanParamRow(sql string, i int) (end, n int) {
	if i >= len(sql) || sql[i] != '(' {
		return 0, 0
	}
	j := i + 1
	for {
		j = skipBlanks(sql, j)
		if j >= len(sql) || sql[j] != '?' {
			return 0, 0
		}
		n++
		j = skipBlanks(sql, j+1)
		if j >= len(sql) {
			return 0, 0
		}
		switch sql[j] {
		case ')':
			return j + 1, n
		case ',':
			j++
		default:
			return 0, 0
		}
	}
}

// skipBlanks returns the offset of the first byte at or after i that is
// not a space, tab or line break.
func skipBlanks(sql string, i int) int {
	for i < len(sql) && (sql[i] == ' ' || sql[i] == '\t' || sql[i] == '\n' || sql[i] == '\r') {
		i++
	}
	return i
}

// runWorkers caps the goroutines that bind a run; runShare is the fewest
// rows worth a goroutine of their own.
const (
	runWorkers = 4
	runShare   = 1000
)

// bindRun binds the rows of t's run and appends their items to ins.Items
// (which holds the rows before it). Large runs are bound by several
// goroutines, each on its own rows: a 10,000-row x 20-column INSERT is
// 200,000 values to convert and encode before the first request may
// leave (every row is checked first, so that a bad value writes
// nothing). The error reported is the one of the lowest row, as if the
// rows had been bound in order; the context is checked between slices
// of rows.
func (t *insertTemplate) bindRun(ctx context.Context, p *Prepared, b *binder, ins *Insert) error {
	rows := t.run.rows()
	base := len(ins.Items)
	ins.Items = ins.Items[:base+rows]
	workers := min(runWorkers, runtime.GOMAXPROCS(0), max(1, rows/runShare))
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := rows*w/workers, rows*(w+1)/workers
		bind := func() { errs[w] = t.bindRunRows(ctx, p, b, ins, base, lo, hi) }
		if w == workers-1 {
			bind() // the last share on this goroutine
			continue
		}
		wg.Add(1)
		go func() { defer wg.Done(); bind() }()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			ins.Items = ins.Items[:base]
			return err // the shares are in row order: the lowest row's
		}
	}
	return nil
}

// bindRunRows binds rows lo to hi (exclusive) of the run into
// ins.Items[base+lo:base+hi].
func (t *insertTemplate) bindRunRows(ctx context.Context, p *Prepared, b *binder, ins *Insert, base, lo, hi int) error {
	refs := make([]expr.ParamRef, 0, t.run.per)
	var arena rawArena
	for r := lo; r < hi; r++ {
		if (r-lo)%runShare == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		row := int64(len(t.rows) + r + 1)
		refs = t.run.params(p.src.sql, r, refs[:0])
		rec := make(WriteRecord, len(refs))
		for j := range refs {
			c := t.cols[j]
			raw, err := bindArgValue(b, &arena, ins.codec, c, &refs[j])
			if err != nil {
				return &ValueError{Row: row, Column: c.Name, Err: err}
			}
			rec[c.Code] = raw
		}
		it, err := ins.item(row, rec)
		if err != nil {
			return err
		}
		ins.Items[base+r] = it
	}
	return nil
}
