package scan

import "slices"

// idSet is a set of record $ids, one bit each in words of 64 consecutive
// $ids: the records an offset read handed on. Records are numbered from 1
// up as they are added, so the $ids a read meets are mostly dense and the
// set takes about one bit per $id between the lowest and the highest, not
// a map entry per record (an ordered read of 300,000 records keeps some
// 40 KB, where a map of them took megabytes).
type idSet struct {
	words map[int64]uint64
	n     int
}

func newIDSet() *idSet { return &idSet{words: map[int64]uint64{}} }

// add puts id in the set.
func (s *idSet) add(id int64) {
	w, bit := id>>6, uint64(1)<<(id&63)
	if s.words[w]&bit == 0 {
		s.words[w] |= bit
		s.n++
	}
}

// has reports whether id is in the set.
func (s *idSet) has(id int64) bool { return s.words[id>>6]&(uint64(1)<<(id&63)) != 0 }

// sorted returns the set's $ids in increasing order.
func (s *idSet) sorted() []int64 {
	keys := make([]int64, 0, len(s.words))
	for w := range s.words {
		keys = append(keys, w)
	}
	slices.Sort(keys)
	out := make([]int64, 0, s.n)
	for _, w := range keys {
		bits := s.words[w]
		for b := int64(0); b < 64; b++ {
			if bits&(1<<b) != 0 {
				out = append(out, w<<6|b)
			}
		}
	}
	return out
}

// idOf is a record's $id, false when it has none an int64.
func idOf(rec Record) (int64, bool) {
	id, ok := rec[colID].(int64)
	return id, ok
}
