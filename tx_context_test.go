package kintone_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone"
	"github.com/kintone-sql/kintone/dsn"
)

// driverTx begins a transaction on the driver's own connection of db
// with ctx, queues query in it, and hands the driver.Tx to f: Commit
// takes no context, so the transaction's is BeginTx's.
func driverTx(t *testing.T, db *sql.DB, ctx context.Context, query string, f func(driver.Tx)) {
	t.Helper()
	c, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	err = c.Raw(func(dc any) error {
		tx, err := dc.(driver.ConnBeginTx).BeginTx(ctx, driver.TxOptions{})
		if err != nil {
			return err
		}
		if _, err := dc.(driver.ExecerContext).ExecContext(context.Background(), query, nil); err != nil {
			return err
		}
		f(tx)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestCommitStopsWhenTheContextOfBeginTxIsCancelled: a transaction whose
// context ended before Commit sends nothing and says so.
func TestCommitStopsWhenTheContextOfBeginTxIsCancelled(t *testing.T) {
	srv := newEmulator(t)
	numbersApp(t, srv, 0)
	db := openDB(t, srv.DSN())
	countRows(t, db, "SELECT num FROM NUMBERS")
	ctx, cancel := context.WithCancel(context.Background())
	driverTx(t, db, ctx, valuesSQL("NUMBERS", 0, 150), func(tx driver.Tx) {
		cancel()
		var err error
		got := recordRequests(srv, func() { err = tx.Commit() })
		if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "nothing was sent") {
			t.Fatalf("Commit after the context ended: %v", err)
		}
		var pe *kintone.PartialWriteError
		if errors.As(err, &pe) {
			t.Fatalf("nothing was sent, yet %v", err)
		}
		wantCounts(t, "cancelled commit", got, map[string]int64{})
		if err := tx.Commit(); err == nil {
			t.Fatal("a second Commit succeeded")
		}
	})
	if n := countRows(t, db, "SELECT num FROM NUMBERS"); n != 0 {
		t.Fatalf("%d records", n)
	}
}

// cancelOnAnswer is a RoundTripper that, once Kintone has applied a
// bulkRequest and answered, cancels a context and holds the answer's body
// until the request's own context ends: the context ends while the
// answer is on its way.
type cancelOnAnswer struct {
	base   http.RoundTripper
	cancel context.CancelFunc
}

func (c *cancelOnAnswer) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := c.base.RoundTrip(r)
	if err != nil || !strings.HasSuffix(r.URL.Path, "/bulkRequest.json") {
		return resp, err
	}
	c.cancel()
	resp.Body = &heldBody{ReadCloser: resp.Body, ctx: r.Context()}
	return resp, nil
}

// heldBody fails its reads with its context's error once it ends.
type heldBody struct {
	io.ReadCloser
	ctx context.Context
}

func (b *heldBody) Read([]byte) (int, error) {
	<-b.ctx.Done()
	return 0, b.ctx.Err()
}

// TestCommitCancelledAfterSendingIsAnUnknownOutcome: the context of
// BeginTx ends after Kintone applied the bulkRequest, before its answer
// is read: the error says the outcome is unknown, and the request is not
// sent again.
func TestCommitCancelledAfterSendingIsAnUnknownOutcome(t *testing.T) {
	srv := newEmulator(t)
	numbersApp(t, srv, 0)
	// Should Commit not follow the context, the request's timeout ends
	// the held answer instead.
	cfg, err := dsn.Parse(srv.DSN() + "?timeout=3s")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hc := &http.Client{Transport: &cancelOnAnswer{base: http.DefaultTransport.(*http.Transport).Clone(), cancel: cancel}}
	db := sql.OpenDB(kintone.NewConnector(cfg, kintone.WithHTTPClient(hc)))
	t.Cleanup(func() { db.Close() })
	countRows(t, db, "SELECT num FROM NUMBERS")
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	txExec(t, tx, valuesSQL("NUMBERS", 0, 150))
	got := recordRequests(srv, func() { err = tx.Commit() })
	var pe *kintone.PartialWriteError
	if !errors.As(err, &pe) || !pe.Unknown || pe.FirstRow != 1 || pe.LastRow != 150 || pe.Statements != 1 {
		t.Fatalf("got %v, want an unknown outcome for rows 1 to 150 of 1 statement", err)
	}
	if want := "kintone: commit: the transaction (1 statement, 150 rows) may or may not have been applied, as a whole:"; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("message %q, want it to start %q", err, want)
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("the cause is not the cancellation: %v", err)
	}
	wantCounts(t, "cancelled commit", got, map[string]int64{"POST bulkRequest": 1})
	if n := countRows(t, openDB(t, srv.DSN()), "SELECT num FROM NUMBERS"); n != 150 {
		t.Fatalf("%d records, want the 150 Kintone applied", n)
	}
}
