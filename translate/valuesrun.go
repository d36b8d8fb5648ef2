package translate

import (
	"context"
	"runtime"
	"sync"

	"github.com/kintone-sql/kintone/translate/bind"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/parse"
)

// This file is the fast path of a bulk INSERT. A program that writes N
// records in one statement sends INSERT INTO t (c1, ..., ck) VALUES
// (?, ..., ?), (?, ..., ?), ... with N rows of k placeholders: for 10,000
// rows of 20 columns, 600 KB of SQL and 420,000 tokens that the lexer,
// the parser and the builder would each go through, only to learn that
// every row after the first is the first again with the next arguments.
//
// The parser recognises such a run (translate/parse, ParamRun): the rows
// after the first that hold exactly the first row's number of ?
// placeholders and nothing else (blanks aside). It parses the first row
// as usual and records where each later row starts, so that every
// offset still points into the original text. prepareInsert resolves the
// first row, and plan binds the later rows' arguments directly. The
// statement means exactly what it would parsed row by row (the tests
// compare the two); a run needs ? placeholders only,
// so rows holding literals, DEFAULT, :name or expressions take the
// general path.

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
func (t *insertTemplate) bindRun(ctx context.Context, p *Prepared, b *bind.Binder, ins *Insert) error {
	rows := t.run.Rows()
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
func (t *insertTemplate) bindRunRows(ctx context.Context, p *Prepared, b *bind.Binder, ins *Insert, base, lo, hi int) error {
	params := make([]parse.Param, 0, t.run.PerRow)
	refs := make([]expr.ParamRef, t.run.PerRow)
	var arena rawArena
	for r := lo; r < hi; r++ {
		if (r-lo)%runShare == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		row := int64(len(t.rows) + r + 1)
		params = t.run.Params(r, params[:0])
		rec := make(WriteRecord, len(params))
		for j, prm := range params {
			refs[j] = expr.ParamRef{Pos: prm.Pos(), Ordinal: prm.Ordinal}
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
