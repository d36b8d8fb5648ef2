package scan

import "fmt"

// OrderCheck checks the pages of a cursor read (Cursor): Kintone
// fixes which records a cursor returns, and their order, when it creates
// it, but reads their values page by page, so a record whose sort key
// changes meanwhile comes out of order. Check fails then with
// ErrRecordsChanged, before the page is handed on.
type OrderCheck struct {
	r    *Spec
	prev Record
}

// OrderCheck starts checking a cursor read's pages.
func (r *Spec) OrderCheck() *OrderCheck { return &OrderCheck{r: r} }

// Check checks the next page. Out of order between an empty sort key and
// a value, the records rather say that Kintone puts empty values elsewhere
// than SQL does (ErrOrderMismatch, as for a page of records.json), unless
// the key changed to or from empty meanwhile.
func (c *OrderCheck) Check(recs []Record) error {
	for _, rec := range recs {
		if c.prev != nil && c.r.CompareOrder(c.prev, rec) >= 0 {
			if c.r.emptyFirstDiffers(c.prev, rec) {
				return fmt.Errorf("%w: %s after %s (Kintone sorts empty values elsewhere than SQL, or a sort key changed to or from empty while the cursor was being read)",
					ErrOrderMismatch, c.r.describeOrder(rec), c.r.describeOrder(c.prev))
			}
			return fmt.Errorf("%w: the cursor returned %s after %s: a sort key changed after the cursor was created (Kintone fixes a cursor's records and their order then, and reads their values page by page)",
				ErrRecordsChanged, c.r.describeOrder(rec), c.r.describeOrder(c.prev))
		}
		c.prev = rec
	}
	return nil
}

// emptyFirstDiffers reports whether the first sort key in which a and b
// differ is empty in exactly one of them.
func (r *Spec) emptyFirstDiffers(a, b Record) bool {
	for _, k := range r.Query.OrderBy {
		x, y := a[k.Field], b[k.Field]
		if (x == nil) != (y == nil) {
			return true
		}
		if c, err := r.Compare(x, y); err != nil || c != 0 {
			return false
		}
	}
	return false
}

// CompareOrder compares two records by the read's sort keys in SQL's order
// (NULL first ascending, last descending), each key by Spec.Compare.
// Values decoded from one field always compare; anything else counts as
// equal.
func (r *Spec) CompareOrder(a, b Record) int {
	for _, k := range r.Query.OrderBy {
		c, err := r.Compare(a[k.Field], b[k.Field])
		if err != nil {
			return 0
		}
		if k.Desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

// describeOrder prints a record's sort keys for an error message.
func (r *Spec) describeOrder(rec Record) string {
	keys := make([]any, len(r.Query.OrderBy))
	for i, k := range r.Query.OrderBy {
		keys[i] = rec[k.Field]
	}
	return r.Describe(keys)
}
