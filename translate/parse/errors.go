package parse

// The errors of this package are translate/sqlerr's (*sqlerr.SyntaxError,
// *sqlerr.UnsupportedError, *sqlerr.Error), so that the stages after it
// pass them on unchanged.

// near returns the text of the token at [pos, end) for a message, cut to
// 20 characters.
func near(sql string, pos, end int) string {
	if pos >= len(sql) {
		return ""
	}
	s := sql[pos:min(max(end, pos), len(sql))]
	n := 0
	for j := range s {
		if n == 20 {
			return s[:j]
		}
		n++
	}
	return s
}

// nearRest returns up to 20 characters of sql from offset i, for the
// messages of a token that does not end (an unterminated string or
// comment).
func nearRest(sql string, i int) string { return near(sql, i, len(sql)) }
