package main

import (
	"reflect"
	"testing"
)

func TestSplitStatements(t *testing.T) {
	for _, tc := range []struct {
		name  string
		in    string
		want  []statement // all(): the last statement needs no semicolon
		state lexState
	}{
		{"one", "SELECT 1", []statement{{"SELECT 1", 1}}, inText},
		{"two", "SELECT 1; SELECT 2;", []statement{{"SELECT 1", 1}, {"SELECT 2", 1}}, inText},
		{"lines", "SELECT 1;\n\nSELECT\n 2\n;\n", []statement{{"SELECT 1", 1}, {"SELECT\n 2", 3}}, inText},
		{"empty statements", ";; ;\n;", nil, inText},
		{"single quote", "SELECT 'a;b'; SELECT 2", []statement{{"SELECT 'a;b'", 1}, {"SELECT 2", 1}}, inText},
		{"doubled quote", "SELECT 'it''s;'; SELECT 2", []statement{{"SELECT 'it''s;'", 1}, {"SELECT 2", 1}}, inText},
		{"backslash quote", `SELECT 'a\';b'; SELECT 2`, []statement{{`SELECT 'a\';b'`, 1}, {"SELECT 2", 1}}, inText},
		{"double quote", `SELECT "a;b"; SELECT 2`, []statement{{`SELECT "a;b"`, 1}, {"SELECT 2", 1}}, inText},
		{"backquote", "SELECT `a;b` FROM `t``;`; SELECT 2", []statement{{"SELECT `a;b` FROM `t``;`", 1}, {"SELECT 2", 1}}, inText},
		{"backslash in backquote", "SELECT `a\\`; SELECT 2", []statement{{"SELECT `a\\`", 1}, {"SELECT 2", 1}}, inText},
		{"line comment", "SELECT 1 -- a;b\n; SELECT 2", []statement{{"SELECT 1 -- a;b", 1}, {"SELECT 2", 2}}, inText},
		{"hash comment", "# c;\nSELECT 1", []statement{{"SELECT 1", 2}}, inText},
		{"block comment", "/* a;\nb */ SELECT 1; /* ; */", []statement{{"SELECT 1", 2}}, inText},
		{"minus minus without blank", "SELECT 1--1; SELECT 2", []statement{{"SELECT 1--1", 1}, {"SELECT 2", 1}}, inText},
		{"comment only", "-- nothing here", nil, inText},
		{"japanese", "SELECT `顧客名` FROM 顧客; SELECT '；'", []statement{{"SELECT `顧客名` FROM 顧客", 1}, {"SELECT '；'", 1}}, inText},
		{"open quote", "SELECT 'abc;", []statement{{"SELECT 'abc;", 1}}, inSingle},
		{"open backquote", "SELECT `a", []statement{{"SELECT `a", 1}}, inBackquote},
		{"open comment", "SELECT 1; /* x;", []statement{{"SELECT 1", 1}}, inBlockComment},
		{"open double", `SELECT "x`, []statement{{`SELECT "x`, 1}}, inDouble},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := splitStatements(tc.in)
			if got := r.all(); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("statements %q, want %q", got, tc.want)
			}
			if r.state != tc.state {
				t.Errorf("state %v, want %v", r.state, tc.state)
			}
		})
	}
}

// TestSplitRest: what the shell keeps typing after the last semicolon.
func TestSplitRest(t *testing.T) {
	for _, tc := range []struct {
		in        string
		stmts     int
		rest      string
		restBlank bool
	}{
		{"SELECT 1;", 1, "", true},
		{"SELECT 1; SELECT", 1, "SELECT", false},
		{"SELECT 1; -- note", 1, " -- note", true},
		{"SELECT\n1", 0, "SELECT\n1", false},
		{"", 0, "", true},
	} {
		r := splitStatements(tc.in)
		if len(r.stmts) != tc.stmts || r.rest != tc.rest || r.restBlank != tc.restBlank {
			t.Errorf("%q: %d statements, rest %q (blank %v); want %d, %q, %v", tc.in, len(r.stmts), r.rest, r.restBlank, tc.stmts, tc.rest, tc.restBlank)
		}
	}
}

func TestReturnsRows(t *testing.T) {
	for q, want := range map[string]bool{
		"SELECT 1":                       true,
		"  select 1":                     true,
		"(SELECT 1)":                     true,
		"/* hint */ SELECT 1":            true,
		"-- c\nSHOW TABLES":              true,
		"# c\nDESCRIBE t":                true,
		"desc t":                         true,
		"EXPLAIN SELECT 1":               true,
		"INSERT INTO t VALUES (1)":       false,
		"UPDATE t SET a = 1":             false,
		"delete from t":                  false,
		"/* unterminated":                false,
		"SELECTED":                       false,
		"INSERT INTO t SELECT * FROM u2": false,
	} {
		if got := returnsRows(q); got != want {
			t.Errorf("returnsRows(%q) = %v, want %v", q, got, want)
		}
	}
}
