package main

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/DATA-DOG/go-sqlmock"
)

// mockDSN is a valid DSN for tests whose database is a sqlmock: it parses,
// and its password must never be printed.
const mockDSN = "http://alice:pw-s3cret-42@127.0.0.1:9/"

// testApp is an app on buffers, with a fixed clock and environment.
type testApp struct {
	*app
	out, err bytes.Buffer
	env      map[string]string
}

func newTestApp(t *testing.T) *testApp {
	t.Helper()
	ta := &testApp{env: map[string]string{historyEnv: "off"}}
	fixed := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	ta.app = &app{
		stdin:  strings.NewReader(""),
		stdout: &ta.out, stderr: &ta.err,
		getenv: func(k string) string { return ta.env[k] },
		open:   sql.Open,
		now:    func() time.Time { return fixed },
	}
	return ta
}

// withInput sets stdin to text (not a terminal).
func (ta *testApp) withInput(text string) *testApp {
	ta.stdin = strings.NewReader(text)
	return ta
}

// run runs the command and returns its exit status.
func (ta *testApp) run(args ...string) int {
	return ta.app.run(context.Background(), args)
}

// listConverter is sqlmock's value converter, letting []string through
// as the driver's CheckNamedValue does.
type listConverter struct{}

func (listConverter) ConvertValue(v any) (driver.Value, error) {
	if l, ok := v.([]string); ok {
		return l, nil
	}
	return driver.DefaultParameterConverter.ConvertValue(v)
}

// useMock makes the app open a sqlmock that matches SQL exactly.
func (ta *testApp) useMock(t *testing.T) sqlmock.Sqlmock {
	t.Helper()
	db, mock, err := sqlmock.New(sqlmock.QueryMatcherOption(sqlmock.QueryMatcherEqual), sqlmock.ValueConverterOption(listConverter{}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ta.open = func(driverName, dsn string) (*sql.DB, error) {
		if driverName != "kintone" || dsn != mockDSN {
			return nil, fmt.Errorf("unexpected open(%q, %q)", driverName, dsn)
		}
		return db, nil
	}
	return mock
}

// sampleRows are rows of every kind of value the driver returns, with the
// Kintone types as database type names.
func sampleRows() *sqlmock.Rows {
	cols := []*sqlmock.Column{
		sqlmock.NewColumn("$id").OfType("__ID__", int64(0)),
		sqlmock.NewColumn("company").OfType("SINGLE_LINE_TEXT", ""),
		sqlmock.NewColumn("total").OfType("NUMBER", ""),
		sqlmock.NewColumn("since").OfType("DATE", time.Time{}),
		sqlmock.NewColumn("tags").OfType("CHECK_BOX", []byte(nil)),
		sqlmock.NewColumn("owner").OfType("USER_SELECT", []byte(nil)),
		sqlmock.NewColumn("items").OfType("SUBTABLE", []byte(nil)),
		sqlmock.NewColumn("notes").OfType("MULTI_LINE_TEXT", ""),
	}
	day := time.Date(2024, 5, 6, 0, 0, 0, 0, time.UTC)
	return sqlmock.NewRowsWithColumnDefinition(cols...).
		AddRow(int64(1), "Acme | Co", "1200.5", day,
			[]byte(`["Rush","Gift"]`),
			[]byte(`[{"code":"alice","name":"Alice"},{"code":"bob","name":"Bob"}]`),
			[]byte(`[{"id":"7","value":{"product":{"type":"SINGLE_LINE_TEXT","value":"Tea"},"qty":{"type":"NUMBER","value":"2"}}}]`),
			"line one\nline two").
		AddRow(int64(12), "富士商事", nil, nil, nil, nil, nil, nil)
}

// errTest is an error for mocks to return.
var errTest = errors.New("test failure")
