package translate

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/kintone-sql/kintone/internal/errmsg"
	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/internal/jsonwrite"
	"github.com/kintone-sql/kintone/translate/bind"
	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/expr"
)

// This file holds the plans of INSERT, UPDATE and DELETE: what the driver
// writes, record by record, and how it finds the records. The batching
// (100 records per request, 20 requests per bulkRequest) is the driver's.

// WriteRecord is the fields of one record to write: field code to the JSON
// that goes inside {"value": ...} (record JSON's write form, B.1).
type WriteRecord map[string]json.RawMessage

// UpdateKey names a record by the value of a unique SINGLE_LINE_TEXT or
// NUMBER field instead of its $id (Kintone's updateKey).
type UpdateKey struct {
	Field string
	Value string
	// Number reports that Field is a NUMBER: a query compares its values
	// as numbers (Field = 11), not as text.
	Number bool
}

// WriteItem is one record a write plan adds, updates or deletes.
type WriteItem struct {
	// Row is the 1-based row of the statement: the row of VALUES or of
	// the SELECT for an INSERT, the n-th record found for UPDATE and
	// DELETE. Errors name it.
	Row int64
	// ID is the record's $id; 0 for a record being added or named by Key.
	ID int64
	// Revision, when positive, is the revision the record must still
	// have: Kintone refuses the write with GAIA_CO02 otherwise.
	Revision int64
	// Key names the record by a unique field (an UPDATE by key, or an
	// upsert); nil otherwise.
	Key *UpdateKey
	// Record holds the fields to write; nil for a DELETE. The items of
	// one statement may share it: do not modify it.
	Record WriteRecord
}

// ValueError is a value that cannot be written to its column: of the wrong
// kind for the field, or refused by the field type's rules. Values known
// at Bind (VALUES, constant SET values) fail there, before anything is
// sent; values read or computed from records (INSERT ... SELECT, SET col =
// expression) fail as their row is reached.
type ValueError struct {
	// Row is the 1-based row of the statement, 0 for a SET value that is
	// the same for every row.
	Row int64
	// ID is the record's $id, 0 when not known (a record being added).
	ID int64
	// Column is the column (field code) written.
	Column string
	// Err is the reason, often a *field.EncodeError or an *ArgError.
	Err error
}

// Error names the row and column, then the reason.
func (e *ValueError) Error() string {
	var b strings.Builder
	b.WriteString("kintone: ")
	if e.Row > 0 {
		fmt.Fprintf(&b, "row %d", e.Row)
		if e.ID > 0 {
			fmt.Fprintf(&b, " ($id %d)", e.ID)
		}
		b.WriteString(", ")
	}
	fmt.Fprintf(&b, "column %s: %s", e.Column, errmsg.Text(e.Err))
	return b.String()
}

// Unwrap returns the reason.
func (e *ValueError) Unwrap() error { return e.Err }

// Insert is the plan of an INSERT: records to add (POST records.json), or
// with ON DUPLICATE KEY UPDATE records to upsert (PUT records.json with
// upsert and an updateKey on the unique KeyField). REPLACE is one too: an
// upsert whose records carry every writable field (see prepareReplace),
// or an INSERT when its columns hold no unique field.
type Insert struct {
	// App is the app written.
	App int64
	// Columns are the field codes written, in the statement's order.
	Columns []string
	// KeyField is the unique field of an upsert; "" for a plain INSERT.
	// Every item then has Key set, and its Record leaves the key out.
	KeyField string
	// Items are the records of INSERT ... VALUES, in order; nil for
	// INSERT ... SELECT.
	Items []WriteItem
	// Select reads the rows of INSERT ... SELECT (one output column per
	// element of Columns); turn each into an item with Item. nil for
	// VALUES.
	Select *Select
	// SameApp reports that Select reads the app written: read every row
	// before writing the first, or the read would meet the new records.
	SameApp bool
	// Targets says what the SELECT reads (of the app of Select.Read).
	Targets Targets
	// Sources are the apps the SELECT reads (several for a join, a
	// subquery or a set operation).
	Sources []int64

	cols      []*catalog.Column
	keyNumber bool // the upsert key is a NUMBER field
	codec     field.Codec
	// defaults go into every record for the fields it lacks: REPLACE
	// sends the defaults the upsert would otherwise leave as they were.
	defaults WriteRecord
}

func (*Insert) isStatement() {}

// Upsert reports whether the plan upserts (ON DUPLICATE KEY UPDATE).
func (ins *Insert) Upsert() bool { return ins.KeyField != "" }

// Item turns row number row (1-based) of the SELECT, as Select's rows
// give it, into the record to write.
func (ins *Insert) Item(row int64, vals []driver.Value) (WriteItem, error) {
	if len(vals) != len(ins.cols) {
		return WriteItem{}, fmt.Errorf("kintone: row %d has %d values for %d columns", row, len(vals), len(ins.cols))
	}
	rec := make(WriteRecord, len(ins.cols))
	for i, c := range ins.cols {
		raw, err := encodeValue(ins.codec, c, vals[i], true)
		if err != nil {
			return WriteItem{}, &ValueError{Row: row, Column: c.Name, Err: err}
		}
		rec[c.Code] = raw
	}
	return ins.item(row, rec)
}

// add appends the item of a VALUES row to Items.
func (ins *Insert) add(row int64, rec WriteRecord) error {
	it, err := ins.item(row, rec)
	if err != nil {
		return err
	}
	ins.Items = append(ins.Items, it)
	return nil
}

// item makes the item of a record: for an upsert, the key's value moves
// from the record into Key.
func (ins *Insert) item(row int64, rec WriteRecord) (WriteItem, error) {
	for code, raw := range ins.defaults {
		if _, ok := rec[code]; !ok {
			rec[code] = raw
		}
	}
	it := WriteItem{Row: row, Record: rec}
	if ins.KeyField == "" {
		return it, nil
	}
	key := &UpdateKey{Field: ins.KeyField, Number: ins.keyNumber}
	if raw, ok := rec[ins.KeyField]; ok {
		delete(rec, ins.KeyField)
		if err := json.Unmarshal(raw, &key.Value); err != nil {
			return WriteItem{}, &ValueError{Row: row, Column: ins.KeyField, Err: fmt.Errorf("the key's value %s is not text", raw)}
		}
	}
	it.Key = key
	return it, nil
}

// Update is the plan of an UPDATE. Either Items names the records
// directly (WHERE $id = ?, $id IN (...), or a unique field = ?), and the
// driver PUTs them without reading; or Select reads the records to update
// and Item turns each of its rows into an update that carries the
// record's revision, so that a record changed since it was read is a
// conflict (GAIA_CO02), never overwritten.
type Update struct {
	// App is the app written.
	App int64
	// Items are the updates when the WHERE names the records; nil when
	// Select finds them.
	Items []WriteItem
	// ByKey reports that the single item names its record by update key
	// (Kintone answers GAIA_RE20 when no record has the value).
	ByKey bool
	// ByID reports that Items name their records by $id: Kintone refuses
	// a whole request with GAIA_RE01 when one of them does not exist.
	ByID bool
	// Select reads $id, $revision and the new values of the row-dependent
	// SET columns of every record to update; nil when Items are given.
	Select *Select
	// Targets says what finding the records and computing their values
	// reads.
	Targets Targets

	set    []*setItem // the row-dependent SET items, in Select's column order after $id and $revision
	consts WriteRecord
	codec  field.Codec
}

func (*Update) isStatement() {}

// Item turns row number row (1-based) of Select into the update of its
// record, with the record's revision.
func (u *Update) Item(row int64, vals []driver.Value) (WriteItem, error) {
	id, rev, err := idRevision(row, vals, 2+len(u.set))
	if err != nil {
		return WriteItem{}, err
	}
	if len(u.set) == 0 {
		// Every row writes the same values: share them, as the items
		// of an update by $id do (a write never changes a record).
		return WriteItem{Row: row, ID: id, Revision: rev, Record: u.consts}, nil
	}
	rec := make(WriteRecord, len(u.consts)+len(u.set))
	for code, raw := range u.consts {
		rec[code] = raw
	}
	for i, s := range u.set {
		raw, err := encodeValue(u.codec, s.col, vals[2+i], false)
		if err != nil {
			return WriteItem{}, &ValueError{Row: row, ID: id, Column: s.col.Name, Err: err}
		}
		rec[s.col.Code] = raw
	}
	return WriteItem{Row: row, ID: id, Revision: rev, Record: rec}, nil
}

// Delete is the plan of a DELETE: Items names the records directly
// (WHERE $id = ? or $id IN (...)), or Select reads the $id and $revision
// of every record to delete and Item turns each row into a deletion that
// carries the revision.
type Delete struct {
	// App is the app written.
	App int64
	// Items are the records when the WHERE names them by $id; nil when
	// Select finds them.
	Items []WriteItem
	// Select reads $id and $revision; nil when Items are given.
	Select *Select
	// Targets says what finding the records reads.
	Targets Targets
}

// Targets describes what an UPDATE or DELETE reads to find its records
// and compute their new values: a driver that queues writes (a
// transaction) checks it against the writes queued before the statement,
// which a read of the committed data does not see.
type Targets struct {
	// Reads are the field codes the WHERE, ORDER BY and row-dependent SET
	// values read, in the app's column order; $id and $revision are left
	// out.
	Reads []string
	// Volatile reports that one of them is a field Kintone changes on
	// every update of a record: $revision, the updated time, the
	// modifier, or a CALC field (which may depend on any field).
	Volatile bool
	// Limited reports a LIMIT: which records the statement writes then
	// depends on which others match.
	Limited bool
}

// targetsOf returns the Targets of a statement reading tbl with exprs
// (limited: with a LIMIT). A child table's inner fields are read through
// its subtable field, which is what a write changes.
func targetsOf(tbl *catalog.Table, limited bool, exprs ...expr.Expr) Targets {
	reads := map[string]bool{}
	t := Targets{Limited: limited}
	for _, e := range exprs {
		expr.Walk(e, func(x expr.Expr) bool {
			c, ok := x.(*expr.ColRef)
			if !ok {
				return true
			}
			switch c.Col.Type {
			case field.ID:
				return true
			case field.Revision, field.UpdatedTime, field.Modifier, field.Calc:
				t.Volatile = true
			}
			switch {
			case c.Col.Inner && tbl == nil:
				// A subtable's field read through a join: which SUBTABLE
				// holds it is the table's, not known here; any update
				// of the app counts.
				t.Volatile = true
			case c.Col.Inner && tbl.IsChild():
				reads[tbl.Sub.Code] = true
			case c.Col.Code != catalog.ColRev && c.Col.Prop != nil:
				reads[c.Col.Code] = true
			}
			return true
		})
	}
	if tbl != nil && tbl.IsChild() && reads[tbl.Sub.Code] {
		t.Reads = append(t.Reads, tbl.Sub.Code)
		delete(reads, tbl.Sub.Code)
	}
	if tbl == nil {
		// Several tables (a join, a subquery, a set operation): every
		// field code read, in order.
		for code := range reads {
			t.Reads = append(t.Reads, code)
		}
		slices.Sort(t.Reads)
		return t
	}
	for _, c := range tbl.Cols {
		if reads[c.Code] {
			t.Reads = append(t.Reads, c.Code)
		}
	}
	return t
}

// writeTargets returns the Targets of an UPDATE or DELETE finding its
// records with sel and computing the SET values set.
func writeTargets(sel *bind.SelectTemplate, set []*setItem) Targets {
	exprs := []expr.Expr{sel.Where}
	for _, o := range sel.Order {
		exprs = append(exprs, o.Expr)
	}
	for _, s := range set {
		exprs = append(exprs, s.e)
	}
	return targetsOf(sel.Table, sel.Limit != nil, exprs...)
}

func (*Delete) isStatement() {}

// Item turns row number row (1-based) of Select into the deletion of its
// record, with the record's revision.
func (d *Delete) Item(row int64, vals []driver.Value) (WriteItem, error) {
	id, rev, err := idRevision(row, vals, 2)
	if err != nil {
		return WriteItem{}, err
	}
	return WriteItem{Row: row, ID: id, Revision: rev}, nil
}

// idRevision reads the $id and $revision a write's Select puts first.
func idRevision(row int64, vals []driver.Value, n int) (id, rev int64, err error) {
	if len(vals) != n {
		return 0, 0, fmt.Errorf("kintone: row %d has %d values, want %d", row, len(vals), n)
	}
	id, ok1 := vals[0].(int64)
	rev, ok2 := vals[1].(int64)
	if !ok1 || !ok2 || id <= 0 {
		return 0, 0, fmt.Errorf("kintone: row %d: the record's $id and $revision are missing (%v, %v)", row, vals[0], vals[1])
	}
	return id, rev, nil
}

// encodeValue encodes v for column c as record JSON's write form.
func encodeValue(codec field.Codec, c *catalog.Column, v any, create bool) (json.RawMessage, error) {
	enc, err := codec.EncodeField(c.Prop, v, create)
	if err != nil {
		return nil, err
	}
	return jsonwrite.Value(nil, enc) // without HTML escaping
}

// rawArena writes the JSON of many small values into shared chunks: a
// 10,000-row INSERT's 200,000 values would otherwise be as many
// allocations. A value is never moved once written (a new chunk is
// started instead), so every one handed out stays valid.
type rawArena struct{ buf []byte }

// arenaChunk is the size of a chunk; arenaRoom the free space below which
// the next value starts a new one.
const (
	arenaChunk = 16 << 10
	arenaRoom  = 512
)

// encode is encodeValue, written into the arena.
func (a *rawArena) encode(codec field.Codec, c *catalog.Column, v any, create bool) (json.RawMessage, error) {
	enc, err := codec.EncodeField(c.Prop, v, create)
	if err != nil {
		return nil, err
	}
	if cap(a.buf)-len(a.buf) < arenaRoom {
		a.buf = make([]byte, 0, arenaChunk)
	}
	start := len(a.buf)
	out, err := jsonwrite.Value(a.buf, enc)
	if err != nil {
		return nil, err
	}
	a.buf = out
	return json.RawMessage(out[start:len(out):len(out)]), nil
}
