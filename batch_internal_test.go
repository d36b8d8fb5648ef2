package kintone

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"github.com/kintone-sql/kintone/internal/batch"
	"runtime"
	"strconv"
	"testing"

	"github.com/kintone-sql/kintone/dsn"
	"github.com/kintone-sql/kintone/internal/rest"
	"github.com/kintone-sql/kintone/kintonetest"
	"github.com/kintone-sql/kintone/translate"
)

// numberApp starts an emulator with an app of one NUMBER field, num, and
// returns it with a connector to it; both stop with the test.
func numberApp(t *testing.T) (*kintonetest.Server, *Connector, int64) {
	t.Helper()
	srv, err := kintonetest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	app, err := srv.CreateApp(kintonetest.App{Name: "N", Fields: []kintonetest.Field{{Code: "num", Type: "NUMBER"}}})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := dsn.Parse(srv.DSN())
	if err != nil {
		t.Fatal(err)
	}
	c := NewConnector(cfg)
	t.Cleanup(func() { c.Close() })
	return srv, c, app
}

// TestWriteAllStopsAtABatchThatCannotBeEncoded checks the pipeline of
// WriteAll: batch 2 is encoded while batch 1 is on its way; when it cannot
// be encoded, batch 1 stays committed, batch 2 and 3 are never sent, the
// error says so, and no sending goroutine is left behind.
func TestWriteAllStopsAtABatchThatCannotBeEncoded(t *testing.T) {
	srv, c, app := numberApp(t)

	items := make([]translate.WriteItem, 2*batch.MaxRecords+10)
	for i := range items {
		items[i] = translate.WriteItem{Row: int64(i + 1), Record: translate.WriteRecord{"num": json.RawMessage(`"` + strconv.Itoa(i) + `"`)}}
	}
	items[batch.MaxRecords+7].Record["num"] = json.RawMessage(`{"broken"`) // row 2008, in batch 2
	srv.ResetStats()
	w := &batch.Writer{Client: c.client, Op: batch.Add, App: app}
	err := writeError(w.WriteAll(context.Background(), batchItems(items)))

	var pe *PartialWriteError
	if !errors.As(err, &pe) || pe.Committed != batch.MaxRecords || pe.Batch != 2 || pe.FirstRow != batch.MaxRecords+1 ||
		pe.LastRow != 2*batch.MaxRecords || pe.Unknown {
		t.Fatalf("err = %v (%+v), want batch 2 (rows 2001 to 4000) not written after 2000 committed", err, pe)
	}
	if got := srv.Stats().Requests; got != 1 {
		t.Errorf("%d requests, want the first batch's only", got)
	}
	// WriteAll waits for the batch on its way before it returns.
	buf := make([]byte, 1<<20)
	if stacks := buf[:runtime.Stack(buf, true)]; bytes.Contains(stacks, []byte("(*Writer).Write.func")) {
		t.Errorf("a sending goroutine outlived WriteAll:\n%s", stacks)
	}
	if w.Done() != batch.MaxRecords {
		t.Errorf("done = %d", w.Done())
	}
}

// TestWriteOfOneRequestThatCannotBeEncoded checks that a batch small
// enough for one records.json request, whose body cannot be built, is
// reported as not written (nothing was sent), not as a write that may
// have been applied.
func TestWriteOfOneRequestThatCannotBeEncoded(t *testing.T) {
	srv, c, app := numberApp(t)
	items := make([]translate.WriteItem, 50)
	for i := range items {
		items[i] = translate.WriteItem{Row: int64(i + 1), Record: translate.WriteRecord{"num": json.RawMessage(`"1"`)}}
	}
	items[9].Record["num"] = json.RawMessage(`{"broken"`)
	srv.ResetStats()
	w := &batch.Writer{Client: c.client, Op: batch.Add, App: app}
	err := writeError(w.WriteAll(context.Background(), batchItems(items)))
	var pe *PartialWriteError
	if err == nil || errors.As(err, &pe) || !errors.Is(err, rest.ErrNotEncoded) || writeOutcome(err) {
		t.Fatalf("err = %v, want rest.ErrNotEncoded and no *PartialWriteError", err)
	}
	if got := srv.Stats().Requests; got != 0 {
		t.Errorf("%d requests, want none", got)
	}
}

// batchItems is batchItem of each item.
func batchItems(items []translate.WriteItem) []batch.Item {
	out := make([]batch.Item, len(items))
	for i, it := range items {
		out[i] = batchItem(it)
	}
	return out
}
