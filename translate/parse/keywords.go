package parse

// This file lists the keywords. A reserved word cannot be a bare
// identifier (it may be one backquoted, or after a dot: t.select); the
// list is sqlparser's reserved words and the MySQL reserved words it
// refuses as identifiers, so that the two parsers agree on which bare
// names are columns, plus XOR, INTERSECT and EXCEPT, which this parser
// reads as operators.

// reserved are the reserved words, upper case.
var reserved = []string{
	"ADD", "ALL", "ALTER", "ANALYZE", "AND", "AS", "ASC", "AUTO_INCREMENT", "BETWEEN", "BINARY",
	"BOOLEAN", "BY", "CASE", "CAST", "COLLATE", "COLUMN", "CONSTRAINT", "CONVERT", "CREATE", "CROSS",
	"CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "DATABASE", "DATABASES", "DEFAULT", "DELETE",
	"DESC", "DESCRIBE", "DISTINCT", "DIV", "DROP", "ELSE", "END", "ESCAPE", "EXISTS", "EXPLAIN",
	"EXTENDED", "FALSE", "FOR", "FORCE", "FROM", "FULL", "GROUP", "GROUP_CONCAT", "HAVING", "IF",
	"IGNORE", "IN", "INDEX", "INNER", "INSERT", "INTERVAL", "INTO", "IS", "JOIN", "KEY", "LEFT", "LIKE",
	"LIMIT", "LOCALTIME", "LOCALTIMESTAMP", "LOCK", "MATCH", "MAXVALUE", "MOD", "NATURAL", "NEXT",
	"NOT", "NULL", "ON", "OR", "ORDER", "OUTER", "PROCESSLIST", "REGEXP", "RENAME", "REPLACE", "RIGHT",
	"RLIKE", "SCHEMA", "SELECT", "SEPARATOR", "SET", "SHOW", "SQL_CACHE", "SQL_NO_CACHE",
	"STRAIGHT_JOIN", "STREAM", "SUBSTR", "SUBSTRING", "TABLE", "TABLES", "THEN", "TO", "TRUE", "UNION",
	"UNIQUE", "UPDATE", "USE", "USING", "UTC_DATE", "UTC_TIME", "UTC_TIMESTAMP", "VALUES", "WHEN",
	"WHERE",
	// Reserved in MySQL, read as operators here.
	"XOR", "INTERSECT", "EXCEPT",
}

// nonReserved are the other words the parser looks for: they may name
// columns and tables too.
var nonReserved = []string{
	"ANY", "BEGIN", "CHAR", "CHARACTER", "COLUMNS", "COMMIT", "DATE", "DATETIME", "DECIMAL", "DUPLICATE", "FIELDS",
	"FIRST", "FOLLOWING", "INTEGER", "JSON", "LAST", "MODE", "NCHAR", "OFFSET", "OVER", "PARTITION",
	"PRECEDING", "RECURSIVE", "ROLLBACK", "ROW", "ROWS", "SHARE", "SIGNED", "SOME", "START", "TIME",
	"TIMESTAMP", "TRUNCATE", "UNBOUNDED", "UNKNOWN", "UNSIGNED", "WINDOW", "WITH", "AGAINST",
	"CURRENT", "NOWAIT", "SKIP", "LOCKED", "OF", "NULLS",
}

// keywords maps every keyword to itself, so that a token's kw is an
// interned string.
var keywords = func() map[string]string {
	m := make(map[string]string, len(reserved)+len(nonReserved))
	for _, w := range reserved {
		m[w] = w
	}
	for _, w := range nonReserved {
		m[w] = w
	}
	return m
}()

// reservedSet holds the reserved words.
var reservedSet = func() map[string]bool {
	m := make(map[string]bool, len(reserved))
	for _, w := range reserved {
		m[w] = true
	}
	return m
}()

// keywordOf returns the keyword w is, in upper case, or "". It does not
// allocate.
func keywordOf(w string) string {
	if len(w) > 24 {
		return ""
	}
	var buf [24]byte
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= 0x80 || c == '$' {
			return ""
		}
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		buf[i] = c
	}
	return keywords[string(buf[:len(w)])]
}

// isReserved reports whether kw, a token's keyword, is reserved.
func isReserved(kw string) bool { return kw != "" && reservedSet[kw] }
