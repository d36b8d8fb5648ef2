package search

import (
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kintone-sql/kintone/internal/kql"
	"github.com/kintone-sql/kintone/kintonetest/internal/store"
)

// Cache keeps the matches of the latest queries in an order other than by
// $id, so that the pages of one read ("... order by num desc, $id asc
// limit 500 offset 0", then offset 499, 998, ...) do not each test every
// record and sort the matches again: the first page of a read costs what
// an uncached page costs, the second sorts all the matches once, and every
// page after that is a slice of the sorted list, O(page).
//
// An entry is for one app at one version of its records and form (see
// store.Store.RecordsVersion: any write to the app makes a new version,
// so the next page of a read sees it), one condition and order (the
// parsed query without limit and offset), and the parts of the caller's
// Env the condition depends on. It holds record references only. The
// cache keeps at most cacheEntries entries, dropping the least recently
// used, and drops an app's entries when an entry for a newer version of
// the app comes in. A Cache is safe for concurrent use; its zero value
// is ready.
type Cache struct {
	mu sync.Mutex
	// entries are the entries, the most recently used first.
	entries []*cacheEntry
}

// cacheEntries bounds a Cache. The pages of a read come one after the
// other; a few entries serve a few reads at once.
const cacheEntries = 8

// cacheKey identifies what an entry's list depends on. It is comparable:
// two keys are equal exactly when the two queries select the same records
// in the same order.
type cacheKey struct {
	app     int64
	version uint64
	// query is the condition and the order by, encoded by queryKey.
	query string
	// login and org are the caller's, for LOGINUSER() and
	// PRIMARY_ORGANIZATION(); loc is the caller's time zone, which date
	// literals are read in. The entry holds loc, so that its address is
	// not reused while the entry is there.
	login, org string
	loc        *time.Location
	// clock is, when the condition calls a function, the request's clock
	// as the functions read it: NOW()'s minute and TODAY()'s day (see
	// compiler.now); "" otherwise.
	clock string
}

type cacheEntry struct {
	key cacheKey
	// mu guards matched and sorted. Before the list is sorted, matched
	// holds the matches in ID order and sorted is nil; once sorted,
	// sorted holds them in the query's order and matched is nil. Neither
	// slice is modified once set.
	mu      sync.Mutex
	matched []*store.Record
	sorted  []*store.Record
}

// FindCached is FindSorted (records in strictly ascending ID order, as
// store.Store.RecordsVersion returns them for the app at version) with the
// cache c: the same answers, for less work over the pages of one read. An
// order by $id from offset 0 or with only $id cuts (O(page) already), and
// an order by CREATOR or MODIFIER
// (whose sort keys come from Env.UserOrder, which the cache cannot tell
// changed) do not use it; nor does a nil c.
func (p *Plan) FindCached(c *Cache, app int64, version uint64, records []*store.Record, wantTotal bool) (page []*store.Record, total int64) {
	if c == nil || !p.cacheable {
		return p.FindSorted(records, wantTotal)
	}
	key := p.key
	key.app, key.version = app, version
	if p.byID {
		// Every match in $id order: the records the $id cuts admit,
		// tested once for every page of the read. A driver asks for
		// those pages at once: the first request computes the list
		// under the entry's lock, the others wait for it there.
		e := &cacheEntry{key: key}
		e.mu.Lock()
		if old := c.getOrPut(e); old != nil {
			e.mu.Unlock()
			list := old.list(p)
			return p.pageOf(list, len(list), wantTotal)
		}
		e.sorted = p.orderByID(p.matches(p.idRange(records)))
		e.mu.Unlock()
		return p.pageOf(e.sorted, len(e.sorted), wantTotal)
	}
	if e := c.get(key); e != nil {
		list := e.list(p)
		return p.pageOf(list, len(list), wantTotal)
	}
	matched := p.matches(records)
	e := &cacheEntry{key: key}
	var top []*store.Record
	if k := p.offset + p.limit; k < len(matched)/2 {
		// A page near the start of many matches, as the first of a read
		// is: select it as Find does, and keep the matches to sort in
		// full should a next page come.
		top = p.sortTop(append([]*store.Record(nil), matched...), k)
		e.matched = matched
	} else {
		top = p.sortTop(matched, len(matched))
		e.sorted = top
	}
	c.put(e)
	return p.pageOf(top, len(matched), wantTotal)
}

// pageOf returns the page the plan's offset and limit select from top,
// the first records of the query's order (all of them, or at least offset
// + limit), and when wanted the total, which is n.
func (p *Plan) pageOf(top []*store.Record, n int, wantTotal bool) ([]*store.Record, int64) {
	lo := min(p.offset, len(top))
	hi := min(lo+p.limit, len(top))
	page := append(make([]*store.Record, 0, hi-lo), top[lo:hi]...)
	if !wantTotal {
		return page, -1
	}
	return page, int64(n)
}

// list returns the entry's matches in the query's order, sorting them the
// first time. p is a plan of the entry's query.
func (e *cacheEntry) list(p *Plan) []*store.Record {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.sorted == nil {
		// matched is shared with no one who writes it, but sortTop sorts
		// in place: sort a copy.
		e.sorted = p.sortTop(append([]*store.Record(nil), e.matched...), len(e.matched))
		e.matched = nil
	}
	return e.sorted
}

// get returns the entry for key, now the most recently used, or nil.
func (c *Cache) get(key cacheKey) *cacheEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, e := range c.entries {
		if e.key == key {
			copy(c.entries[1:i+1], c.entries[:i])
			c.entries[0] = e
			return e
		}
	}
	return nil
}

// getOrPut returns the entry for e's key, now the most recently used, or
// when there is none puts e (see put) and returns nil.
func (c *Cache) getOrPut(e *cacheEntry) *cacheEntry {
	c.mu.Lock()
	for i, o := range c.entries {
		if o.key == e.key {
			copy(c.entries[1:i+1], c.entries[:i])
			c.entries[0] = o
			c.mu.Unlock()
			return o
		}
	}
	c.putLocked(e)
	c.mu.Unlock()
	return nil
}

// put adds e as the most recently used entry, in place of an entry for the
// same key, dropping the entries of older versions of e's app and, beyond
// cacheEntries, the least recently used.
func (c *Cache) put(e *cacheEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.putLocked(e)
}

// putLocked is put with c.mu held.
func (c *Cache) putLocked(e *cacheEntry) {
	kept := make([]*cacheEntry, 0, cacheEntries)
	kept = append(kept, e)
	for _, o := range c.entries {
		if o.key == e.key || o.key.app == e.key.app && o.key.version < e.key.version {
			continue
		}
		if len(kept) < cacheEntries {
			kept = append(kept, o)
		}
	}
	c.entries = kept
}

// queryKey encodes a query's condition and order by, everything of them
// but the positions of their tokens, which do not change an answer: two
// queries have the same key exactly when their trees are the same. Each
// string is written with its length, so that no two trees meet. ok is
// false for a tree with a node queryKey does not know.
func queryKey(q *kql.Query) (key string, ok bool) {
	var b strings.Builder
	if !writeExprKey(&b, q.Where) {
		return "", false
	}
	b.WriteString("|order")
	for _, k := range q.OrderBy {
		writeKeyString(&b, k.Field)
		b.WriteString(strconv.FormatBool(k.Desc))
		b.WriteString(strconv.FormatBool(k.Explicit))
	}
	return b.String(), true
}

func writeExprKey(b *strings.Builder, e kql.Expr) bool {
	switch e := e.(type) {
	case nil:
		b.WriteString("N")
	case *kql.Paren:
		b.WriteString("P(")
		if !writeExprKey(b, e.X) {
			return false
		}
		b.WriteString(")")
	case *kql.And:
		return writeTermsKey(b, "A", e.Terms)
	case *kql.Or:
		return writeTermsKey(b, "O", e.Terms)
	case *kql.Cond:
		b.WriteString("C")
		writeKeyString(b, e.Field)
		writeKeyString(b, string(e.Op))
		b.WriteString("[")
		for _, v := range e.Values {
			b.WriteString(strconv.Itoa(int(v.Kind)))
			writeKeyString(b, v.Text)
			b.WriteString(strconv.Itoa(len(v.Args)))
			for _, a := range v.Args {
				writeKeyString(b, a)
			}
		}
		b.WriteString("]")
	default:
		return false
	}
	return true
}

func writeTermsKey(b *strings.Builder, tag string, terms []kql.Expr) bool {
	b.WriteString(tag)
	b.WriteString(strconv.Itoa(len(terms)))
	b.WriteString("(")
	for _, t := range terms {
		if !writeExprKey(b, t) {
			return false
		}
	}
	b.WriteString(")")
	return true
}

func writeKeyString(b *strings.Builder, s string) {
	b.WriteString(strconv.Itoa(len(s)))
	b.WriteString(":")
	b.WriteString(s)
}

// usesFuncs reports whether a condition calls a function.
func usesFuncs(e kql.Expr) bool {
	switch e := e.(type) {
	case *kql.Paren:
		return usesFuncs(e.X)
	case *kql.And:
		for _, t := range e.Terms {
			if usesFuncs(t) {
				return true
			}
		}
	case *kql.Or:
		for _, t := range e.Terms {
			if usesFuncs(t) {
				return true
			}
		}
	case *kql.Cond:
		for _, v := range e.Values {
			if v.Kind == kql.Func {
				return true
			}
		}
	}
	return false
}
