package bind

import (
	"database/sql/driver"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"time"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/expr"
)

// This file converts the arguments of placeholders into constants: the
// scalar types database/sql passes, and lists, which stand for the whole
// list of IN (?) or for the value of a multi-valued field.

// ConvertArg converts the argument of ref into a value of its natural
// kind: a scalar, or a list (kList) held as []string when every element is
// Text and as []any of scalars otherwise.
func (b *Binder) ConvertArg(ref *expr.ParamRef) (any, catalog.Kind, error) {
	v := b.arg(ref)
	if _, ok := v.(string); ok {
		return v, catalog.KText, nil // as given: no new interface value to allocate
	}
	if l, ok := v.([]string); ok {
		return append([]string(nil), l...), catalog.KList, nil
	}
	if list, ok, err := listArg(v); ok {
		if err != nil {
			return nil, 0, b.ArgErr(ref, "%s", err)
		}
		return list, catalog.KList, nil
	}
	out, k, err := scalarArg(v)
	if err != nil {
		return nil, 0, b.ArgErr(ref, "%s", err)
	}
	if t, ok := out.(time.Time); ok {
		// Dates and date-times are shown and computed on in the
		// Location, as the values read are. A TIME takes the wall clock
		// as given instead: see clockArg.
		out = t.In(b.Options.Location)
	}
	return out, k, nil
}

// ClockArg returns what a TIME gets from constant c: when c is a
// time.Time argument, the argument as the caller gave it, whose wall
// clock is the time of day (a time of day has no zone, and converting
// year 0 to a named zone shifts it by local mean time: +09:18:59 in
// Asia/Tokyo); v otherwise.
func (b *Binder) ClockArg(ref *expr.ParamRef, v any) any {
	if ref != nil && b.Bound {
		if t, ok := b.arg(ref).(time.Time); ok {
			return t
		}
	}
	return v
}

// scalarArg converts one scalar argument (or list element): the types
// Database/sql passes, plus the other integer and float types, named
// types of them and driver.Valuer, through database/sql's default
// conversion.
func scalarArg(v any) (any, catalog.Kind, error) {
	switch x := v.(type) {
	case nil:
		return nil, catalog.KAny, nil
	case string:
		return x, catalog.KText, nil
	case []byte:
		return string(x), catalog.KText, nil
	case int64:
		return x, catalog.KInt, nil
	case int:
		return int64(x), catalog.KInt, nil
	case int32:
		return int64(x), catalog.KInt, nil
	case uint32:
		return int64(x), catalog.KInt, nil
	case uint64:
		if x > math.MaxInt64 {
			return field.Decimal(strconv.FormatUint(x, 10)), catalog.KNumber, nil
		}
		return int64(x), catalog.KInt, nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, 0, fmt.Errorf("%v is not a number Kintone can store", x)
		}
		return field.Decimal(strconv.FormatFloat(x, 'f', -1, 64)), catalog.KNumber, nil
	case float32:
		f := float64(x)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, 0, fmt.Errorf("%v is not a number Kintone can store", x)
		}
		return field.Decimal(strconv.FormatFloat(f, 'f', -1, 32)), catalog.KNumber, nil
	case bool:
		return x, catalog.KBool, nil
	case time.Time:
		// As given: a TIME takes the wall clock in the value's own zone,
		// and coerce puts dates and date-times in the Location.
		return x, catalog.KDateTime, nil
	case field.Decimal:
		canon, ok := field.NormalizeNumber(string(x))
		if !ok {
			return nil, 0, fmt.Errorf("%q is not a number", string(x))
		}
		return field.Decimal(canon), catalog.KNumber, nil
	}
	// int8, uint16, named types (type Status string), pointers and
	// driver.Valuer: what database/sql would make of them. A value the
	// conversion leaves of the same type is one scalarArg has no case for.
	cv, err := driver.DefaultParameterConverter.ConvertValue(v)
	switch {
	case err != nil:
	case cv == nil:
		return nil, catalog.KAny, nil // a nil pointer, a NULL sql.Null*
	case reflect.TypeOf(cv) != reflect.TypeOf(v):
		return scalarArg(cv)
	}
	return nil, 0, fmt.Errorf("type %T is not supported (use string, an integer, a float, bool, time.Time, []byte, or a slice of those for IN (?) and multi-valued fields)", v)
}

// listArg converts a slice argument (any slice but []byte, and not a
// driver.Valuer, which gives its own value) into a list: []string when
// every element is text, []any of converted scalars otherwise. ok is
// false for anything that is not such a slice. An element that is a list
// itself, or of a type scalarArg refuses, is an error naming its index.
func listArg(v any) (list any, ok bool, err error) {
	if v == nil {
		return nil, false, nil
	}
	if _, isValuer := v.(driver.Valuer); isValuer {
		return nil, false, nil
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice || rv.Type().Elem().Kind() == reflect.Uint8 {
		return nil, false, nil
	}
	n := rv.Len()
	vals := make([]any, n)
	allText := true
	for i := range n {
		e := rv.Index(i).Interface()
		if _, nested, _ := listArg(e); nested {
			return nil, true, fmt.Errorf("element %d of the %T is a list (%T); a list holds scalar values", i, v, e)
		}
		x, k, err := scalarArg(e)
		if err != nil {
			return nil, true, fmt.Errorf("element %d of the %T: %w", i, v, err)
		}
		vals[i] = x
		allText = allText && k == catalog.KText
	}
	if allText {
		strs := make([]string, n)
		for i, x := range vals {
			strs[i] = x.(string)
		}
		return strs, true, nil
	}
	return vals, true, nil
}

// listElems returns the elements of a list constant ([]string or []any)
// and whether v is one.
func listElems(v any) ([]any, bool) {
	switch l := v.(type) {
	case []string:
		out := make([]any, len(l))
		for i, s := range l {
			out[i] = s
		}
		return out, true
	case []any:
		return l, true
	}
	return nil, false
}

// valueKind is the kind of a converted scalar.
func valueKind(v any) catalog.Kind {
	switch v.(type) {
	case string:
		return catalog.KText
	case int64:
		return catalog.KInt
	case field.Decimal:
		return catalog.KNumber
	case bool:
		return catalog.KBool
	case time.Time:
		return catalog.KDateTime
	}
	return catalog.KAny
}
