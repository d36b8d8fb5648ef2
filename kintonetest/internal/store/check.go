package store

import (
	"strconv"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/kintonetest/internal/apierr"
)

// check validates a built record (B.5): "required" over the whole merged
// record, since a PUT validates the record as it will be (a field made
// required later blocks updates that leave it empty); the length, range
// and format rules over the values this write sets (every value on add,
// the sent fields on update).
func (w *recordWriter) check(vals map[string]any, sent sentCodes) {
	for _, fc := range w.checks() {
		p := fc.p
		pl := w.top(fc.code)
		written := w.old == nil || sent.has(fc.code)
		if p.Type == field.Subtable {
			rows, _ := vals[fc.code].([]Row)
			for i, r := range rows {
				for _, ic := range fc.inner {
					w.checkField(ic.p, r.Values[ic.code], inner(pl, i, ic.code), written)
				}
			}
			continue
		}
		w.checkField(p, vals[fc.code], pl, written)
	}
}

// fieldCheck is a field check validates: one "required" applies to, or a
// SUBTABLE with the inner fields it applies to, in code order.
type fieldCheck struct {
	code  string
	p     *field.Property
	inner []fieldCheck
}

// checks returns the fields check validates, in form order: worked out
// once per call rather than for each of its records.
func (c *callCtx) checks() []fieldCheck {
	if c.checkList != nil {
		return c.checkList
	}
	c.checkList = []fieldCheck{}
	for _, code := range c.form.Order {
		p := c.form.Fields[code]
		switch {
		case p.Type == field.Subtable:
			fc := fieldCheck{code: code, p: p}
			for _, ic := range sortedKeys(p.Fields) {
				if ip := p.Fields[ic]; requiredApplies(ip.Type) {
					fc.inner = append(fc.inner, fieldCheck{code: ic, p: ip})
				}
			}
			c.checkList = append(c.checkList, fc)
		case requiredApplies(p.Type):
			c.checkList = append(c.checkList, fieldCheck{code: code, p: p})
		}
	}
	return c.checkList
}

// checkField applies "required" and, for a written value, the field's
// settings.
func (w *recordWriter) checkField(p *field.Property, v any, pl place, written bool) {
	if p.Required && isEmptyValue(v) {
		w.fail(pl, requiredSuffix(p.Type), apierr.MsgRequired)
	}
	if written {
		w.checkSettings(p, v, pl)
	}
}

// checkSettings applies minLength, maxLength, the 64-character limit of a
// unique text, the LINK format, and minValue and maxValue. Lengths count
// UTF-16 code units; minLength also refuses the empty value (B.5).
func (w *recordWriter) checkSettings(p *field.Property, v any, pl place) {
	s, _ := v.(string)
	switch p.Type {
	case field.SingleLineText, field.Link:
		n := field.UTF16Len(s)
		if max, ok := setting(p.MaxLength); ok && n > max {
			w.fail(pl, ".value", apierr.MaxLength(max))
		}
		if min, ok := setting(p.MinLength); ok && n < min {
			w.fail(pl, ".value", apierr.MinLength(min))
		}
		if p.Unique && p.Type == field.SingleLineText && n > field.MaxUniqueTextLen {
			w.fail(pl, ".value", apierr.MaxLength(field.MaxUniqueTextLen))
		}
		if p.Type == field.Link && s != "" && !field.ValidLink(p.Protocol, s) {
			w.fail(pl, ".value", apierr.MsgInvalidLink)
		}
	case field.Number:
		if s == "" {
			return
		}
		if p.MinValue != "" && field.CompareDecimal(s, p.MinValue) < 0 {
			w.fail(pl, ".value", apierr.MinValue(p.MinValue))
		}
		if p.MaxValue != "" && field.CompareDecimal(s, p.MaxValue) > 0 {
			w.fail(pl, ".value", apierr.MaxValue(p.MaxValue))
		}
	}
}

// setting reads a length setting ("" when unset).
func setting(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// requiredApplies reports the types "required" applies to: the writable
// value types, not SUBTABLE, CALC, the built-in fields or layout (B.5).
func requiredApplies(t field.Type) bool {
	return t.Info().Write == field.Writable && t != field.Subtable
}

// requiredSuffix is where a missing value is reported (B.5): ".value" for
// scalars, ".values" for CHECK_BOX, MULTI_SELECT and FILE, ".values.value"
// for the selection fields.
func requiredSuffix(t field.Type) string {
	switch t.Info().Shape {
	case field.Strings, field.Files:
		return ".values"
	case field.Entities:
		return ".values.value"
	}
	return ".value"
}

// isEmptyValue reports the empty value of any shape.
func isEmptyValue(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case []string:
		return len(x) == 0
	case []Entity:
		return len(x) == 0
	case []FileRef:
		return len(x) == 0
	case []Row:
		return len(x) == 0
	case Entity:
		return x.Code == ""
	}
	return false
}

// claimUnique checks the record's unique values against every other record
// (committed, or written earlier in the transaction) and claims them. An
// update releases the values it replaces; a record never conflicts with
// itself (B.5).
func (w *recordWriter) claimUnique(vals map[string]any, sent sentCodes) {
	for _, code := range w.uniques {
		if w.old != nil && !sent.has(code) {
			continue
		}
		v, _ := vals[code].(string)
		var was string
		if w.old != nil {
			was, _ = w.old.Values[code].(string)
			if v == was {
				continue
			}
		}
		if v != "" {
			if owner := w.ta.uniqueOwner(code, v); owner != 0 && owner != w.id {
				w.fail(w.top(code), ".value", apierr.MsgUnique)
			} else {
				w.tx.setUnique(w.ta, code, v, w.id)
			}
		}
		if was != "" && w.ta.uniqueOwner(code, was) == w.id {
			w.tx.setUnique(w.ta, code, was, 0)
		}
	}
}
