package kintone

import (
	"errors"
	"testing"

	"github.com/kintone-sql/kintone/internal/batch"
	"github.com/kintone-sql/kintone/internal/rest"
)

func TestRowErrorPicksTheFirstRow(t *testing.T) {
	items := func(from int64, n int) []batch.Item {
		out := make([]batch.Item, n)
		for i := range out {
			out[i] = batch.Item{Row: from + int64(i), ID: 1000 + from + int64(i)}
		}
		return out
	}
	reqs := []*batch.Request{{Op: batch.Update, Items: items(1, 100)}, {Op: batch.Update, Items: items(101, 100), Stmts: make([]int, 100)}}
	for i := range reqs[1].Stmts {
		reqs[1].Stmts[i] = 4
	}
	ae := &APIError{Status: 400, Code: "CB_VA01", ID: "req", Errors: map[string][]string{
		"records[9].record.b.value":   {"Required."},
		"records[9].record.a.value":   {"Too long.", "Bad."},
		"records[12].record.a.value":  {"Required."},
		"records[200].record.a.value": {"Out of range."},
	}}
	err := rowError(&rest.BulkError{Index: 1, Err: ae}, reqs)
	var re *RowError
	if !errors.As(err, &re) || re.Statement != 4 || re.Row != 110 || re.ID != 1110 || re.Column != "a" || re.Path != "records[9].record.a.value" {
		t.Fatalf("got %+v", err)
	}
	if msg := err.Error(); msg != "kintone: statement 4, row 110 ($id 1110), column a: Too long. Bad. (CB_VA01; 3 more messages in the answer, id: req)" {
		t.Errorf("message %q", msg)
	}
	var be *rest.BulkError
	if !errors.As(err, &be) || !errors.Is(err, &APIError{Code: "CB_VA01"}) {
		t.Error("the chain lost Kintone's answer")
	}
	// An error that names no record stays as it is.
	plain := &APIError{Status: 409, Code: "GAIA_CO02"}
	if got := rowError(plain, reqs); got != error(plain) {
		t.Errorf("got %v", got)
	}
	odd := &APIError{Status: 400, Code: "CB_VA01", Errors: map[string][]string{"app": {"Required."}}}
	if got := rowError(odd, reqs); got != error(odd) {
		t.Errorf("got %v", got)
	}
}

func TestWriteOutcome(t *testing.T) {
	tests := []struct {
		err     error
		unknown bool
	}{
		{&APIError{Status: 400, Code: "CB_VA01"}, false},
		{&APIError{Status: 500, Code: "GAIA_XX"}, false},
		{&APIError{Status: 502, Message: "Bad Gateway"}, true},
		{&APIError{Status: 504, Message: "Gateway Timeout"}, true},
		{&APIError{Status: 503, Message: "Service Unavailable"}, true},
		{&APIError{Status: 503, Code: "GAIA_TO04"}, false},
		{&APIError{Status: 403, Message: "Forbidden"}, true},
		{&APIError{Status: 414, Message: "URI Too Long"}, false},
		{&rest.BulkError{Index: 1, Err: &APIError{Status: 409, Code: "GAIA_CO02"}}, false},
		{&rest.TransportError{MaybeSent: true, Err: errors.New("reset")}, true},
		{&rest.TransportError{MaybeSent: false, Err: errors.New("refused")}, false},
		{errors.New("kintone: POST /k/v1/records.json: malformed response"), true},
		{rest.ErrTooMany, false},
	}
	for _, tt := range tests {
		if got := writeOutcome(tt.err); got != tt.unknown {
			t.Errorf("writeOutcome(%v) = %v, want %v", tt.err, got, tt.unknown)
		}
	}
}

func TestPartialWriteErrorMessages(t *testing.T) {
	cause := errors.New("kintone: boom")
	tests := []struct {
		e    PartialWriteError
		want string
	}{
		{PartialWriteError{Committed: 2000, Batch: 2, FirstRow: 2001, LastRow: 4000, Err: cause},
			"kintone: batch 2 (rows 2001 to 4000) failed and was not written; 2000 rows were committed before it: boom"},
		{PartialWriteError{Committed: 0, Batch: 1, FirstRow: 1, LastRow: 150, Unknown: true, Err: cause},
			"kintone: batch 1 (rows 1 to 150) may or may not have been written: it was sent and no answer from Kintone says whether it was applied; no row was committed before it, nothing after it was sent: boom"},
		{PartialWriteError{Committed: 4000, Batch: 3, FirstRow: 4001, Err: cause},
			"kintone: write stopped while preparing batch 3 (from row 4001): 4000 rows were committed in 2 batches, nothing after them was written: boom"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("got  %s\nwant %s", got, tt.want)
		}
		if !errors.Is(&tt.e, cause) {
			t.Error("Unwrap lost the cause")
		}
	}
}
