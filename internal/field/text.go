package field

import "unicode/utf8"

// UTF16Len is the length of s in UTF-16 code units, the unit of Kintone's
// minLength and maxLength (B.5: "😀" counts as 2). Each byte of s that is not
// valid UTF-8 counts as one unit, as the U+FFFD it would decode to.
func UTF16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// The limits of B.6 that a write or a form definition is checked against.
const (
	// MaxCodeLen is the longest field code, in characters.
	MaxCodeLen = 128
	// MaxLabelLen is the longest field name (label), in characters.
	MaxLabelLen = 128
	// MaxOptionLen is the longest option of a choice field, in characters.
	MaxOptionLen = 128
	// MaxOptions is the most options a choice field may have.
	MaxOptions = 1000
	// MaxUniqueTextLen is the longest value a SINGLE_LINE_TEXT field with
	// "unique" set accepts, in characters (B.6). The docs do not say which
	// unit; a store should count like UTF16Len, as for maxLength.
	MaxUniqueTextLen = 64
)

// runeCount is the number of characters (code points) of s, the unit used
// here for the "128 characters" limits of codes, labels and options. The docs
// do not say whether those count code points or UTF-16 units.
func runeCount(s string) int { return utf8.RuneCountInString(s) }
