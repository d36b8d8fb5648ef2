package batch

import (
	"errors"
	"strconv"
	"strings"

	"github.com/kintone-sql/kintone/internal/rest"
)

// Fault is one of Kintone's validation messages about a record of the
// requests sent, located: which request, which of its items, which field.
// The driver builds its RowError from it.
type Fault struct {
	// Request is the index of the request in the requests sent (the
	// failing request of a bulkRequest, 0 for a lone request).
	Request int
	// Item is the index of the record in the request's Items.
	Item int
	// Column is the field code the messages are about, "" when they are
	// about the record itself (its id, update key or revision).
	Column string
	// Path is Kintone's parameter path, such as records[2].price.value.
	Path string
	// Messages are Kintone's messages for Path.
	Messages []string
	// Err is Kintone's answer, with every message.
	Err *rest.APIError
}

// Locate maps a Kintone error about a request's records back to the
// records sent: reqs are the requests sent (one, or the requests of a
// bulkRequest, a *rest.BulkError naming the one that failed). Of the
// messages that name a record, it returns the first by statement, row,
// column and path; ok is false when none names a record.
func Locate(err error, reqs []*Request) (f Fault, ok bool) {
	var ae *rest.APIError
	if !errors.As(err, &ae) || len(ae.Errors) == 0 {
		return Fault{}, false
	}
	index := 0
	var be *rest.BulkError
	if errors.As(err, &be) {
		index = be.Index
	}
	if index < 0 || index >= len(reqs) {
		return Fault{}, false
	}
	req := reqs[index]
	for path, msgs := range ae.Errors {
		i, column, found := parseErrorPath(path, req.Op)
		if !found || i >= len(req.Items) {
			continue
		}
		g := Fault{Request: index, Item: i, Column: column, Path: path, Messages: msgs, Err: ae}
		if !ok || req.before(g, f) {
			f, ok = g, true
		}
	}
	return f, ok
}

// before orders the faults a and b of r's items by statement, row,
// column and path.
func (r *Request) before(a, b Fault) bool {
	if r.Stmts != nil && r.Stmts[a.Item] != r.Stmts[b.Item] {
		return r.Stmts[a.Item] < r.Stmts[b.Item]
	}
	ra, rb := r.Items[a.Item].Row, r.Items[b.Item].Row
	switch {
	case ra != rb:
		return ra < rb
	case a.Column != b.Column:
		return a.Column < b.Column
	}
	return a.Path < b.Path
}

// parseErrorPath reads a parameter path of Kintone's validation errors
// (REST-API.md §6.1) for a record write: the index of the record in the
// request and the field code. The forms are records[i].code.value,
// records[i][code].value (a NUMBER that does not parse) and their
// suffixes (.values, .values[j].value, a subtable's
// .value[j].value.inner.value); PUT nests the fields in
// records[i].record.code..., and names the record in records[i].id,
// records[i].updateKey... and records[i].revision (no column). A DELETE's
// ids[i] and revisions[i] name a record too.
func parseErrorPath(path string, op Op) (index int, column string, ok bool) {
	tail, ok := strings.CutPrefix(path, "records[")
	if !ok {
		for _, p := range []string{"ids[", "revisions["} {
			if r, found := strings.CutPrefix(path, p); found {
				i, _, ok := bracketIndex(r)
				return i, "", ok
			}
		}
		return 0, "", false
	}
	index, tail, ok = bracketIndex(tail)
	if !ok {
		return 0, "", false
	}
	if op == Update || op == Upsert {
		switch {
		case strings.HasPrefix(tail, ".record.") || strings.HasPrefix(tail, ".record["):
			tail = tail[len(".record"):]
		default:
			return index, "", true // id, updateKey, revision
		}
	}
	switch {
	case strings.HasPrefix(tail, "."):
		code := tail[1:]
		if end := strings.IndexAny(code, ".["); end >= 0 {
			code = code[:end]
		}
		return index, code, true
	case strings.HasPrefix(tail, "["):
		code, _, found := strings.Cut(tail[1:], "]")
		return index, code, found
	}
	return index, "", true
}

// bracketIndex reads "N]..." and returns N and the rest.
func bracketIndex(s string) (int, string, bool) {
	digits, tail, ok := strings.Cut(s, "]")
	if !ok {
		return 0, "", false
	}
	n, err := strconv.Atoi(digits)
	if err != nil || n < 0 {
		return 0, "", false
	}
	return n, tail, true
}
