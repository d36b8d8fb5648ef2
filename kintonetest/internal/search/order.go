package search

import (
	"math"
	"strconv"
	"strings"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/internal/kql"
	"github.com/kintone-sql/kintone/kintonetest/internal/apierr"
	"github.com/kintone-sql/kintone/kintonetest/internal/store"
)

// sortKey is one record's value for one sort key, extracted once per
// record before sorting. Which of n and s are used depends on the kind.
type sortKey struct {
	n     int64
	s     string
	empty bool
	// fixed is set by decimalKey when s is a decimal n holds exactly
	// (fixedDecimal).
	fixed bool
}

// sortSpec is one compiled "order by" key.
type sortSpec struct {
	desc bool
	key  func(r *store.Record) sortKey
	// cmp orders two non-empty keys ascending.
	cmp func(a, b *sortKey) int
}

// compare orders two keys in the spec's direction. The empty value is
// lower than any other: A.8 observes empty SINGLE_LINE_TEXT and DROP_DOWN
// values first in ascending order, and presumes empties come first in
// ascending and last in descending order for the other types [U], which is
// this rule too.
func (s *sortSpec) compare(a, b *sortKey) int {
	var c int
	switch {
	case a.empty && b.empty:
		c = 0
	case a.empty:
		c = -1
	case b.empty:
		c = 1
	default:
		c = s.cmp(a, b)
	}
	if s.desc {
		return -c
	}
	return c
}

// orderBy checks the "order by" keys and sets the plan's order.
//
// A field that does not sort gives GAIA_IS02 naming its label (A.8); so
// does a field inside a SUBTABLE and $revision. An unknown field gives
// GAIA_IQ11, as in a condition. Without "order by" the order is $id
// descending (A.8 [D]). The parser has already made a key without asc or
// desc descending, as Kintone is reported to do (A.8 [T][U]).
//
// Ties are broken by $id in the direction of the last key, one of the two
// choices A.8 suggests [U]: `order by n asc` lists equal numbers oldest
// record first, like the same query with ", $id asc" added, which is what
// the driver appends anyway.
func (c *compiler) orderBy(p *Plan, keys []kql.OrderKey) error {
	p.byID, p.idDesc = true, true
	if len(keys) == 0 {
		return nil
	}
	var specs []sortSpec
	byID := false
	for i, k := range keys {
		f, err := c.res.resolve(k.Field)
		if err != nil {
			return err
		}
		if f.table != "" || !f.typ.Sortable() {
			return apierr.QueryUnsortable(f.label())
		}
		if f.typ == field.ID && i == 0 {
			byID = true
		}
		specs = append(specs, c.sortSpec(f, k.Desc))
	}
	last := keys[len(keys)-1].Desc
	if byID {
		// IDs are unique: the first key decides every comparison.
		p.idDesc = keys[0].Desc
		return nil
	}
	p.byID = false
	p.order = append(specs, c.sortSpec(fieldRef{code: idCode, typ: field.ID}, last))
	return nil
}

// sortSpec builds the key extraction and comparison for a sortable field.
// Collation (A.8): text in UTF-8 byte order (code-point order, no case,
// width or normalization folding); numbers as decimals; dates and times
// chronologically (their stored forms are fixed-width, so text order is
// chronological); RECORD_NUMBER by its number; CREATOR and MODIFIER by the
// hidden user ID Env.UserOrder gives (by code when it is nil); RADIO_BUTTON
// and DROP_DOWN in option order [U], with keys that are no longer options
// after every option, by key. STATUS sorts by state name in byte order: the
// form does not carry the process's state order [U].
func (c *compiler) sortSpec(f fieldRef, desc bool) sortSpec {
	code := f.code
	s := sortSpec{desc: desc, cmp: cmpText}
	switch k := kindOf(f); k {
	case kindID:
		s.key = func(r *store.Record) sortKey { return sortKey{n: r.ID} }
		s.cmp = cmpN
	case kindNumber:
		s.key = decimalKey(code, nil)
		s.cmp = cmpDecimal
	case kindRecordNumber:
		s.key = decimalKey(code, numericPart)
		s.cmp = cmpDecimal
	case kindDuration:
		s.key = func(r *store.Record) sortKey {
			n, ok := parseDuration(scalarOf(r.Values, code))
			return sortKey{n: n, empty: !ok}
		}
		s.cmp = cmpN
	case kindOption:
		index := optionIndex(f.prop)
		s.key = func(r *store.Record) sortKey {
			v := scalarOf(r.Values, code)
			n, ok := index[v]
			if !ok {
				n = math.MaxInt64
			}
			return sortKey{n: n, s: v, empty: v == ""}
		}
		s.cmp = cmpNThenText
	case kindEntity:
		c.userOrdered = true
		order := c.env.UserOrder
		s.key = func(r *store.Record) sortKey {
			e := entityOf(r.Values, code)
			k := sortKey{s: e.Code, empty: e.Code == ""}
			if order != nil && !k.empty {
				k.n = order(e.Code)
			}
			return k
		}
		s.cmp = cmpNThenText
	default: // text, STATUS, DATE, TIME, DATETIME and CALCs in those formats
		s.key = textKey(code, nil)
	}
	return s
}

// textKey extracts a scalar value, optionally transformed.
func textKey(code string, conv func(string) string) func(r *store.Record) sortKey {
	return func(r *store.Record) sortKey {
		v := scalarOf(r.Values, code)
		if conv != nil && v != "" {
			v = conv(v)
		}
		return sortKey{s: v, empty: v == ""}
	}
}

// optionIndex maps each option key to its display index. An index that is
// not a number sorts as 0.
func optionIndex(p *field.Property) map[string]int64 {
	if p == nil {
		return nil
	}
	m := make(map[string]int64, len(p.Options))
	for k, o := range p.Options {
		n, _ := strconv.ParseInt(o.Index, 10, 64)
		m[k] = n
	}
	return m
}

// decimalKey is textKey for a decimal, which it also reads into n when
// fixedDecimal can, so that comparing two such keys compares two integers
// instead of parsing both texts again at every comparison of a sort.
func decimalKey(code string, conv func(string) string) func(r *store.Record) sortKey {
	text := textKey(code, conv)
	return func(r *store.Record) sortKey {
		k := text(r)
		k.n, k.fixed = fixedDecimal(k.s)
		return k
	}
}

// fixedDecimal reads a decimal of at most 9 integer and 9 fraction digits
// (leading integer zeros and trailing fraction zeros not counted), with an
// optional sign, as its value times 10^9: for two such texts,
// field.CompareDecimal orders them as their values, which is how these
// integers order. ok is false for any other text, which cmpDecimal then
// leaves to field.CompareDecimal.
func fixedDecimal(s string) (n int64, ok bool) {
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	intPart, frac, dot := strings.Cut(s, ".")
	if intPart == "" || dot && frac == "" {
		return 0, false
	}
	intPart = strings.TrimLeft(intPart, "0")
	frac = strings.TrimRight(frac, "0")
	if len(intPart) > 9 || len(frac) > 9 {
		return 0, false
	}
	for i := 0; i < len(intPart); i++ {
		c := intPart[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	for i := range 9 {
		n *= 10
		if i < len(frac) {
			c := frac[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			n += int64(c - '0')
		}
	}
	if neg {
		n = -n
	}
	return n, true
}

func cmpText(a, b *sortKey) int { return strings.Compare(a.s, b.s) }

func cmpDecimal(a, b *sortKey) int {
	if a.fixed && b.fixed {
		return cmpInt64(a.n, b.n)
	}
	return field.CompareDecimal(a.s, b.s)
}
func cmpN(a, b *sortKey) int { return cmpInt64(a.n, b.n) }

func cmpNThenText(a, b *sortKey) int {
	if c := cmpInt64(a.n, b.n); c != 0 {
		return c
	}
	return strings.Compare(a.s, b.s)
}
