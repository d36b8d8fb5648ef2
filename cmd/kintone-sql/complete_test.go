package main

import (
	"context"
	"reflect"
	"testing"

	"github.com/DATA-DOG/go-sqlmock"
)

func newMockCompleter(t *testing.T) (*completer, sqlmock.Sqlmock) {
	t.Helper()
	db, mock, err := sqlmock.New(sqlmock.QueryMatcherOption(sqlmock.QueryMatcherEqual))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return newCompleter(context.Background(), db), mock
}

func TestCompleteNames(t *testing.T) {
	c, mock := newMockCompleter(t)
	mock.ExpectQuery("SHOW TABLES").WillReturnRows(sqlmock.NewRows([]string{"t"}).AddRow("CUSTOMERS").AddRow("Sales Report").AddRow("顧客"))
	mock.ExpectQuery("SHOW COLUMNS FROM `顧客`").WillReturnRows(sqlmock.NewRows([]string{"Field"}).AddRow("会社名").AddRow("$id"))
	mock.ExpectQuery("SHOW COLUMNS FROM `Sales Report`").WillReturnError(errTest)
	for _, tc := range []struct {
		line  string
		want  string
		cands []string
	}{
		{"SELECT * FROM cu", "SELECT * FROM CUSTOMERS ", nil},
		{"SELECT * FROM Sa", "SELECT * FROM `Sales Report` ", nil},
		{"SELECT * FROM `Sa", "SELECT * FROM `Sales Report` ", nil},
		{"SELECT * FROM 顧", "SELECT * FROM 顧客 ", nil},
		{"SELECT 会 FROM 顧客", "SELECT 会 FROM 顧客 ", nil}, // a whole name is completed with a space

		{"SELECT 顧客.会", "SELECT 顧客.会社名 ", nil},
		{"sel", "select ", nil},
		{"SEL", "SELECT ", nil},
		{"SELECT * FROM `Sales Report` WHERE sa", "SELECT * FROM `Sales Report` WHERE `Sales Report` ", nil},
		{"SELECT * FROM t WHERE a = 1 OR", "SELECT * FROM t WHERE a = 1 OR", []string{"OR", "ORDER"}},
		{"co", "co", []string{"columns", "count"}},
		{"SELECT * FROM x", "SELECT * FROM x", nil},
	} {
		got, pos, cands := c.complete(tc.line, len(tc.line))
		if got != tc.want || pos != len(tc.want) || !reflect.DeepEqual(cands, tc.cands) {
			t.Errorf("complete(%q) = %q, %d, %q; want %q, %q", tc.line, got, pos, cands, tc.want, tc.cands)
		}
	}
	// In the middle of a line: the word before the cursor, and no space
	// added.
	line := "SELECT 会 FROM 顧客"
	got, pos, _ := c.complete(line, len("SELECT 会"))
	if want := "SELECT 会社名 FROM 顧客"; got != want || pos != len("SELECT 会社名") {
		t.Errorf("complete in the middle = %q, %d; want %q", got, pos, want)
	}
	got, _, _ = c.complete("SELECT $ FROM 顧客", len("SELECT $"))
	if want := "SELECT $id FROM 顧客"; got != want {
		t.Errorf("complete $ = %q, want %q", got, want)
	}
	if err := mock.ExpectationsWereMet(); err != nil {
		t.Error(err)
	}
}

// TestCompleteKeywordsOnly: when SHOW TABLES and SHOW COLUMNS fail,
// keywords are still completed, and the failures are not retried on every
// Tab.
func TestCompleteKeywordsOnly(t *testing.T) {
	c, mock := newMockCompleter(t)
	mock.ExpectQuery("SHOW COLUMNS FROM `t`").WillReturnError(errTest)
	mock.ExpectQuery("SHOW TABLES").WillReturnError(errTest)
	for i := 0; i < 2; i++ {
		if got, _, _ := c.complete("SELECT * FROM t WHERE a IS NU", 29); got != "SELECT * FROM t WHERE a IS NULL " {
			t.Errorf("complete = %q", got)
		}
	}
	// The earlier lines of a statement name its tables.
	c.pending = "SELECT *\nFROM t"
	if got, _, _ := c.complete("WHER", 4); got != "WHERE " {
		t.Errorf("complete = %q", got)
	}
	if err := mock.ExpectationsWereMet(); err != nil {
		t.Error(err)
	}
}
