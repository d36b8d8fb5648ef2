package translate

// This file names the output columns of a select list the way MySQL does:
// an item without an alias is named by its text as the statement wrote it
// (case, spacing and quoting kept), a column by its name, and a lone string
// literal by its value (MySQL's SELECT 'hello' is a column named hello).

// selectItemTexts returns the text of each item of the select list after
// the SELECT token at index sel, from the item's first token to its last,
// or nil when sel is not a SELECT.
func selectItemTexts(src *source, sel int) []string {
	t := src.toks
	if sel >= len(t) || !t[sel].is("select") {
		return nil
	}
	i := sel + 1
	for i < len(t) && (t[i].is("distinct") || t[i].is("sql_cache") || t[i].is("sql_no_cache") || t[i].is("straight_join")) {
		i++
	}
	var out []string
	start, depth := i, 0
	for ; i <= len(t); i++ {
		end := i == len(t)
		if !end {
			switch tok := t[i]; {
			case tok.kind == tPunct && tok.text == "(":
				depth++
				continue
			case tok.kind == tPunct && tok.text == ")":
				depth--
				continue
			case depth != 0:
				continue
			case tok.kind == tPunct && tok.text == ";":
				end = true
			case tok.kind == tWord && endsSelectList(tok):
				end = true
			case !(tok.kind == tPunct && tok.text == ","):
				continue
			}
		}
		if i > start {
			out = append(out, itemText(src, start, i))
		}
		if end {
			return out
		}
		start = i + 1
	}
	return out
}

// endsSelectList reports whether the bare word tok, outside parentheses,
// ends a select list.
func endsSelectList(tok token) bool {
	for _, w := range []string{"from", "where", "group", "having", "order", "limit", "into", "for", "lock", "union", "on"} {
		if tok.is(w) {
			return true
		}
	}
	return false
}

// itemText is the name of the select item made of the tokens [from, to):
// a lone string literal's value, otherwise the text between the first
// token's start and the last one's end.
func itemText(src *source, from, to int) string {
	if to == from+1 && src.toks[from].kind == tString {
		return src.toks[from].text
	}
	return src.sql[src.toks[from].pos:src.toks[to-1].end]
}
