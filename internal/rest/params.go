package rest

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/kintone-sql/kintone/internal/jsonwrite"
)

// params are the parameters of a GET or DELETE, kept in the order they were
// added so that both encodings match what @kintone/rest-api-client sends:
// a query string ("qs" indices format, RFC 3986 percent-encoding, brackets
// encoded) or, when the URL would be too long, a JSON body.
type params struct {
	items []param
}

type paramKind uint8

const (
	paramString paramKind = iota
	paramBool
	paramList
	paramInts // a list of integers, numbers in JSON
)

type param struct {
	key  string
	kind paramKind
	str  string
	b    bool
	list []string
	ints []int64
}

func (p *params) str(key, v string) { p.items = append(p.items, param{key: key, str: v}) }

func (p *params) id(key string, v int64) { p.str(key, strconv.FormatInt(v, 10)) }

func (p *params) flag(key string, v bool) {
	p.items = append(p.items, param{key: key, kind: paramBool, b: v})
}

func (p *params) list(key string, v []string) {
	p.items = append(p.items, param{key: key, kind: paramList, list: v})
}

func (p *params) ints(key string, v []int64) {
	p.items = append(p.items, param{key: key, kind: paramInts, ints: v})
}

// query encodes p as a query string: key=value pairs joined by '&', lists
// as key[0]=a&key[1]=b, every byte but A-Z a-z 0-9 - _ . ~ percent-encoded
// and spaces as %20, as rest-api-client does.
func (p *params) query() string {
	var b strings.Builder
	sep := func() {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
	}
	for _, it := range p.items {
		switch it.kind {
		case paramString:
			sep()
			writePair(&b, it.key, it.str)
		case paramBool:
			sep()
			writePair(&b, it.key, strconv.FormatBool(it.b))
		case paramList:
			for i, v := range it.list {
				sep()
				writePair(&b, it.key+"["+strconv.Itoa(i)+"]", v)
			}
		case paramInts:
			for i, v := range it.ints {
				sep()
				writePair(&b, it.key+"["+strconv.Itoa(i)+"]", strconv.FormatInt(v, 10))
			}
		}
	}
	return b.String()
}

func writePair(b *strings.Builder, k, v string) {
	b.WriteString(escape(k))
	b.WriteByte('=')
	b.WriteString(escape(v))
}

// escape percent-encodes s like JavaScript's qs library in RFC 3986 mode.
// url.QueryEscape differs only in writing a space as '+'.
func escape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// json encodes p as the JSON object Kintone accepts in place of the query
// string: strings stay strings ("app":"1"), booleans are booleans, lists
// are arrays.
func (p *params) json() []byte {
	b := []byte{'{'}
	for i, it := range p.items {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonwrite.String(b, it.key)
		b = append(b, ':')
		switch it.kind {
		case paramString:
			b = jsonwrite.String(b, it.str)
		case paramBool:
			b = strconv.AppendBool(b, it.b)
		case paramList:
			b = jsonwrite.Strings(b, it.list)
		case paramInts:
			b = append(b, '[')
			for j, n := range it.ints {
				if j > 0 {
					b = append(b, ',')
				}
				b = strconv.AppendInt(b, n, 10)
			}
			b = append(b, ']')
		}
	}
	return append(b, '}')
}
