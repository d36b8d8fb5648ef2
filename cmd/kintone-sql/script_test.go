package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/kintonetest"
)

// TestScriptExitStatusSaysWhatWasWritten: the main command's status tells
// a script what a failed run wrote: 3 when a statement's outcome is
// unknown (not 1, "nothing written", on which a script would run it
// again), 5 when rows were committed (by an earlier statement, or by
// earlier batches of the failing one), 1 only when nothing was.
func TestScriptExitStatusSaysWhatWasWritten(t *testing.T) {
	values := func(from, to int, dup int) string {
		var b strings.Builder
		b.WriteString("INSERT INTO DEST (title) VALUES ")
		for i := from; i <= to; i++ {
			if i > from {
				b.WriteString(", ")
			}
			n := i
			if i == dup {
				n = from
			}
			fmt.Fprintf(&b, "('t%d')", n)
		}
		return b.String()
	}
	for _, tc := range []struct {
		name    string
		sql     string
		fault   *kintonetest.Fault
		code    int
		want    string
		present int
	}{
		{"one statement, answer lost", values(1, 2, 0),
			&kintonetest.Fault{Resource: "records", Nth: 1, Drop: kintonetest.DropAfterApply},
			exitUnknown, "may or may not have been written", 2},
		{"answer lost after an earlier statement wrote", values(1, 1, 0) + "; " + values(2, 3, 0),
			&kintonetest.Fault{Resource: "records", Nth: 2, Drop: kintonetest.DropAfterApply},
			exitUnknown, "may or may not have been written", 3},
		{"second batch of one statement refused", values(1, 2100, 2050), nil,
			exitPartial, "2000 rows were committed before it", 2000},
		{"a statement after one that wrote", values(1, 1, 0) + "; " + values(1, 1, 0), nil,
			exitPartial, "the statements before it were committed", 1},
		{"a statement after one that wrote nothing", "UPDATE DEST SET amount = 1 WHERE title = 'none'; " + values(1, 2, 2), nil,
			exitFailed, "This value already exists", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newRoundTripServer(t, "DEST")
			if tc.fault != nil {
				srv.InjectFault(*tc.fault)
			}
			ta := newTestApp(t)
			code := ta.run("--dsn", srv.DSN(), "-e", tc.sql)
			if code != tc.code {
				t.Errorf("exit %d, want %d: %s", code, tc.code, ta.err.String())
			}
			if !strings.Contains(ta.err.String(), tc.want) {
				t.Errorf("stderr %q does not say %q", ta.err.String(), tc.want)
			}
			if got := restTitles(t, srv, "DEST"); len(got) != tc.present {
				t.Errorf("%d records, want %d", len(got), tc.present)
			}
		})
	}
}
