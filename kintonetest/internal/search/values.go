package search

import (
	"strings"

	"github.com/kintone-sql/kintone/kintonetest/internal/store"
)

// Accessors for the Go types store.Record documents per field shape. A
// missing key or an unexpected type reads as the empty value, so that a
// field added to the form after a record was written behaves as empty.

func scalarOf(vals map[string]any, code string) string {
	s, _ := vals[code].(string)
	return s
}

func stringsOf(vals map[string]any, code string) []string {
	s, _ := vals[code].([]string)
	return s
}

func entityOf(vals map[string]any, code string) store.Entity {
	e, _ := vals[code].(store.Entity)
	return e
}

func entitiesOf(vals map[string]any, code string) []store.Entity {
	e, _ := vals[code].([]store.Entity)
	return e
}

func filesOf(vals map[string]any, code string) []store.FileRef {
	f, _ := vals[code].([]store.FileRef)
	return f
}

func rowsOf(vals map[string]any, code string) []store.Row {
	r, _ := vals[code].([]store.Row)
	return r
}

// numericPart is the number of a RECORD_NUMBER: "12" for "12" and for
// "APPCODE-12" (B.1). Kintone's comparison of prefixed record numbers is
// unknown (A.6.3 [U]); comparing the numeric part is the reading that makes
// "order by" and ranges over one app's numbers behave like $id, which is
// what the number counts.
func numericPart(s string) string {
	if i := strings.LastIndexByte(s, '-'); i > 0 {
		return s[i+1:]
	}
	return s
}

// isBlankText reports whether a MULTI_LINE_TEXT value counts as empty:
// only spaces, tabs and newlines (A.4). The document names these ASCII
// characters only, so the ideographic space U+3000 is content.
func isBlankText(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\n', '\r':
		default:
			return false
		}
	}
	return true
}

// isEmptyValue is "is empty" for any field kind: no text (MULTI_LINE_TEXT
// ignoring whitespace), no selection, no attachment, no row.
func isEmptyValue(k kind, vals map[string]any, code string) bool {
	switch v := vals[code].(type) {
	case nil:
		return true
	case string:
		if k == kindLongText {
			return isBlankText(v)
		}
		return v == ""
	case []string:
		return len(v) == 0
	case store.Entity:
		return v.Code == ""
	case []store.Entity:
		return len(v) == 0
	case []store.FileRef:
		return len(v) == 0
	case []store.Row:
		return len(v) == 0
	}
	return false
}
