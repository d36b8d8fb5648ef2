package dsn

import "strings"

// kvStatus is what kvScanner.next found.
type kvStatus int

const (
	kvOK             kvStatus = iota // a key and its value
	kvEnd                            // the end of the DSN
	kvNoEquals                       // a part without '='; the key is the whole part
	kvNoKey                          // a part that starts with '='
	kvUnclosedQuote                  // a quoted value without its closing quote
	kvTextAfterQuote                 // text between a closing quote and the next ';'
)

// subject names the text a status is about, for an error that cannot show it.
func (st kvStatus) subject() string {
	switch st {
	case kvNoEquals:
		return "a part without '='"
	case kvUnclosedQuote:
		return "a quoted value without a closing quote"
	case kvTextAfterQuote:
		return "a quoted value followed by more text"
	}
	return "a part"
}

// kvScanner splits the key=value form the way ADO.NET connection strings
// (and so CData's) are written: parts separated by ';', white space around
// keys and unquoted values ignored, and a value that contains ';' or starts
// with a quote enclosed in "double" or 'single' quotes, with the quote doubled
// to put it inside.
type kvScanner struct {
	s string
	i int
}

// next returns the next key and value.
func (sc *kvScanner) next() (name, value string, st kvStatus) {
	s := sc.s
	for sc.i < len(s) && (s[sc.i] == ';' || isSpace(s[sc.i])) {
		sc.i++
	}
	if sc.i >= len(s) {
		return "", "", kvEnd
	}
	start := sc.i
	end := start + strings.IndexAny(s[start:], "=;")
	if end < start || s[end] == ';' {
		if end < start {
			end = len(s)
		}
		sc.i = end
		return strings.TrimSpace(s[start:end]), "", kvNoEquals
	}
	name = strings.TrimSpace(s[start:end])
	sc.i = end + 1
	if name == "" {
		sc.i = len(s)
		return "", "", kvNoKey
	}
	for sc.i < len(s) && isSpace(s[sc.i]) {
		sc.i++
	}
	if sc.i < len(s) && (s[sc.i] == '"' || s[sc.i] == '\'') {
		v, ok := sc.quoted()
		if !ok {
			return name, "", kvUnclosedQuote
		}
		for sc.i < len(s) && isSpace(s[sc.i]) {
			sc.i++
		}
		if sc.i < len(s) && s[sc.i] != ';' {
			return name, "", kvTextAfterQuote
		}
		return name, v, kvOK
	}
	end = strings.IndexByte(s[sc.i:], ';')
	if end < 0 {
		end = len(s) - sc.i
	}
	value = strings.TrimSpace(s[sc.i : sc.i+end])
	sc.i += end
	return name, value, kvOK
}

// quoted reads a quoted value starting at the opening quote.
func (sc *kvScanner) quoted() (string, bool) {
	s, q := sc.s, sc.s[sc.i]
	sc.i++
	var b strings.Builder
	for {
		j := strings.IndexByte(s[sc.i:], q)
		if j < 0 {
			sc.i = len(s)
			return "", false
		}
		b.WriteString(s[sc.i : sc.i+j])
		sc.i += j + 1
		if sc.i < len(s) && s[sc.i] == q {
			b.WriteByte(q)
			sc.i++
			continue
		}
		return b.String(), true
	}
}

// isSpace reports whether b is ASCII white space.
func isSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == '\v' || b == '\f'
}
