package translate

// This file names the output columns of a select list the way MySQL does:
// an item without an alias is named by its text as the statement wrote it
// (case, spacing and quoting kept), a column by its name, and a lone string
// literal by its value (MySQL's SELECT 'hello' is a column named hello).

// span is the tokens [from, to) of one select item.
type span struct{ from, to int }

// selectItemSpans returns the tokens of each item of the select list after
// the SELECT token at index sel, or nil when sel is not a SELECT.
func selectItemSpans(src *source, sel int) []span {
	t := src.toks
	if sel >= len(t) || !t[sel].is("select") {
		return nil
	}
	i := sel + 1
	for i < len(t) && (t[i].is("distinct") || t[i].is("sql_cache") || t[i].is("sql_no_cache") || t[i].is("straight_join")) {
		i++
	}
	var out []span
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
			out = append(out, span{start, i})
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

// text is the name of the select item: a lone string literal's value,
// otherwise the text between the first token's start and the last one's
// end.
func (sp span) text(src *source) string {
	if sp.to == sp.from+1 && src.toks[sp.from].kind == tString {
		return src.toks[sp.from].text
	}
	return src.sql[src.toks[sp.from].pos:src.toks[sp.to-1].end]
}

// lastName is the name of a select item that is a column (name, `name`
// or table.name): its last token, as written.
func (sp span) lastName(src *source) string {
	return src.toks[sp.to-1].text
}
