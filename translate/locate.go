package translate

import (
	"sort"
	"strings"
)

// locator finds where a construct of the syntax tree was written, for error
// messages: the parser's tree has no positions, so the translator asks for
// "the next occurrence of this word" while it walks the tree in source
// order. Each kind of search keeps its own cursor, so that the second
// reference to a column finds the second occurrence of its name.
type locator struct {
	src  *source
	next map[string]int // search key -> token index to search from
	// numbers indexes the numeric literals by text (built on first use).
	numbers map[string][]int
}

func newLocator(src *source) *locator {
	return &locator{src: src, next: map[string]int{}}
}

// find returns the offset of the next token (from the key's cursor on) for
// which match is true, and advances the cursor. When there is none it
// returns the offset of the first match from the start, or 0.
func (l *locator) find(key string, match func(i int) bool) int {
	start := l.next[key]
	for pass := 0; pass < 2; pass++ {
		for i := start; i < len(l.src.toks); i++ {
			if match(i) {
				l.next[key] = i + 1
				return l.src.toks[i].pos
			}
		}
		start = 0
	}
	return 0
}

// number finds the next numeric literal written as text, like find. A
// long INSERT ... VALUES holds thousands of distinct numbers, so the
// numeric tokens are indexed by text once rather than scanned for each.
func (l *locator) number(text string) int {
	if l.numbers == nil {
		l.numbers = map[string][]int{}
		for i, t := range l.src.toks {
			if t.kind == tNumber {
				l.numbers[t.text] = append(l.numbers[t.text], i)
			}
		}
	}
	idx := l.numbers[text]
	if len(idx) == 0 {
		return 0
	}
	key := "number:" + text
	j := sort.SearchInts(idx, l.next[key])
	if j == len(idx) {
		j = 0 // none after the cursor: the first from the start
	}
	l.next[key] = idx[j] + 1
	return l.src.toks[idx[j]].pos
}

// word finds the next bare word w (any case).
func (l *locator) word(w string) int {
	return l.find("w:"+strings.ToLower(w), func(i int) bool { return l.src.toks[i].is(w) })
}

// call finds the next function name followed by "(".
func (l *locator) call(name string) int {
	return l.find("c:"+strings.ToLower(name), func(i int) bool {
		t := l.src.toks
		return t[i].is(name) && i+1 < len(t) && t[i+1].kind == tPunct && t[i+1].text == "("
	})
}

// ident finds the next reference to the identifier name: a bare word in
// any case or a backquoted identifier written exactly, that is neither a
// function name nor an alias being defined (after AS).
func (l *locator) ident(name string) int {
	return l.find("i:"+name, func(i int) bool {
		t := l.src.toks
		tok := t[i]
		if !(tok.kind == tWord && strings.EqualFold(tok.text, name) || tok.kind == tQuoted && tok.text == name) {
			return false
		}
		if i+1 < len(t) && t[i+1].kind == tPunct && t[i+1].text == "(" {
			return false
		}
		return i == 0 || !t[i-1].is("as")
	})
}

// punct finds the next operator p.
func (l *locator) punct(p string) int {
	return l.find("p:"+p, func(i int) bool {
		t := l.src.toks[i]
		return t.kind == tPunct && t.text == p
	})
}

// subquery finds the next SELECT that follows "(".
func (l *locator) subquery() int {
	return l.find("subquery", func(i int) bool {
		t := l.src.toks
		return t[i].is("select") && i > 0 && t[i-1].kind == tPunct && t[i-1].text == "("
	})
}

// fromComma finds the comma that separates two tables in FROM.
func (l *locator) fromComma() int {
	return l.find("fromcomma", func(i int) bool {
		t := l.src.toks
		if t[i].kind != tPunct || t[i].text != "," {
			return false
		}
		depth := 0
		for j := i - 1; j >= 0; j-- {
			switch {
			case t[j].kind == tPunct && t[j].text == ")":
				depth++
			case t[j].kind == tPunct && t[j].text == "(":
				depth--
			case depth == 0 && t[j].is("from"):
				return true
			case depth == 0 && (t[j].is("select") || t[j].is("where")):
				return false
			}
		}
		return false
	})
}
