package scan

// SeekEnd says where a read by $id ends: a Seek read, each $id range
// of one read in parallel, a Sorted read. Each of its pages asks for
// "(cond) and $id > last order by $id", so the totalCount Kintone returns
// with a page counts the records that remain, that page's among them, in
// the state the page was read from. The read ends at a page shorter than
// its limit, or at a page that holds its own total; never on a total that
// an earlier page returned: a record edited into the condition at a $id the
// read has yet to reach would count in the records read against that total,
// and the read would stop one page short of records that matched
// throughout, silently.
//
// Counting costs Kintone work for every totalCount asked (Cybozu's
// performance notes: totalCount=true slows Get Records, the more so the
// more records match), so only some pages ask for it: the first, and any
// page that the last total known says may be the last (AskTotal). A read of
// n full pages costs n requests, as with a total asked on every page, but
// is counted about twice, not n times; when records come into the
// condition meanwhile, the page that would have been the last shows it
// with its own total, and the read goes on.
//
// The zero SeekEnd is not ready: start with NewSeekEnd.
type SeekEnd struct {
	// left is how many records the last total known said follow the
	// pages read since; -1 before any total.
	left int64
}

// NewSeekEnd starts the end of a read by $id.
func NewSeekEnd() SeekEnd { return SeekEnd{left: -1} }

// AskTotal reports whether the next page, of limit records, should ask for
// its total: the first page does, and a page that may be the last.
func (e *SeekEnd) AskTotal(limit int) bool {
	return e.left < 0 || e.left <= int64(limit)
}

// Last takes a page of n records for a limit of limit, with its own total
// (-1 when it did not ask for one), and reports whether it ends the read.
func (e *SeekEnd) Last(n, limit int, total int64) bool {
	switch {
	case n < limit || limit <= 0:
		return true
	case total >= 0:
		if int64(n) >= total {
			return true
		}
		e.left = total - int64(n)
	case e.left >= 0:
		e.left = max(e.left-int64(n), 0)
	}
	return false
}
