package main

import (
	"context"
	"database/sql"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// sqlKeywords are the words Tab completes besides table and column names.
var sqlKeywords = []string{
	"AND", "AS", "ASC", "AVG", "BETWEEN", "BY", "CASE", "COLUMNS", "COUNT", "DELETE", "DESC",
	"DESCRIBE", "DISTINCT", "DUPLICATE", "ELSE", "END", "EXPLAIN", "FALSE", "FROM", "FULL",
	"GROUP", "HAVING", "IN", "INSERT", "INTO", "IS", "KEY", "LIKE", "LIMIT", "MAX", "MIN",
	"NOT", "NULL", "OFFSET", "ON", "OR", "ORDER", "SELECT", "SET", "SHOW", "SUM", "TABLES",
	"THEN", "TRUE", "UPDATE", "VALUES", "WHEN", "WHERE",
}

// tableContext are the words after which only a table name fits.
var tableContext = map[string]bool{
	"from": true, "into": true, "update": true, "join": true, "table": true,
	"describe": true, "desc": true, `\d`: true,
}

// tableRef finds the tables a statement names.
var tableRef = regexp.MustCompile("(?i)\\b(?:from|into|update|join|describe|desc)\\s+(`(?:[^`]|``)+`|[\\p{L}\\p{N}_$]+)")

// completer completes keywords, table names (from SHOW TABLES) and column
// names (from SHOW COLUMNS FROM t, for the tables the statement names).
// Names are fetched once and kept; when fetching fails, keywords are
// still completed.
type completer struct {
	ctx     context.Context
	db      *sql.DB
	timeout time.Duration

	tablesLoaded bool
	tables       []string
	columns      map[string][]string // by table name in lower case; nil: fetching failed

	// pending is the text of the earlier lines of the statement being
	// typed, so that a table named on one line helps on the next.
	pending string
}

func newCompleter(ctx context.Context, db *sql.DB) *completer {
	return &completer{ctx: ctx, db: db, timeout: 5 * time.Second, columns: map[string][]string{}}
}

// complete completes the word before byte offset pos of line. It returns
// the new line and cursor, and the candidates to show when the word
// cannot be extended (several match and share no longer prefix).
func (c *completer) complete(line string, pos int) (string, int, []string) {
	start, quoted := wordStart(line, pos)
	word := line[start:pos]
	if quoted {
		word = word[1:]
	}
	qualifier := ""
	if start > 0 && line[start-1] == '.' {
		qs, _ := wordStart(line, start-1)
		qualifier = strings.Trim(line[qs:start-1], "`")
	}
	prev := strings.ToLower(previousWord(line[:start]))

	var cands []string
	add := func(names []string, matchCase bool) {
		for _, n := range names {
			if hasPrefixFold(n, word) && !slices.Contains(cands, n) {
				if matchCase && word != "" && word == strings.ToLower(word) {
					n = strings.ToLower(n)
				}
				cands = append(cands, n)
			}
		}
	}
	switch {
	case qualifier != "":
		add(c.columnsOf(qualifier), false)
	case tableContext[prev]:
		add(c.tableNames(), false)
	default:
		for _, t := range c.referencedTables(c.pending + "\n" + line) {
			add(c.columnsOf(t), false)
		}
		add(sqlKeywords, true)
		add(c.tableNames(), false)
	}
	if len(cands) == 0 {
		return line, pos, nil
	}
	render := func(n string) string {
		if quoted || needsQuote(n) {
			return "`" + strings.ReplaceAll(n, "`", "``")
		}
		return n
	}
	var insert string
	if len(cands) == 1 {
		insert = render(cands[0])
		if strings.HasPrefix(insert, "`") {
			insert += "`"
		}
		if pos == len(line) {
			insert += " "
		}
	} else {
		insert = render(cands[0])
		for _, n := range cands[1:] {
			insert = commonPrefixFold(insert, render(n))
		}
		if utf8.RuneCountInString(insert) <= utf8.RuneCountInString(line[start:pos]) {
			return line, pos, cands
		}
	}
	return line[:start] + insert + line[pos:], start + len(insert), nil
}

// wordStart returns where the word that ends at pos starts, and whether it
// starts with a backquote.
func wordStart(line string, pos int) (int, bool) {
	start := pos
	for start > 0 {
		r, size := utf8.DecodeLastRuneInString(line[:start])
		if !isIdentRune(r) {
			break
		}
		start -= size
	}
	if start > 0 && line[start-1] == '`' {
		return start - 1, true
	}
	return start, false
}

// isIdentRune reports whether r may appear in an unquoted name: letters,
// digits, '_' and '$' (Kintone's $id), and non-ASCII letters (Japanese
// field codes; the driver quotes them itself).
func isIdentRune(r rune) bool {
	return r == '_' || r == '$' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// needsQuote reports whether a name must be written in backquotes.
func needsQuote(n string) bool {
	if n == "" {
		return true
	}
	r, _ := utf8.DecodeRuneInString(n)
	if unicode.IsDigit(r) {
		return true
	}
	return strings.IndexFunc(n, func(r rune) bool { return !isIdentRune(r) }) >= 0
}

// previousWord returns the last word of s (a backslash command counts).
func previousWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[len(f)-1]
}

// commonPrefixFold returns the longest common prefix of a and b, compared
// without case, in a's spelling.
func commonPrefixFold(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) {
		ra, sa := utf8.DecodeRuneInString(a[i:])
		rb, _ := utf8.DecodeRuneInString(b[i:])
		if unicode.ToLower(ra) != unicode.ToLower(rb) {
			break
		}
		i += sa
	}
	return a[:i]
}

// hasPrefixFold reports whether s starts with prefix, compared without
// case.
func hasPrefixFold(s, prefix string) bool {
	return len(commonPrefixFold(prefix, s)) == len(prefix)
}

// referencedTables returns the tables the text names after FROM, INTO,
// UPDATE, JOIN or DESCRIBE.
func (c *completer) referencedTables(text string) []string {
	var out []string
	for _, m := range tableRef.FindAllStringSubmatch(text, -1) {
		t := m[1]
		if strings.HasPrefix(t, "`") {
			t = strings.ReplaceAll(t[1:len(t)-1], "``", "`")
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// tableNames returns the tables from SHOW TABLES, fetched once.
func (c *completer) tableNames() []string {
	if !c.tablesLoaded {
		c.tablesLoaded = true
		c.tables = c.firstColumn("SHOW TABLES")
	}
	return c.tables
}

// columnsOf returns the columns of table from SHOW COLUMNS, fetched once.
func (c *completer) columnsOf(table string) []string {
	key := strings.ToLower(table)
	if cols, ok := c.columns[key]; ok {
		return cols
	}
	cols := c.firstColumn("SHOW COLUMNS FROM " + quoteIdent(table))
	c.columns[key] = cols
	return cols
}

// firstColumn runs query and returns the first column of its rows; nil
// when it fails.
func (c *completer) firstColumn(query string) []string {
	ctx, cancel := context.WithTimeout(c.ctx, c.timeout)
	defer cancel()
	rows, err := c.db.QueryContext(ctx, query)
	if err != nil {
		return nil
	}
	defer rows.Close()
	n, err := rows.Columns()
	if err != nil || len(n) == 0 {
		return nil
	}
	vals := make([]sql.NullString, len(n))
	ptrs := make([]any, len(n))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var out []string
	for rows.Next() {
		if rows.Scan(ptrs...) != nil {
			return nil
		}
		if vals[0].Valid {
			out = append(out, vals[0].String)
		}
	}
	if rows.Err() != nil {
		return nil
	}
	return out
}
