package search

import (
	"fmt"
	"strings"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/internal/kql"
	"github.com/kintone-sql/kintone/kintonetest/internal/store"
)

// pred compiles a checked condition into a test of one set of values. The
// operator is one the field's type allows (cond checked it), and the
// values hold no entity function any more (expandFuncs).
func (c *compiler) pred(f fieldRef, op field.Op, vals []kql.Value) (rowPred, error) {
	code := f.code
	k := kindOf(f)
	switch op {
	case field.Like, field.NotLike:
		return likePred(k, code, op == field.Like, vals[0].Text), nil
	case field.IsEmpty, field.IsNotEmpty:
		want := op == field.IsEmpty
		return func(_ *store.Record, vals map[string]any) bool {
			return isEmptyValue(k, vals, code) == want
		}, nil
	}
	switch k {
	case kindText, kindOption:
		return textPred(code, op, vals), nil
	case kindOptions:
		return stringsPred(code, op, vals), nil
	case kindEntity, kindEntities:
		return entityPred(k, code, op, vals), nil
	case kindNumber:
		return orderedPred(op, vals, numberBound, ordering[string, string]{
			get: func(_ *store.Record, vals map[string]any) (string, bool) {
				s := scalarOf(vals, code)
				return s, s != ""
			},
			cmp:      field.CompareDecimal,
			emptyLow: true,
		})
	case kindRecordNumber:
		return orderedPred(op, vals, recordNumberBound, ordering[string, string]{
			get: func(_ *store.Record, vals map[string]any) (string, bool) {
				s := scalarOf(vals, code)
				return numericPart(s), s != ""
			},
			cmp:      field.CompareDecimal,
			emptyLow: true,
		})
	case kindID:
		return orderedPred(op, vals, idBound, ordering[int64, idLit]{
			get:      func(r *store.Record, _ map[string]any) (int64, bool) { return r.ID, true },
			cmp:      idCmp,
			emptyLow: true,
		})
	case kindDate:
		return orderedPred(op, vals, c.dateBound, textOrdering(code))
	case kindDateTime:
		return orderedPred(op, vals, c.dateTimeBound, textOrdering(code))
	case kindTime:
		return orderedPred(op, vals, timeBound, textOrdering(code))
	case kindDuration:
		return orderedPred(op, vals, durationBound, ordering[int64, int64]{
			get: func(_ *store.Record, vals map[string]any) (int64, bool) {
				return parseDuration(scalarOf(vals, code))
			},
			cmp: cmpInt64,
		})
	}
	// Unreachable: every type that allows an operator has a kind above.
	return nil, fmt.Errorf("search: no evaluator for %s %s", f.typ, op)
}

// orderedPred compiles the operands with lit and builds the ordered
// comparison.
func orderedPred[V, L any](op field.Op, vals []kql.Value, lit func(kql.Value) (bound[L], error), o ordering[V, L]) (rowPred, error) {
	bs := make([]bound[L], len(vals))
	for i, v := range vals {
		b, err := lit(v)
		if err != nil {
			return nil, err
		}
		bs[i] = b
	}
	return o.pred(op, bs), nil
}

// textOrdering compares the fixed-width stored forms of DATE
// ("YYYY-MM-DD"), TIME ("HH:MM") and DATETIME ("YYYY-MM-DDTHH:MM:00Z",
// always UTC) as text, which is their chronological order. An empty value
// satisfies no range comparison (see ordering.emptyLow).
func textOrdering(code string) ordering[string, string] {
	return ordering[string, string]{
		get: func(_ *store.Record, vals map[string]any) (string, bool) {
			s := scalarOf(vals, code)
			return s, s != ""
		},
		cmp: strings.Compare,
	}
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// textPred is = != in not in on a whole string: SINGLE_LINE_TEXT, LINK,
// STATUS (A.6.1) and the option key of RADIO_BUTTON and DROP_DOWN (A.6.5).
// The comparison is exact: no trimming, no case or width folding, no
// Unicode normalization. "" is the empty value, so `f = ""` finds blanks
// and DROP_DOWN `in ("")` finds the unselected records.
func textPred(code string, op field.Op, vals []kql.Value) rowPred {
	if len(vals) == 1 {
		want := vals[0].Text
		eq := op == field.Eq || op == field.In
		return func(_ *store.Record, vals map[string]any) bool {
			return (scalarOf(vals, code) == want) == eq
		}
	}
	set := textSet(vals)
	in := op == field.In // the list forms are in and not in only
	return func(_ *store.Record, vals map[string]any) bool {
		_, listed := set[scalarOf(vals, code)]
		return listed == in
	}
}

// textSet is the listed texts as a set: a long in list (a join's keys, a
// subquery's values) costs one lookup per record, not one comparison
// per value.
func textSet(vals []kql.Value) map[string]struct{} {
	set := make(map[string]struct{}, len(vals))
	for _, w := range texts(vals) {
		set[w] = struct{}{}
	}
	return set
}

// stringsPred is in / not in on CHECK_BOX and MULTI_SELECT: in matches when
// at least one selected option is listed, not in when none is (A.6.5). A
// record with nothing selected matches not in, the reading A.6.5 assumes
// [U].
func stringsPred(code string, op field.Op, vals []kql.Value) rowPred {
	set := textSet(vals)
	in := op == field.In
	return func(_ *store.Record, vals map[string]any) bool {
		for _, s := range stringsOf(vals, code) {
			if _, ok := set[s]; ok {
				return in
			}
		}
		return !in
	}
}

// entityPred is in / not in on the entity code of CREATOR and MODIFIER
// (one entity) and of USER_SELECT, ORGANIZATION_SELECT, GROUP_SELECT and
// STATUS_ASSIGNEE (a list, matched like CHECK_BOX, A.6.5). Unknown codes
// simply match nothing: whether Kintone rejects them is untested [U].
//
// A listed "" matches an empty selection, as it does for DROP_DOWN; A.6.5
// says nothing of "" for these types [U].
func entityPred(k kind, code string, op field.Op, vals []kql.Value) rowPred {
	set := texts(vals)
	in := op == field.In
	wantEmpty := false
	for _, w := range set {
		wantEmpty = wantEmpty || w == ""
	}
	listed := func(s string) bool {
		for _, w := range set {
			if s == w {
				return true
			}
		}
		return false
	}
	if k == kindEntity {
		return func(_ *store.Record, vals map[string]any) bool {
			return listed(entityOf(vals, code).Code) == in
		}
	}
	return func(_ *store.Record, vals map[string]any) bool {
		es := entitiesOf(vals, code)
		if len(es) == 0 {
			return wantEmpty == in
		}
		for i := range es {
			if es[i].Code != "" && listed(es[i].Code) {
				return in
			}
		}
		return !in
	}
}

// texts returns the values' texts.
func texts(vals []kql.Value) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = v.Text
	}
	return out
}

// likePred is like / not like (A.6.2): a keyword search over the text of
// SINGLE_LINE_TEXT, LINK and MULTI_LINE_TEXT, the text of a RICH_TEXT's
// HTML, and the names of a FILE field's attachments. Kintone also searches
// the contents of attached files; the records the emulator searches carry
// no contents, so only the names are searched (a documented gap). not like
// is the exact complement of like, so an empty value matches not like [U].
func likePred(k kind, code string, like bool, keywordText string) rowPred {
	kw := compileKeyword(keywordText)
	switch k {
	case kindRichText:
		return func(_ *store.Record, vals map[string]any) bool {
			m := kw.matcher()
			return m.feedHTML(scalarOf(vals, code)) == like
		}
	case kindFile:
		return func(_ *store.Record, vals map[string]any) bool {
			m := kw.matcher()
			found := m.left == 0
			for i, files := 0, filesOf(vals, code); i < len(files) && !found; i++ {
				found = m.feed(files[i].Name)
			}
			return found == like
		}
	}
	return func(_ *store.Record, vals map[string]any) bool {
		return kw.match(scalarOf(vals, code)) == like
	}
}
