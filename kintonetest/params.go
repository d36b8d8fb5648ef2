package kintonetest

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/kintone-sql/kintone/kintonetest/internal/apierr"
)

// Request parameters arrive in three ways (REST-API.md §3): in the query
// string of GET and DELETE, with arrays as name[0]=a and objects as a[b]=c;
// as a JSON body (GET and DELETE with a body, and every POST and PUT); and
// after POST with X-HTTP-Method-Override, as a JSON body of the overridden
// method. readParams turns all of them into one JSON document that the
// endpoint decodes into its own request type, whose fields use the loose
// scalar types below ("12" and 12 are both an app ID).

// maxBodyBytes bounds a JSON request body. Kintone documents no limit
// (REST-API.md §10.14); 64 MiB is far above any legal request (2,000 records
// of a bulkRequest) and keeps a runaway client from exhausting memory.
const maxBodyBytes = 64 << 20

// readParams returns the request's parameters as a JSON object.
func readParams(r *http.Request) ([]byte, *apierr.Error) {
	var body []byte
	if r.Body != nil && r.ContentLength != 0 && !isMultipart(r) {
		b, err := readAll(io.LimitReader(r.Body, maxBodyBytes+1), r.ContentLength)
		if err != nil {
			return nil, apierr.InvalidJSON()
		}
		if len(b) > maxBodyBytes {
			return nil, apierr.Invalid("body", apierr.Text{En: "The request body is too large.", Ja: "リクエストボディが大きすぎます。"})
		}
		body = bytes.TrimSpace(b)
	}
	if len(body) > 0 {
		if !json.Valid(body) || body[0] != '{' {
			return nil, apierr.InvalidJSON()
		}
		if r.URL.RawQuery == "" {
			return body, nil
		}
	}
	tree, err := parseQueryTree(r.URL.RawQuery)
	if err != nil {
		return nil, err
	}
	if len(body) > 0 {
		// Both forms at once: the JSON body wins key by key (a choice; the
		// documents do not say).
		var fromBody map[string]json.RawMessage
		if json.Unmarshal(body, &fromBody) != nil {
			return nil, apierr.InvalidJSON()
		}
		for k, v := range fromBody {
			tree[k] = v
		}
	}
	out, merr := json.Marshal(tree)
	if merr != nil {
		return nil, apierr.InvalidJSON()
	}
	return out, nil
}

// readAll is io.ReadAll into a buffer sized for the n bytes the request
// announces (when it announces a size within maxBodyBytes), so that a
// large body is not copied at every doubling of the buffer.
func readAll(r io.Reader, n int64) ([]byte, error) {
	if n <= 0 || n > maxBodyBytes {
		return io.ReadAll(r)
	}
	b := make([]byte, 0, n+1) // +1: the read that finds the end
	for {
		m, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+m]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // more than announced: let append grow it
		}
	}
}

func isMultipart(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return strings.HasPrefix(mt, "multipart/")
}

// parseQueryTree decodes a query string with bracket notation into nested
// maps and slices: fields[0]=a&fields[1]=b -> {"fields":["a","b"]},
// updateKey[field]=f -> {"updateKey":{"field":"f"}}.
func parseQueryTree(raw string) (map[string]any, *apierr.Error) {
	values, err := url.ParseQuery(raw)
	if err != nil {
		return nil, apierr.Invalid("query string", apierr.Text{En: "The query string is not valid URL encoding.", Ja: "クエリ文字列が正しくエンコードされていません。"})
	}
	root := map[string]any{}
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		path, ok := splitBracketKey(k)
		if !ok {
			return nil, apierr.Invalid(k, apierr.MsgInvalidJSONVal)
		}
		vs := values[k]
		insertPath(root, path, vs[len(vs)-1])
	}
	for k, c := range root {
		root[k] = arraysFromIndexMaps(c)
	}
	return root, nil
}

// splitBracketKey splits "a[b][0]" into ["a", "b", "0"].
func splitBracketKey(k string) ([]string, bool) {
	i := strings.IndexByte(k, '[')
	if i < 0 {
		return []string{k}, k != ""
	}
	path := []string{k[:i]}
	rest := k[i:]
	for rest != "" {
		if rest[0] != '[' {
			return nil, false
		}
		j := strings.IndexByte(rest, ']')
		if j < 0 {
			return nil, false
		}
		path = append(path, rest[1:j])
		rest = rest[j+1:]
	}
	return path, path[0] != ""
}

func insertPath(node map[string]any, path []string, v string) {
	for i, p := range path {
		if i == len(path)-1 {
			node[p] = v
			return
		}
		next, ok := node[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			node[p] = next
		}
		node = next
	}
}

// arraysFromIndexMaps turns every map whose keys are exactly 0..n-1 into a
// slice.
func arraysFromIndexMaps(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	for k, c := range m {
		m[k] = arraysFromIndexMaps(c)
	}
	if len(m) == 0 {
		return m
	}
	arr := make([]any, len(m))
	for k, c := range m {
		i, err := strconv.Atoi(k)
		if err != nil || i < 0 || i >= len(m) || strconv.Itoa(i) != k {
			return m
		}
		arr[i] = c
	}
	return arr
}

// Int is an integer parameter that Kintone accepts as a JSON number or a
// numeric string. Set is false when the key was absent or null; Bad is true
// when it was present but not an integer.
type Int struct {
	V   int64
	Set bool
	Bad bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (n *Int) UnmarshalJSON(b []byte) error {
	*n = Int{}
	s := string(b)
	if s == "null" {
		return nil
	}
	n.Set = true
	if len(s) >= 2 && s[0] == '"' {
		var str string
		if json.Unmarshal(b, &str) != nil {
			n.Bad = true
			return nil
		}
		s = strings.TrimSpace(str)
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		n.Bad = true
		return nil
	}
	n.V = v
	return nil
}

// Bool is a boolean parameter given as true/false or "true"/"false".
type Bool struct {
	V   bool
	Set bool
	Bad bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (b *Bool) UnmarshalJSON(data []byte) error {
	*b = Bool{}
	switch string(data) {
	case "null":
	case "true", `"true"`:
		b.V, b.Set = true, true
	case "false", `"false"`:
		b.Set = true
	default:
		b.Set, b.Bad = true, true
	}
	return nil
}

// Str is a string parameter that may also arrive as a number.
type Str struct {
	V   string
	Set bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (s *Str) UnmarshalJSON(data []byte) error {
	*s = Str{}
	if string(data) == "null" {
		return nil
	}
	s.Set = true
	if len(data) > 0 && data[0] == '"' {
		return json.Unmarshal(data, &s.V)
	}
	s.V = string(data)
	return nil
}

// decodeParams decodes the JSON parameters into dst, reporting a type
// mismatch as CB_VA01 on the offending key.
//
// params must be valid JSON, as readParams makes them: the parameters of
// the record writes are read without reflection when they have the usual
// form (plainParams), with encoding/json otherwise.
func decodeParams(params []byte, dst any) *apierr.Error {
	if plainParams(params, dst) {
		return nil
	}
	if err := json.Unmarshal(params, dst); err != nil {
		if te, ok := err.(*json.UnmarshalTypeError); ok && te.Field != "" {
			return apierr.Invalid(te.Field, apierr.MsgInvalidJSONVal)
		}
		return apierr.InvalidJSON()
	}
	return nil
}

// requireID checks an ID parameter: present, an integer, at least 1.
func requireID(e *apierr.Error, key string, n Int) {
	switch {
	case !n.Set:
		e.Add(key, apierr.MsgRequiredParam)
	case n.Bad:
		e.Add(key, apierr.MsgInteger)
	case n.V < 1:
		e.Add(key, apierr.MsgMin1)
	}
}

// orNil returns e when it holds messages, otherwise nil.
func orNil(e *apierr.Error) *apierr.Error {
	if len(e.Errors) == 0 {
		return nil
	}
	return e
}
