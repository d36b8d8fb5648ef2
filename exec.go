package kintone

import (
	"context"
	"database/sql/driver"
	"fmt"
	"github.com/kintone-sql/kintone/internal/batch"
	"github.com/kintone-sql/kintone/internal/rest"
	"io"

	"github.com/kintone-sql/kintone/translate"
)

// execWrite runs a write plan (INSERT, UPDATE, DELETE): in a transaction
// it is queued for Commit, otherwise sent at once in the biggest batches
// the API allows, the rows of a batch being read while the one before it
// is on its way (batch.Writer.Write).
func (cn *conn) execWrite(ctx context.Context, st translate.Statement) (driver.Result, error) {
	if cn.tx != nil {
		return cn.tx.exec(ctx, st)
	}
	w, src, err := cn.plan(ctx, st)
	if err != nil {
		return nil, err
	}
	defer src.close()
	err = w.Write(ctx, func() (batch.Item, error) {
		it, err := src.next()
		if err != nil {
			return batch.Item{}, err
		}
		return batchItem(it), nil
	})
	if err != nil {
		return nil, writeError(err)
	}
	return result{affected: w.Done(), firstID: w.FirstID()}, nil
}

// plan returns the writer of a write plan and the source of its items:
// the plan's own items, or the rows its Select reads, turned into items.
func (cn *conn) plan(ctx context.Context, st translate.Statement) (*batch.Writer, itemSource, error) {
	w := &batch.Writer{Client: cn.c.client}
	var items []translate.WriteItem
	var sel *translate.Select
	var item itemFunc
	sameApp := false
	switch st := st.(type) {
	case *translate.Insert:
		w.Op, w.App = batch.Add, st.App
		if st.Upsert() {
			w.Op = batch.Upsert
		}
		items, sel, item, sameApp = st.Items, st.Select, st.Item, st.SameApp
	case *translate.Update:
		w.Op, w.App, w.ByID, w.ByKey = batch.Update, st.App, st.ByID, st.ByKey
		items, sel, item = st.Items, st.Select, st.Item
	case *translate.Delete:
		w.Op, w.App, w.ByID = batch.Delete, st.App, st.Items != nil
		items, sel, item = st.Items, st.Select, st.Item
	default:
		return nil, nil, fmt.Errorf("kintone: %T cannot be executed", st)
	}
	if sel == nil {
		return w, &sliceItems{items: items}, nil
	}
	src, err := cn.selectItems(ctx, sel, item)
	if err != nil {
		return nil, nil, err
	}
	if sameApp {
		// Reading the app written: every row is read before the first
		// record is added, or the read would meet the new records.
		return w, materialize(src), nil
	}
	// The Select of a write pages by $id or by cursor, never by offset or
	// sort key (translate's planSelect): the write cannot shift what is
	// still to read, so rows stream into batches as they arrive.
	return w, src, nil
}

// itemSource yields the items of a write, io.EOF after the last: io.EOF
// itself, as driver.Rows returns it. An error that wraps io.EOF, such as a
// read whose connection was closed, is a failure of the write, never the
// end of its rows.
type itemSource interface {
	next() (translate.WriteItem, error)
	close()
}

// itemFunc turns the n-th row of a write's Select into an item.
type itemFunc func(row int64, vals []driver.Value) (translate.WriteItem, error)

// sliceItems yields a plan's own items.
type sliceItems struct {
	items []translate.WriteItem
	i     int
	err   error // returned after the items
}

func (s *sliceItems) next() (translate.WriteItem, error) {
	if s.i >= len(s.items) {
		if s.err != nil {
			return translate.WriteItem{}, s.err
		}
		return translate.WriteItem{}, io.EOF
	}
	s.i++
	return s.items[s.i-1], nil
}

func (s *sliceItems) close() {}

// rowItems yields the rows of a Select as items, reading them as the
// write goes (the pager fetches the next page meanwhile).
type rowItems struct {
	rows driver.Rows
	dest []driver.Value
	item itemFunc
	row  int64
}

// selectItems runs a write's Select through the read machinery.
func (cn *conn) selectItems(ctx context.Context, sel *translate.Select, item itemFunc) (*rowItems, error) {
	rows, err := cn.runSelect(ctx, sel)
	if err != nil {
		return nil, err
	}
	return &rowItems{rows: rows, dest: make([]driver.Value, len(sel.Columns)), item: item}, nil
}

func (r *rowItems) next() (translate.WriteItem, error) {
	if err := r.rows.Next(r.dest); err != nil {
		return translate.WriteItem{}, err
	}
	r.row++
	return r.item(r.row, r.dest)
}

func (r *rowItems) close() { _ = r.rows.Close() }

// materialize reads every item of src, then yields them. An error yields
// nothing but the error: no record is written.
func materialize(src itemSource) itemSource {
	defer src.close()
	out := &sliceItems{}
	for {
		it, err := src.next()
		if err != nil {
			if err != io.EOF {
				return &sliceItems{err: err}
			}
			return out
		}
		out.items = append(out.items, it)
	}
}

// batchItem is a plan's item as the batch writer takes it.
func batchItem(it translate.WriteItem) batch.Item {
	out := batch.Item{Row: it.Row, ID: it.ID, Revision: it.Revision, Record: rest.Values(it.Record)}
	if it.Key != nil {
		out.Key = rest.UpdateKey{Field: it.Key.Field, Value: it.Key.Value}
	}
	return out
}
