package translate

import (
	"sort"
	"strings"
)

// locator finds where a construct of the syntax tree was written, for error
// messages: the parser's tree has no positions, so the translator asks for
// "the next occurrence of this word" while it walks the tree in source
// order. Each kind of search keeps its own cursor, so that the second
// reference to a column finds the second occurrence of its name, and
// searches start at the clause being walked (clause), so that the "=" of
// a WHERE is not found in the SET before it, nor a column of the WHERE in
// the select list.
type locator struct {
	src  *source
	next map[string]int // search key -> token index to search from
	// floor is the token index where the clause being walked starts.
	floor int
	// numbers indexes the numeric literals by text (built on first use).
	numbers map[string][]int
}

func newLocator(src *source) *locator {
	return &locator{src: src, next: map[string]int{}}
}

// clause moves the searches to the clause that starts with the bare word
// w, outside parentheses (the statement has no subqueries: they are
// refused), and returns whether there is one. The keyword of the clause is
// unique at that level: a column with the same name must be backquoted.
func (l *locator) clause(w string) bool {
	depth := 0
	for i, t := range l.src.toks {
		switch {
		case t.kind == tPunct && t.text == "(":
			depth++
		case t.kind == tPunct && t.text == ")":
			depth--
		case depth == 0 && t.is(w):
			l.floor = i
			return true
		}
	}
	return false
}

// find returns the offset of the next token (from the key's cursor on,
// within the current clause) for which match is true, and advances the
// cursor. When there is none it returns the offset of the first match in
// the clause, else of the first match in the statement, else of the
// clause's first token.
func (l *locator) find(key string, match func(i int) bool) int {
	if i := l.findIndex(key, match); i >= 0 {
		return l.src.toks[i].pos
	}
	return l.here()
}

// findIndex is find returning the token's index, or -1 when no token
// matches.
func (l *locator) findIndex(key string, match func(i int) bool) int {
	toks := l.src.toks
	for _, start := range []int{max(l.next[key], l.floor), l.floor, 0} {
		for i := start; i < len(toks); i++ {
			if match(i) {
				l.next[key] = i + 1
				return i
			}
		}
	}
	return -1
}

// here returns the offset of the current clause's first token.
func (l *locator) here() int {
	if l.floor < len(l.src.toks) {
		return l.src.toks[l.floor].pos
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
		return l.here()
	}
	key := "number:" + text
	j := sort.SearchInts(idx, max(l.next[key], l.floor))
	if j == len(idx) {
		j = sort.SearchInts(idx, l.floor) // none after the cursor: the first in the clause
	}
	if j == len(idx) {
		j = 0
	}
	l.next[key] = idx[j] + 1
	return l.src.toks[idx[j]].pos
}

// word finds the next bare word w (any case).
func (l *locator) word(w string) int {
	return l.find("w:"+strings.ToLower(w), func(i int) bool { return l.src.toks[i].is(w) })
}

// call finds the next function name followed by "(", or for the
// functions MySQL lets be written without parentheses (CURRENT_DATE,
// LOCALTIME, ...) the next name alone.
func (l *locator) call(name string) int {
	bare := bareFunction(name)
	return l.find("c:"+strings.ToLower(name), func(i int) bool {
		t := l.src.toks
		return t[i].is(name) && (bare || i+1 < len(t) && t[i+1].kind == tPunct && t[i+1].text == "(")
	})
}

// bareFunction reports whether the function name may be written without
// parentheses.
func bareFunction(name string) bool {
	switch strings.ToLower(name) {
	case "current_date", "current_time", "current_timestamp", "localtime", "localtimestamp",
		"utc_date", "utc_time", "utc_timestamp":
		return true
	}
	return false
}

// not finds the next NOT operator: not the NOT of NOT IN, NOT LIKE, NOT
// BETWEEN, NOT REGEXP or IS NOT.
func (l *locator) not() int {
	return l.find("not", func(i int) bool {
		t := l.src.toks
		if !t[i].is("not") || i > 0 && t[i-1].is("is") {
			return false
		}
		if i+1 < len(t) {
			for _, w := range []string{"in", "like", "between", "regexp", "rlike"} {
				if t[i+1].is(w) {
					return false
				}
			}
		}
		return true
	})
}

// table finds the name of the table a statement reads or writes, qual.name
// or name: a bare word in any case, a backquoted identifier as written, or
// a number (SHOW COLUMNS FROM 42). Function-call and alias rules do not
// apply (INSERT INTO t(a) is not a call). It returns the token index of
// the name's first part, or -1.
func (l *locator) table(qual, name string) int {
	first := name
	if qual != "" {
		first = qual
	}
	toks := l.src.toks
	isName := func(i int, s string) bool {
		t := toks[i]
		return (t.kind == tWord || t.kind == tNumber) && strings.EqualFold(t.text, s) || t.kind == tQuoted && t.text == s
	}
	key := "t:" + first
	for _, start := range []int{max(l.next[key], l.floor), 0} {
		for i := start; i < len(toks); i++ {
			if !isName(i, first) {
				continue
			}
			if qual != "" && !(i+2 < len(toks) && toks[i+1].kind == tPunct && toks[i+1].text == "." && isName(i+2, name)) {
				continue
			}
			l.next[key] = i + 1
			return i
		}
	}
	return -1
}

// reserved reports whether the bare word w (lower case) is one of the
// parser's reserved keywords: a column so named is backquoted, so a bare
// word among them is never the column.
func reserved(w string) bool {
	switch w {
	case "add", "and", "as", "asc", "auto_increment", "between", "binary", "by", "case", "collate",
		"convert", "create", "cross", "current_date", "current_time", "current_timestamp", "substr",
		"substring", "database", "databases", "default", "delete", "desc", "describe", "distinct", "div",
		"drop", "else", "end", "escape", "exists", "explain", "false", "for", "force", "from", "group",
		"having", "if", "ignore", "in", "index", "inner", "insert", "interval", "into", "is", "join",
		"key", "left", "like", "limit", "localtime", "localtimestamp", "lock", "match", "maxvalue",
		"mod", "natural", "next", "not", "null", "on", "or", "order", "outer", "regexp", "rename",
		"replace", "right", "schema", "select", "separator", "set", "show", "straight_join", "table",
		"tables", "then", "to", "true", "union", "unique", "update", "use", "using", "utc_date",
		"utc_time", "utc_timestamp", "values", "when", "where":
		return true
	}
	return false
}

// ident finds the next reference to the identifier name: a bare word in
// any case or a backquoted identifier written exactly, that is neither a
// function name nor an alias being defined (after AS).
func (l *locator) ident(name string) int {
	if i := l.identIndex(name); i >= 0 {
		return l.src.toks[i].pos
	}
	return l.here()
}

// identIndex is ident returning the token's index, or -1.
func (l *locator) identIndex(name string) int {
	return l.findIndex("i:"+name, func(i int) bool {
		t := l.src.toks
		tok := t[i]
		if !(tok.kind == tWord && strings.EqualFold(tok.text, name) && !reserved(strings.ToLower(tok.text)) ||
			tok.kind == tQuoted && tok.text == name) {
			return false
		}
		if i+1 < len(t) && t[i+1].kind == tPunct && t[i+1].text == "(" {
			return false
		}
		return i == 0 || !t[i-1].is("as")
	})
}

// written returns the identifier at token i as the statement wrote it:
// the parser lower-cases keywords used as names (a field coded Status
// written bare reaches the tree as "status"), so the name to resolve is
// the token's. It returns parsed when i is -1.
func (l *locator) written(i int, parsed string) string {
	if i < 0 {
		return parsed
	}
	return l.src.toks[i].text
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
