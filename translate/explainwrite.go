package translate

import (
	"fmt"
	"strings"
	"time"

	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/plan"
)

// This file explains a write (EXPLAIN INSERT, UPDATE or DELETE) without
// running it: a row for each read that finds the records or rows, with the
// columns and values EXPLAIN SELECT gives, and a row for the writes the
// driver will send. EXPLAIN never writes: its plan is a read of a virtual
// table.

// writeExplainColumns are the columns of EXPLAIN of a write: step ("read"
// or "write"), the columns of EXPLAIN SELECT (for the read), then those of
// the write.
func writeExplainColumns() []*catalog.Column {
	cols := []*catalog.Column{catalog.VirtualColumn("step", catalog.KText, false)}
	read := readExplainColumns()
	read[0].Nullable = true // the write row has no read strategy
	cols = append(cols, read...)
	return append(cols,
		catalog.VirtualColumn("operation", catalog.KText, true),
		catalog.VirtualColumn("target", catalog.KText, true),
		catalog.VirtualColumn("rows", catalog.KInt, true),
		catalog.VirtualColumn("requests", catalog.KInt, true),
		catalog.VirtualColumn("batches", catalog.KText, true),
		catalog.VirtualColumn("revisions", catalog.KText, true),
	)
}

// explainWrite turns a write plan into the result of its EXPLAIN.
func explainWrite(st Statement, loc *time.Location) *Select {
	var rows []catalog.Record
	var sel *Select
	w := catalog.Record{"step": "write"}
	var items []WriteItem
	switch st := st.(type) {
	case *Insert:
		w["app"], sel, items = st.App, st.Select, st.Items
		w["operation"], w["target"] = "POST records.json", "new records"
		if st.Upsert() {
			w["operation"] = "PUT records.json, upsert"
			w["target"] = "updateKey " + st.KeyField + ": updates the record with the key, adds one when none has it"
		}
		w["revisions"] = "not checked"
		switch {
		case st.SameApp:
			w["go"] = "every row is read before the first record is written: the SELECT reads the app written"
		case sel != nil:
			w["go"] = "rows are written in batches as they are read"
		}
	case *Update:
		w["app"], sel, items = st.App, st.Select, st.Items
		w["operation"] = "PUT records.json"
		explainTargets(w, sel, items, st.ByKey)
	case *Delete:
		w["app"], sel, items = st.App, st.Select, st.Items
		w["operation"] = "DELETE records.json"
		explainTargets(w, sel, items, false)
	}
	if sel != nil {
		for _, r := range selectExplain(sel) {
			r["step"] = "read"
			rows = append(rows, r)
		}
	}
	n := int64(-1) // rows to write, when known
	switch {
	case sel == nil:
		n = int64(len(items))
	case sel.Read == nil && len(planReads(sel.root)) == 0:
		n = 0 // the read finds nothing without asking Kintone
	}
	if n >= 0 {
		w["rows"] = n
		w["requests"] = writeRequests(n)
		w["batches"] = describeBatches(n)
	} else {
		w["batches"] = fmt.Sprintf("as rows are read: batches of up to %d rows, each one bulkRequest of up to %d requests of %d records; a batch of %d rows or fewer is one records.json request",
			MaxBulkRequests*MaxWriteRecords, MaxBulkRequests, MaxWriteRecords, MaxWriteRecords)
	}
	w["plan"] = explainTree(Tree(st))
	rows = append(rows, w)
	return explainTable(writeExplainColumns(), rows, loc)
}

// explainTargets fills in how an UPDATE or DELETE names its records and
// which revisions it checks.
func explainTargets(w catalog.Record, sel *Select, items []WriteItem, byKey bool) {
	switch {
	case sel != nil:
		w["target"] = "by $id: the records the read finds"
		w["revisions"] = "checked: the revision read (a record changed since is a conflict, GAIA_CO02)"
		switch {
		case sel.Read != nil && sortsInGo(sel.root):
			w["go"] = "every record is read and sorted in Go before the first write"
		case sel.Read != nil:
			w["go"] = "records are written in batches as they are read"
		}
	case byKey:
		k := items[0].Key
		w["target"] = fmt.Sprintf("updateKey %s = %q", k.Field, k.Value)
		w["revisions"] = "not checked"
		w["go"] = "no record with the key writes nothing (Kintone answers GAIA_RE20)"
	default:
		w["target"] = "by $id"
		w["revisions"] = "not checked"
		if len(items) > 0 && items[0].Revision > 0 {
			w["revisions"] = fmt.Sprintf("checked: $revision = %d (GAIA_CO02 otherwise)", items[0].Revision)
		}
		w["go"] = fmt.Sprintf("a $id with no record is skipped: Kintone refuses the request (GAIA_RE01), then one GET per %d ids finds which exist and the request is sent again without it", MaxPageSize)
	}
}

// writeRequests is the number of write requests for n rows: batches of
// MaxBulkRequests * MaxWriteRecords rows, each one request (records.json
// or bulkRequest).
func writeRequests(n int64) int64 {
	batch := int64(MaxBulkRequests * MaxWriteRecords)
	return (n + batch - 1) / batch
}

// describeBatches says what the requests for n rows are.
func describeBatches(n int64) string {
	if n == 0 {
		return "nothing to write: no request"
	}
	batch := int64(MaxBulkRequests * MaxWriteRecords)
	full, rest := n/batch, n%batch
	var parts []string
	if full > 0 {
		s := "s"
		if full == 1 {
			s = ""
		}
		parts = append(parts, fmt.Sprintf("%d bulkRequest%s of %d requests of %d records", full, s, MaxBulkRequests, MaxWriteRecords))
	}
	switch reqs, last := (rest+MaxWriteRecords-1)/MaxWriteRecords, rest%MaxWriteRecords; {
	case rest == 0:
	case rest <= MaxWriteRecords:
		parts = append(parts, "1 records.json request of "+records(rest))
	case last == 0:
		parts = append(parts, fmt.Sprintf("1 bulkRequest of %d requests of %d records", reqs, MaxWriteRecords))
	default:
		parts = append(parts, fmt.Sprintf("1 bulkRequest of %d requests (%d of %d records, the last of %s)", reqs, reqs-1, MaxWriteRecords, records(last)))
	}
	return strings.Join(parts, ", then ") + "; each request is applied all or nothing"
}

// records is "1 record" or "n records".
func records(n int64) string {
	if n == 1 {
		return "1 record"
	}
	return fmt.Sprintf("%d records", n)
}

// sortsInGo reports whether the tree sorts in Go.
func sortsInGo(n plan.Node) bool {
	found := false
	plan.Inspect(n, func(m plan.Node) bool {
		if _, ok := m.(*plan.Sort); ok {
			found = true
		}
		return !found
	})
	return found
}
