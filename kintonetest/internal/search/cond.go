package search

import (
	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/internal/kql"
	"github.com/kintone-sql/kintone/kintonetest/internal/apierr"
)

// cond checks one condition against the form and compiles it. It returns
// nil, nil for a condition that is dropped (see expandFuncs).
//
// The checks run in the order A.9 proposes: the field exists (GAIA_IQ11,
// and GAIA_IR02 / GAIA_ST02 from resolve), the values are options
// (GAIA_IQ10, observed to come before GAIA_IQ03), the operator suits the
// type (GAIA_IQ03) and the table (GAIA_IQ07), the functions suit the type
// and have valid arguments (GAIA_IL08, GAIA_IQ25, GAIA_IQ23), and last the
// literals can be read as the type's values (CB_VA01).
func (c *compiler) cond(e *kql.Cond) (*condPlan, error) {
	if !arity(e) {
		// Parse never builds such a condition; a tree built by hand may.
		return nil, apierr.QuerySyntax()
	}
	f, err := c.res.resolve(e.Field)
	if err != nil {
		return nil, err
	}
	if err := checkOptions(f, e.Values); err != nil {
		return nil, err
	}
	if !allows(f, e.Op) {
		return nil, apierr.QueryOperator(f.code, string(e.Op))
	}
	if f.table != "" && (e.Op == field.Eq || e.Op == field.Ne) {
		return nil, apierr.QuerySubtableEq(f.code, string(e.Op))
	}
	vals, keep, err := c.expandFuncs(f, e.Values)
	if err != nil || !keep {
		return nil, err
	}
	pred, err := c.pred(f, e.Op, vals)
	if err != nil {
		return nil, err
	}
	return &condPlan{table: f.table, pred: pred, negative: isNegative(e.Op), cheap: kindOf(f) == kindID}, nil
}

// arity reports whether a condition has as many values as its operator
// takes: none for is empty, one or more for in, exactly one otherwise.
func arity(e *kql.Cond) bool {
	switch e.Op {
	case field.IsEmpty, field.IsNotEmpty:
		return len(e.Values) == 0
	case field.In, field.NotIn:
		return len(e.Values) > 0
	}
	return len(e.Values) == 1
}

// allows reports whether the field's type takes op, before the SUBTABLE
// rule for = and != (GAIA_IQ07) is applied.
//
// Inside a SUBTABLE, in and not in stand in for = and != (A.4: "use in /
// not in there" [D]); the official example is
// `ResponseDate in ("2022-09-29T05:00:00Z")` on a DATETIME, a type whose
// own operators (A.5) have no in. So a type that takes = takes in and not
// in inside a table.
func allows(f fieldRef, op field.Op) bool {
	if f.typ.Allows(op, false) {
		return true
	}
	return f.table != "" && (op == field.In || op == field.NotIn) && f.typ.Allows(field.Eq, false)
}

// checkOptions gives GAIA_IQ10 for a value of a CHECK_BOX, MULTI_SELECT,
// RADIO_BUTTON or DROP_DOWN field that is not one of its options (A.6.5),
// whatever the operator: `radio = "nonexistent"` is IQ10, not IQ03. A
// DROP_DOWN accepts "" (its unselected state). Functions are left to the
// function checks, which refuse them for these types.
func checkOptions(f fieldRef, vals []kql.Value) error {
	if !hasOptions(f.typ) {
		return nil
	}
	for _, v := range vals {
		if v.Kind == kql.Func || v.Text == "" && f.typ == field.DropDown {
			continue
		}
		if _, ok := f.prop.Options[v.Text]; !ok {
			return apierr.QueryOption(f.code, v.Text)
		}
	}
	return nil
}

// noEntity stands for LOGINUSER() when the Env names no user. No entity
// code contains a NUL character, so it matches nothing.
const noEntity = "\x00"

// expandFuncs checks the functions among a condition's values and replaces
// those that name an entity by its code: LOGINUSER() by the caller's user
// code, PRIMARY_ORGANIZATION() by the caller's primary organization. The
// date functions stay as they are, for the literal compilers.
//
// A function the field's type does not take (NOW() on a DATE, TODAY() on a
// NUMBER, LOGINUSER() on a text field) gives GAIA_IL08 「クエリの指定が不正で
// す。」: the documents list which functions each type takes (A.5) but not
// the error for others [U], and IL08 is Kintone's code for a function used
// wrongly.
//
// PRIMARY_ORGANIZATION() for a caller with no primary organization is
// dropped: Kintone then ignores the condition and applies the others
// (A.6.5 [D]). If it was the condition's only value, keep is false and the
// whole condition is dropped; in a list with other values only the
// function is dropped, so that the values the query names still count [U].
func (c *compiler) expandFuncs(f fieldRef, vals []kql.Value) (out []kql.Value, keep bool, err error) {
	entity := false
	for _, v := range vals {
		if v.Kind != kql.Func {
			continue
		}
		if !f.typ.AllowsFunc(v.Text) {
			return nil, false, apierr.QueryFuncArgs()
		}
		if err := checkFuncArgs(v); err != nil {
			return nil, false, err
		}
		entity = entity || v.Text == "LOGINUSER" || v.Text == "PRIMARY_ORGANIZATION"
	}
	if !entity {
		return vals, true, nil
	}
	out = make([]kql.Value, 0, len(vals))
	for _, v := range vals {
		if v.Kind == kql.Func {
			switch v.Text {
			case "LOGINUSER":
				code := c.env.LoginUser
				if code == "" {
					// No caller code: match no one, rather than the
					// empty selections "" would match.
					code = noEntity
				}
				v = kql.Value{Kind: kql.String, Text: code, At: v.At}
			case "PRIMARY_ORGANIZATION":
				if c.env.PrimaryOrganization == "" {
					continue
				}
				v = kql.Value{Kind: kql.String, Text: c.env.PrimaryOrganization, At: v.At}
			}
		}
		out = append(out, v)
	}
	return out, len(out) > 0, nil
}
