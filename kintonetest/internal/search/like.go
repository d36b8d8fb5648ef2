package search

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// like and not like: Kintone's keyword search (QUERY-AND-FIELDS.md A.6.2).
//
// Kintone searches a full-text (morphological) index; perfect reproduction
// is impractical, so this is the approximation A.6.2 suggests:
//
//   - Stored text and keyword are width-folded (fold.go) and cut into tokens.
//     Whitespace and the symbols - & | / ! ( ) { } [ ] ^ " ~ * ? : ; \ $ % @
//     ' ` = < > , . separate tokens and are dropped; so are other Unicode
//     punctuation and symbols (、。「」・...). _ # + belong to words
//     ("cybozu_kintone" is one token). % and _ are therefore no wildcards.
//   - A token is a run of "word" characters (letters, digits, _ # +) or of
//     CJK characters (kanji, hiragana, katakana, hangul, ー 々 〆); a change
//     between the two ends a token ("kintone日本語" is two).
//   - Every keyword token must be found. A word token must equal a stored
//     word token, ignoring ASCII case ("key" does not find "keyword";
//     "kintoneabc" finds "kintoneAbc-01234"). A CJK token of two or more
//     characters must occur inside a stored CJK token ("日本" and "本語"
//     find "日本語"); a single CJK character must be a whole stored token
//     ("日" does not find "日本語"), since Kintone needs a two-character
//     keyword for a longer word.
//   - A keyword with no token at all ("", "%") is vacuous: it matches every
//     record, and not like matches none. Untested [U]; it follows from
//     "every keyword token must be found" and from the keyword having its
//     symbols dropped.

type tokenClass uint8

const (
	classSep tokenClass = iota
	classWord
	classCJK
)

// asciiClass classifies the ASCII characters: letters, digits, _ # + are
// word characters; everything else is a separator.
func asciiClass(b byte) tokenClass {
	switch {
	case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9', b == '_', b == '#', b == '+':
		return classWord
	}
	return classSep
}

func runeClass(r rune) tokenClass {
	if r < utf8.RuneSelf {
		return asciiClass(byte(r))
	}
	switch {
	case r == 'ー' || r == '々' || r == '〆' || r == 'ヶ':
		return classCJK
	case unicode.Is(unicode.Han, r), unicode.Is(unicode.Hiragana, r),
		unicode.Is(unicode.Katakana, r), unicode.Is(unicode.Hangul, r):
		return classCJK
	case unicode.IsSpace(r), unicode.IsPunct(r), unicode.IsSymbol(r), unicode.IsControl(r):
		return classSep
	}
	return classWord
}

// scanner cuts folded text into tokens without allocating.
type scanner struct {
	s   string
	pos int
}

// next returns the next token and its class; ok is false at the end.
func (sc *scanner) next() (tok string, cls tokenClass, ok bool) {
	s := sc.s
	// Skip separators.
	for sc.pos < len(s) {
		c, n := classAt(s, sc.pos)
		if c != classSep {
			cls = c
			break
		}
		sc.pos += n
	}
	if sc.pos >= len(s) {
		return "", classSep, false
	}
	start := sc.pos
	for sc.pos < len(s) {
		c, n := classAt(s, sc.pos)
		if c != cls {
			break
		}
		sc.pos += n
	}
	return s[start:sc.pos], cls, true
}

func classAt(s string, i int) (tokenClass, int) {
	if b := s[i]; b < utf8.RuneSelf {
		return asciiClass(b), 1
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	return runeClass(r), n
}

// kwToken is one token of a like keyword.
type kwToken struct {
	text string // word tokens are ASCII-lower-cased
	cls  tokenClass
	// single marks a one-character CJK token, which must be a whole token.
	single bool
}

// keyword is a compiled like operand.
type keyword []kwToken

func compileKeyword(s string) keyword {
	var k keyword
	sc := scanner{s: fold(s)}
	for {
		tok, cls, ok := sc.next()
		if !ok {
			return k
		}
		t := kwToken{text: tok, cls: cls}
		if cls == classWord {
			t.text = asciiLower(tok)
		} else {
			t.single = utf8.RuneCountInString(tok) == 1
		}
		k = append(k, t)
	}
}

// matcher records which keyword tokens have been found so far, over one or
// several texts (the names of a FILE field's attachments).
type matcher struct {
	k     keyword
	small uint64 // found bits for the first 64 tokens
	big   []bool // found flags when there are more
	left  int
}

func (k keyword) matcher() matcher {
	m := matcher{k: k, left: len(k)}
	if len(k) > 64 {
		m.big = make([]bool, len(k))
	}
	return m
}

func (m *matcher) found(i int) bool {
	if m.big != nil {
		return m.big[i]
	}
	return m.small&(1<<uint(i)) != 0
}

func (m *matcher) mark(i int) {
	if m.big != nil {
		m.big[i] = true
	} else {
		m.small |= 1 << uint(i)
	}
	m.left--
}

// feed scans one stored text and reports whether every token is found.
func (m *matcher) feed(text string) bool {
	if m.left == 0 {
		return true
	}
	sc := scanner{s: fold(text)}
	for {
		tok, cls, ok := sc.next()
		if !ok {
			return false
		}
		for i, kt := range m.k {
			if kt.cls != cls || m.found(i) {
				continue
			}
			var hit bool
			switch {
			case cls == classWord:
				hit = asciiEqualFold(tok, kt.text)
			case kt.single:
				hit = tok == kt.text
			default:
				hit = strings.Contains(tok, kt.text)
			}
			if hit {
				m.mark(i)
				if m.left == 0 {
					return true
				}
			}
		}
	}
}

// match reports whether text holds every token of the keyword.
func (k keyword) match(text string) bool {
	if len(k) == 0 {
		return true
	}
	m := k.matcher()
	return m.feed(text)
}

// asciiLower lower-cases ASCII letters, allocating only if one is upper.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// asciiEqualFold compares s with an ASCII-lower-cased token, ignoring the
// case of ASCII letters only (A.6.2: "ASCII case is ignored").
func asciiEqualFold(s, lower string) bool {
	if len(s) != len(lower) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// feedHTML feeds the text of a RICH_TEXT value: the runs between tags,
// with character references decoded. A tag separates tokens as white space
// does, so "<b>kin</b>tone" holds the tokens "kin" and "tone". Whether
// Kintone's like on RICH_TEXT sees the HTML or its text is unknown [U];
// users search for what they read, and matching tag names ("div", "span")
// would be surprising. Only a run holding a reference ("&amp;") allocates.
func (m *matcher) feedHTML(s string) bool {
	if m.left == 0 {
		return true
	}
	for s != "" {
		run := s
		i := strings.IndexByte(s, '<')
		if i >= 0 {
			run = s[:i]
		}
		if strings.IndexByte(run, '&') >= 0 {
			run = html.UnescapeString(run)
		}
		if run != "" && m.feed(run) {
			return true
		}
		if i < 0 {
			return false
		}
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			return false // an unterminated tag: the rest is inside it
		}
		s = s[i+j+1:]
	}
	return false
}
