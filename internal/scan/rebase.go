package scan

import (
	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/internal/kql"
)

// An offset read counts its offsets from the first matching record, and
// Kintone takes none above 10,000 (MaxOffset). When the anchor (the last
// record handed on, which the next page must begin with) is further on
// than that, the read goes on among the records that sort at or after the
// anchor: "(cond) and (k > K or (k = K and $id >= I))" (k < K descending),
// with offsets counted from there, the anchor first. Paging checks that
// page as any other (the anchor must begin it, unchanged), and its change
// check covers the whole read, so the read stays as exact as below the
// limit, and needs no cursor however many records it reads.
//
// That condition must hold for every record that sorts after the anchor.
// Kintone documents neither whether an empty value passes a > or <
// comparison nor where empty values sort for most types (QUERY-AND-FIELDS
// A.6.3, A.8 [U]); a record with an empty sort key could then be left out
// silently. So a read goes past the limit this way only when its one sort
// key (before the $id that breaks ties) is never empty: the creation time
// and the update time, which Kintone sets on every record (kept to the
// minute, so the literal is exact). "order by 更新日時 desc", the order of
// most Kintone lists, is the common case; a creation-time order pages by
// keyset already unless useCursor=always. A read by any other key past 10,000 records goes
// through a cursor, as before.

// CanRebase reports whether an offset read may go past Kintone's offset
// limit by counting from its anchor (rebase.go): it sorts by the creation
// or the update time, then $id ascending.
func (r *Spec) CanRebase() bool {
	if r.Strategy != Offset || r.Query == nil || len(r.Query.OrderBy) != 2 {
		return false
	}
	k, tie := r.Query.OrderBy[0], r.Query.OrderBy[1]
	if tie.Field != colID || tie.Desc || k.Field == colID {
		return false
	}
	prop := r.Props[k.Field]
	if prop == nil {
		return false
	}
	return prop.Type == field.CreatedTime || prop.Type == field.UpdatedTime
}

// atOrAfter returns the condition that holds for the records that sort at
// or after anchor: "k > K or (k = K and $id >= I)", with < for a
// descending k. false when the read cannot rebase or the anchor's values
// cannot be written.
func (r *Spec) atOrAfter(anchor Record) (kql.Expr, bool) {
	if !r.CanRebase() || anchor == nil {
		return nil, false
	}
	k := r.Query.OrderBy[0]
	v, ok := keysetValue(anchor[k.Field])
	id, okID := idOf(anchor)
	if !ok || !okID {
		return nil, false
	}
	op := field.Gt
	if k.Desc {
		op = field.Lt
	}
	return &kql.Or{Terms: []kql.Expr{
		&kql.Cond{Field: k.Field, Op: op, Values: []kql.Value{v}},
		&kql.And{Terms: []kql.Expr{
			&kql.Cond{Field: k.Field, Op: field.Eq, Values: []kql.Value{v}},
			idCond(field.Ge, id),
		}},
	}}, true
}
