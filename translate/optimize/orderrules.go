package optimize

import (
	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/internal/kql"
	"github.com/kintone-sql/kintone/translate/catalog"
)

// This file holds the rules of ORDER BY pushdown: which keys Kintone
// sorts as SQL does, and the tie-break that fixes the order of equal keys.

// sortsLikeSQL reports whether Kintone sorts column c the way SQL does:
// the documented sortable types whose order is SQL's order on the values
// the driver returns (A.8): $id, created and updated times, text and links
// (UTF-8 byte order, empty first ascending), numbers, dates, times and
// date-times. Option fields (option order), users (internal user ID) and
// STATUS are sorted in Go. Where Kintone puts empty values is documented
// for text only; for the other types the plan checks the order as the rows
// arrive (ErrOrderMismatch) rather than trusting it. A child table can
// only push $id.
func SortsLikeSQL(c *catalog.Column, child bool) bool {
	if child || c.Inner {
		return c.Code == catalog.ColID
	}
	if !kql.ValidFieldRef(c.Code) || !c.Type.Sortable() {
		return false
	}
	switch c.Type {
	case field.ID, field.CreatedTime, field.UpdatedTime, field.SingleLineText, field.Link,
		field.Number, field.Date, field.Time, field.DateTime:
		return true
	case field.Calc:
		return c.Kind == catalog.KNumber
	}
	return false
}

// withIDTieBreak appends $id asc to sort keys that do not end with $id, so
// that the order of equal keys is fixed (Kintone documents no tie order).
func WithIDTieBreak(keys []kql.OrderKey) []kql.OrderKey {
	if len(keys) > 0 && keys[len(keys)-1].Field == catalog.ColID {
		return keys
	}
	return append(append([]kql.OrderKey(nil), keys...), kql.OrderKey{Field: catalog.ColID, Explicit: true})
}
