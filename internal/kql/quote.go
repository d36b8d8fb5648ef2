package kql

import "strings"

// Quote returns s as a Kintone string literal, the one way a value becomes
// query text in this project: s in double quotes, with " and \ escaped as \"
// and \\ (documented), TAB and LF as \t and \n (observed to work) and CR as
// \r. Kintone rejects raw TAB, CR and LF in a literal (CB_VA01); \r is
// untested there but is the only way to write CR at all, and it follows the
// pattern of the observed escapes.
//
// Every other byte is copied unchanged, other control characters and
// invalid UTF-8 included: Kintone documents no escape for them, and none of
// them can end the literal. Whatever s holds, Parse reads the result back as
// exactly one string whose value is s.
func Quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	writeQuoted(&b, s)
	return b.String()
}

// writeQuoted writes Quote(s) to b.
func writeQuoted(b *strings.Builder, s string) {
	b.WriteByte('"')
	plain := 0 // start of the run not yet written
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '"':
			esc = `\"`
		case '\\':
			esc = `\\`
		case '\t':
			esc = `\t`
		case '\n':
			esc = `\n`
		case '\r':
			esc = `\r`
		default:
			continue
		}
		b.WriteString(s[plain:i])
		b.WriteString(esc)
		plain = i + 1
	}
	b.WriteString(s[plain:])
	b.WriteByte('"')
}
