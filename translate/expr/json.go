package expr

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/translate/catalog"
)

// This file holds the JSON functions: JSON_LENGTH, JSON_CONTAINS,
// JSON_EXTRACT (and the -> and ->> operators), JSON_UNQUOTE and
// JSON_ARRAY. A multi-valued field is the JSON the driver returns for it
// (a checkbox ["a","b"], a user selection [{"code":..,"name":..}]), text
// is read as JSON, and a JSON result is json.RawMessage, which the driver
// returns as its text, compact as the fields' JSON is.

// lookupJSONFunc returns the functions of this file, or nil.
func lookupJSONFunc(name string) *ScalarFunc {
	switch name {
	case "json_length":
		return &ScalarFunc{Name: name, MinArgs: 1, MaxArgs: 2, result: fixed(catalog.KInt), eval: nullIfAnyNull(func(_ *Env, args []any) (any, error) {
			if len(args) == 1 {
				return jsonLength(args[0])
			}
			doc, err := jsonDoc(name, args[0])
			if err != nil {
				return nil, err
			}
			found, err := jsonPathValues(name, doc, TextOf(args[1]))
			if err != nil || len(found) == 0 {
				return nil, err
			}
			switch x := found[0].(type) {
			case []any:
				return int64(len(x)), nil
			case map[string]any:
				return int64(len(x)), nil
			}
			return int64(1), nil
		})}
	case "json_contains":
		return &ScalarFunc{Name: name, MinArgs: 2, MaxArgs: 3, result: fixed(catalog.KInt), eval: nullIfAnyNull(func(_ *Env, args []any) (any, error) {
			target, err := jsonDoc(name, args[0])
			if err != nil {
				return nil, err
			}
			cand, err := jsonDoc(name, args[1])
			if err != nil {
				return nil, err
			}
			if len(args) == 3 {
				p, err := parseJSONPath(name, TextOf(args[2]))
				if err != nil {
					return nil, err
				}
				if p.wild {
					return nil, fmt.Errorf("kintone: %s(): the path %s may not hold * or **", name, QuoteValue(args[2]))
				}
				found := p.eval(target)
				if len(found) == 0 {
					return nil, nil
				}
				target = found[0]
			}
			if jsonContains(target, cand) {
				return int64(1), nil
			}
			return int64(0), nil
		})}
	case "json_extract":
		return &ScalarFunc{Name: name, MinArgs: 2, MaxArgs: -1, result: fixed(catalog.KJSON), eval: nullIfAnyNull(func(_ *Env, args []any) (any, error) {
			return jsonExtract(name, args[0], args[1:])
		})}
	case "json_unquote":
		return &ScalarFunc{Name: name, MinArgs: 1, MaxArgs: 1, result: fixed(catalog.KText), eval: nullIfAnyNull(func(_ *Env, args []any) (any, error) {
			return jsonUnquote(name, args[0])
		})}
	case "json_array":
		return &ScalarFunc{Name: name, MinArgs: 0, MaxArgs: -1, result: fixed(catalog.KJSON), eval: func(_ *Env, args []any) (any, error) {
			arr := make([]any, len(args))
			for i, a := range args {
				v, err := jsonValueOf(name, a)
				if err != nil {
					return nil, err
				}
				arr[i] = v
			}
			return jsonRaw(arr)
		}}
	}
	return nil
}

// JSONArrowFunc is x -> path (JSON_EXTRACT(x, path)) or, unquote set, x
// ->> path (JSON_UNQUOTE(JSON_EXTRACT(x, path))).
func JSONArrowFunc(unquote bool) *ScalarFunc {
	op, k := "->", catalog.KJSON
	if unquote {
		op, k = "->>", catalog.KText
	}
	return &ScalarFunc{Name: op, MinArgs: 2, MaxArgs: 2, tag: "json " + op, result: fixed(k),
		eval: nullIfAnyNull(func(_ *Env, args []any) (any, error) {
			v, err := jsonExtract(op, args[0], args[1:])
			if err != nil || v == nil || !unquote {
				return v, err
			}
			return jsonUnquote(op, v)
		}),
		write: func(b *strings.Builder, args []Expr) {
			writeExpr(b, args[0])
			b.WriteString(op)
			writeExpr(b, args[1])
		}}
}

// jsonLength is MySQL's JSON_LENGTH: the number of elements of a list (a
// multi-valued field: 0 when nothing is checked, selected or attached, or
// a subtable has no rows), of members of an object, or 1 for a scalar. A
// text argument is read as JSON.
func jsonLength(v any) (any, error) {
	switch x := v.(type) {
	case []string:
		return int64(len(x)), nil
	case []field.EntityRef:
		return int64(len(x)), nil
	case []field.FileRef:
		return int64(len(x)), nil
	case []field.Row:
		return int64(len(x)), nil
	case field.EntityRef:
		return int64(2), nil // {"code", "name"}
	case string, json.RawMessage:
		j, err := jsonDoc("json_length", x)
		if err != nil {
			return nil, err
		}
		switch y := j.(type) {
		case []any:
			return int64(len(y)), nil
		case map[string]any:
			return int64(len(y)), nil
		}
		return int64(1), nil
	}
	return int64(1), nil // a number, a date: a JSON scalar
}

// jsonDoc reads a JSON document argument: text (or a JSON result) as
// JSON, a multi-valued field or a user as the JSON the driver returns for
// it. Numbers and dates are not JSON documents (MySQL's error 3146).
func jsonDoc(fn string, v any) (any, error) {
	var text []byte
	switch x := v.(type) {
	case string:
		text = []byte(x)
	case json.RawMessage:
		text = x
	case []string, []field.EntityRef, []field.FileRef, []field.Row, field.EntityRef:
		b, err := field.DriverValue(x)
		if err != nil {
			return nil, err
		}
		text = b.([]byte)
	default:
		return nil, fmt.Errorf("kintone: %s(): %s is not a JSON document (a list field, a JSON value or JSON text)", fn, QuoteValue(v))
	}
	d := json.NewDecoder(bytes.NewReader(text))
	d.UseNumber()
	var out any
	if err := d.Decode(&out); err != nil || d.More() {
		return nil, fmt.Errorf("kintone: %s(): %s is not JSON", fn, QuoteValue(v))
	}
	return out, nil
}

// jsonValueOf is an SQL value as a JSON value (JSON_ARRAY's elements):
// text is a JSON string, numbers numbers, a condition true or false, a
// date or time its text, a list field or a JSON value itself.
func jsonValueOf(fn string, v any) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string:
		return x, nil
	case bool:
		return x, nil
	case int64:
		return json.Number(strconv.FormatInt(x, 10)), nil
	case field.Decimal:
		return json.Number(string(x)), nil
	case time.Time:
		return TextOf(x), nil
	}
	return jsonDoc(fn, v)
}

// jsonRaw prints a JSON value compactly, without HTML escapes, as the
// driver prints the fields' JSON.
func jsonRaw(v any) (json.RawMessage, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return json.RawMessage(bytes.TrimSuffix(b.Bytes(), []byte("\n"))), nil
}

// jsonExtract is JSON_EXTRACT(doc, path, ...): the value at the path, or
// with several paths or a wildcard, a list of every value found; NULL
// when nothing is found.
func jsonExtract(fn string, docArg any, paths []any) (any, error) {
	doc, err := jsonDoc(fn, docArg)
	if err != nil {
		return nil, err
	}
	var found []any
	wrap := len(paths) > 1
	for _, pa := range paths {
		p, err := parseJSONPath(fn, TextOf(pa))
		if err != nil {
			return nil, err
		}
		wrap = wrap || p.wild
		found = append(found, p.eval(doc)...)
	}
	switch {
	case len(found) == 0:
		return nil, nil
	case !wrap:
		return jsonRaw(found[0])
	}
	return jsonRaw(found)
}

// jsonPathValues evaluates one path.
func jsonPathValues(fn string, doc any, path string) ([]any, error) {
	p, err := parseJSONPath(fn, path)
	if err != nil {
		return nil, err
	}
	return p.eval(doc), nil
}

// jsonUnquote is JSON_UNQUOTE: a JSON string's content; any other JSON
// value, or text that is not a JSON string, as it is.
func jsonUnquote(fn string, v any) (any, error) {
	var text string
	switch x := v.(type) {
	case json.RawMessage:
		text = string(x)
	default:
		text = TextOf(v)
	}
	if len(text) >= 1 && text[0] == '"' {
		var s string
		if err := json.Unmarshal([]byte(text), &s); err != nil {
			return nil, fmt.Errorf("kintone: %s(): %s is not a JSON string", fn, QuoteValue(text))
		}
		return s, nil
	}
	return text, nil
}

// jsonContains is MySQL's containment: a scalar contains an equal scalar,
// an array contains a non-array contained in one of its elements and an
// array whose every element it contains, an object contains an object
// whose every key it has, with a value contained in its own.
func jsonContains(target, cand any) bool {
	switch t := target.(type) {
	case []any:
		if c, ok := cand.([]any); ok {
			for _, e := range c {
				if !jsonContains(t, e) {
					return false
				}
			}
			return true
		}
		for _, e := range t {
			if jsonContains(e, cand) {
				return true
			}
		}
		return false
	case map[string]any:
		c, ok := cand.(map[string]any)
		if !ok {
			return false
		}
		for k, cv := range c {
			tv, ok := t[k]
			if !ok || !jsonContains(tv, cv) {
				return false
			}
		}
		return true
	}
	return jsonScalarEqual(target, cand)
}

// jsonScalarEqual compares two JSON scalars: numbers by value.
func jsonScalarEqual(a, b any) bool {
	an, aok := a.(json.Number)
	bn, bok := b.(json.Number)
	if aok && bok {
		return field.CompareDecimal(canonNumber(an), canonNumber(bn)) == 0
	}
	if aok || bok {
		return false
	}
	switch a.(type) {
	case []any, map[string]any:
		return false
	}
	return a == b
}

func canonNumber(n json.Number) string {
	if c, ok := field.NormalizeNumber(string(n)); ok {
		return c
	}
	return string(n)
}

// jsonScalarSQL is the SQL value of a JSON scalar (a string, a number, a
// boolean), so that JSON_EXTRACT(x, '$[0]') = 'a' compares as MySQL
// compares a JSON string with text; ok is false for null, arrays and
// objects.
func jsonScalarSQL(raw json.RawMessage) (any, bool) {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if d.Decode(&v) != nil {
		return nil, false
	}
	switch x := v.(type) {
	case string:
		return x, true
	case bool:
		return x, true
	case json.Number:
		return field.Decimal(canonNumber(x)), true
	}
	return nil, false
}

// jsonPath is a parsed JSON path: $ followed by steps.
type jsonPath struct {
	steps []jsonStep
	wild  bool // a * or ** step: the result is a list
}

// jsonStep is one step: a member (key, or any with "*"), an element
// (index from the start, or from the end with fromEnd; any with all), or
// ** (every value below).
type jsonStep struct {
	member    bool
	key       string
	index     int
	fromEnd   bool
	all, deep bool
}

// parseJSONPath reads MySQL's path syntax: $, .key, ."key", .*, [n],
// [last], [last - n], [*] and **.
func parseJSONPath(fn, s string) (*jsonPath, error) {
	bad := func() (*jsonPath, error) {
		return nil, fmt.Errorf("kintone: %s(): %s is not a JSON path", fn, QuoteValue(s))
	}
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "$") {
		return bad()
	}
	p := &jsonPath{}
	i := 1
	for i < len(s) {
		switch {
		case s[i] == ' ':
			i++
		case strings.HasPrefix(s[i:], "**"):
			p.steps = append(p.steps, jsonStep{deep: true})
			p.wild = true
			i += 2
		case s[i] == '.':
			i++
			switch {
			case i < len(s) && s[i] == '*':
				p.steps = append(p.steps, jsonStep{member: true, all: true})
				p.wild = true
				i++
			case i < len(s) && s[i] == '"':
				j := i + 1
				for j < len(s) && s[j] != '"' {
					if s[j] == '\\' {
						j++
					}
					j++
				}
				if j >= len(s) {
					return bad()
				}
				var key string
				if json.Unmarshal([]byte(s[i:j+1]), &key) != nil {
					return bad()
				}
				p.steps = append(p.steps, jsonStep{member: true, key: key})
				i = j + 1
			default:
				j := i
				for j < len(s) && s[j] != '.' && s[j] != '[' && s[j] != ' ' && s[j] != '*' {
					j++
				}
				if j == i {
					return bad()
				}
				p.steps = append(p.steps, jsonStep{member: true, key: s[i:j]})
				i = j
			}
		case s[i] == '[':
			j := strings.IndexByte(s[i:], ']')
			if j < 0 {
				return bad()
			}
			in := strings.TrimSpace(s[i+1 : i+j])
			i += j + 1
			st := jsonStep{}
			switch {
			case in == "*":
				st.all, p.wild = true, true
			case strings.HasPrefix(in, "last"):
				st.fromEnd = true
				rest := strings.TrimSpace(in[len("last"):])
				if rest != "" {
					if rest[0] != '-' {
						return bad()
					}
					n, err := strconv.Atoi(strings.TrimSpace(rest[1:]))
					if err != nil || n < 0 {
						return bad()
					}
					st.index = n
				}
			default:
				n, err := strconv.Atoi(in)
				if err != nil || n < 0 {
					return bad()
				}
				st.index = n
			}
			p.steps = append(p.steps, st)
		default:
			return bad()
		}
	}
	if len(p.steps) > 0 && p.steps[len(p.steps)-1].deep {
		return bad() // MySQL: a path may not end with **
	}
	return p, nil
}

// eval returns the values the path finds in doc, in document order.
func (p *jsonPath) eval(doc any) []any {
	cur := []any{doc}
	for _, st := range p.steps {
		var next []any
		for _, v := range cur {
			next = append(next, st.apply(v)...)
		}
		cur = next
	}
	return cur
}

// apply is one step from v.
func (st jsonStep) apply(v any) []any {
	switch {
	case st.deep:
		var out []any
		var walk func(x any)
		walk = func(x any) {
			out = append(out, x)
			switch y := x.(type) {
			case []any:
				for _, e := range y {
					walk(e)
				}
			case map[string]any:
				for _, k := range sortedKeys(y) {
					walk(y[k])
				}
			}
		}
		walk(v)
		return out
	case st.member:
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		if st.all {
			var out []any
			for _, k := range sortedKeys(m) {
				out = append(out, m[k])
			}
			return out
		}
		if x, ok := m[st.key]; ok {
			return []any{x}
		}
		return nil
	}
	arr, ok := v.([]any)
	if !ok {
		// MySQL: a scalar or object is the only element of an array
		// around it, so $[0] of it is itself.
		if !st.all && (st.index == 0) {
			return []any{v}
		}
		return nil
	}
	if st.all {
		return arr
	}
	i := st.index
	if st.fromEnd {
		i = len(arr) - 1 - st.index
	}
	if i < 0 || i >= len(arr) {
		return nil
	}
	return []any{arr[i]}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	// MySQL orders an object's keys by length, then byte by byte.
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keyLess(keys[j], keys[j-1]); j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

func keyLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}
