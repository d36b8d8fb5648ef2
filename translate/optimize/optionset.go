package optimize

import (
	"slices"
	"time"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/internal/kql"
	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/expr"
)

// optionSet is what a read in option order (optionorder.go) must cover
// of an option field's values, given the condition Kintone evaluates.
type optionSet struct {
	// base is the condition without its terms on the field that every
	// read of one value implies (nil: none).
	base kql.Expr
	// options are the options a matching record may hold, in SQL's
	// ascending order of their texts.
	options []string
	// all is every option of the field, in the same order.
	all []string
	// nulls reports that a matching record may have no value; others,
	// that it may hold a value no option has (one removed from the form
	// since the record was saved).
	nulls, others bool
}

// optionsOf reads the terms on field f at the top of the condition where
// (an AND, or a single term), as the Pusher writes them: in (...), which
// only listed values pass (options, and "" for an unselected DROP_DOWN),
// or an OR of such (f = 'a' OR f IS NULL); and not in (...), which a
// listed option fails, and an unselected DROP_DOWN when "" is listed
// (documented). Each such in, and each not in listing "", is left out of
// base: the reads of one value each repeat it in their own condition. Any
// other term stays in base, which each read ANDs with its own condition:
// still exact, only not used to skip reads.
func optionsOf(f *catalog.Column, where kql.Expr, loc *time.Location) optionSet {
	s := optionSet{nulls: true, others: true}
	for o := range f.Prop.Options {
		s.all = append(s.all, o)
	}
	slices.SortFunc(s.all, func(a, b string) int { return textOrder(a, b, loc) })
	allowed := map[string]bool{}
	for _, o := range s.all {
		allowed[o] = true
	}
	terms := []kql.Expr{where}
	if a, ok := where.(*kql.And); ok {
		terms = a.Terms
	}
	var kept []kql.Expr
	for _, t := range terms {
		if t == nil {
			continue
		}
		if listed, empty, ok := inValues(t, f.Code, field.In); ok {
			for o := range allowed {
				if !listed[o] {
					delete(allowed, o)
				}
			}
			s.others = false
			s.nulls = s.nulls && empty
			continue
		}
		listed, empty, ok := inValues(t, f.Code, field.NotIn)
		if ok {
			for o := range listed {
				delete(allowed, o)
			}
			s.nulls = s.nulls && !empty
		}
		if !ok || !empty {
			kept = append(kept, t)
		}
	}
	s.base = kql.AndOf(kept...)
	for _, o := range s.all {
		if allowed[o] {
			s.options = append(s.options, o)
		}
	}
	return s
}

// inValues reads a term op (in or not in) on field code: the texts it
// lists other than "", and whether it lists "". An in may also be an OR
// of ins, which lists every value they list. ok is false for any other
// term.
func inValues(t kql.Expr, code string, op field.Op) (listed map[string]bool, empty, ok bool) {
	switch x := t.(type) {
	case *kql.Paren:
		return inValues(x.X, code, op)
	case *kql.Or:
		if op != field.In {
			return nil, false, false
		}
		listed = map[string]bool{}
		for _, term := range x.Terms {
			l, e, ok := inValues(term, code, op)
			if !ok {
				return nil, false, false
			}
			for v := range l {
				listed[v] = true
			}
			empty = empty || e
		}
		return listed, empty, true
	case *kql.Cond:
		if x.Field != code || x.Op != op {
			return nil, false, false
		}
		listed = map[string]bool{}
		for _, v := range x.Values {
			if v.Kind != kql.String {
				return nil, false, false
			}
			if v.Text == "" {
				empty = true
			} else {
				listed[v.Text] = true
			}
		}
		return listed, empty, true
	}
	return nil, false, false
}

// textOrder orders two option texts as ORDER BY does in Go
// (expr.CompareValues: byte by byte).
func textOrder(a, b string, loc *time.Location) int {
	c, err := expr.CompareValues(a, b, loc)
	if err != nil {
		return 0 // two texts always compare
	}
	return c
}
