package batch

import (
	"errors"
	"testing"

	"github.com/kintone-sql/kintone/internal/rest"
)

func TestParseErrorPath(t *testing.T) {
	tests := []struct {
		path   string
		op     Op
		index  int
		column string
		ok     bool
	}{
		{"records[2].price.value", Add, 2, "price", true},
		{"records[0][price].value", Add, 0, "price", true},
		{"records[11].tags.values", Add, 11, "tags", true},
		{"records[1].owner.values.value", Add, 1, "owner", true},
		{"records[1].tags.values[0].value", Add, 1, "tags", true},
		{"records[4].items.value[0].value.qty.value", Add, 4, "items", true},
		{"records[3].record.price.value", Update, 3, "price", true},
		{"records[3].record[price].value", Upsert, 3, "price", true},
		{"records[5].id", Update, 5, "", true},
		{"records[5].updateKey.value", Upsert, 5, "", true},
		{"records[5].revision", Update, 5, "", true},
		{"records[6].record.value", Add, 6, "record", true}, // a field named record
		{"顧客名", Add, 0, "", false},
		{"ids[7]", Delete, 7, "", true},
		{"revisions[8]", Delete, 8, "", true},
		{"records", Add, 0, "", false},
		{"records[x].a.value", Add, 0, "", false},
		{"app", Add, 0, "", false},
	}
	for _, tt := range tests {
		i, col, ok := parseErrorPath(tt.path, tt.op)
		if i != tt.index || col != tt.column || ok != tt.ok {
			t.Errorf("parseErrorPath(%q) = %d, %q, %v; want %d, %q, %v", tt.path, i, col, ok, tt.index, tt.column, tt.ok)
		}
	}
}

func TestLocate(t *testing.T) {
	items := func(from int64, n int) []Item {
		out := make([]Item, n)
		for i := range out {
			out[i] = Item{Row: from + int64(i)}
		}
		return out
	}
	reqs := []*Request{{Op: Add, Items: items(1, 3)}, {Op: Delete, Items: items(4, 3), Stmts: []int{2, 1, 1}}}
	ae := &rest.APIError{Status: 400, Code: "CB_VA01", Errors: map[string][]string{
		"ids[0]":       {"Not found."},    // statement 2
		"revisions[2]": {"Stale."},        // statement 1, row 6
		"ids[1]":       {"Not found."},    // statement 1, row 5: the first
		"ids[9]":       {"Out of range."}, // no such item
	}}
	f, ok := Locate(&rest.BulkError{Index: 1, Err: ae}, reqs)
	if !ok || f.Request != 1 || f.Item != 1 || f.Column != "" || f.Path != "ids[1]" || f.Err != ae || len(f.Messages) != 1 {
		t.Fatalf("got %+v, %v", f, ok)
	}
	// A lone request: index 0, ordered by row, then column.
	lone := &rest.APIError{Status: 400, Code: "CB_VA01", Errors: map[string][]string{
		"records[2].b.value": {"Required."},
		"records[1].b.value": {"Required."},
		"records[1].a.value": {"Required."},
	}}
	if f, ok := Locate(lone, reqs[:1]); !ok || f.Request != 0 || f.Item != 1 || f.Column != "a" {
		t.Errorf("got %+v, %v", f, ok)
	}
	// Nothing to locate: no messages, a request index out of range, a
	// path naming no record, an error that is no answer of Kintone.
	for _, err := range []error{
		&rest.APIError{Status: 409, Code: "GAIA_CO02"},
		&rest.BulkError{Index: 5, Err: ae},
		&rest.APIError{Status: 400, Code: "CB_VA01", Errors: map[string][]string{"app": {"Required."}}},
		errors.New("reset"),
	} {
		if f, ok := Locate(err, reqs); ok {
			t.Errorf("Locate(%v) = %+v", err, f)
		}
	}
}
