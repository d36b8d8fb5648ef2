package field

import "unicode"

// ValidFieldCode reports whether code is a well-formed field code
// (QUERY-AND-FIELDS.md A.2 "Field code charset"): 1 to MaxCodeLen characters,
// not starting with a digit, made only of
//
//   - letters and digits, half- or full-width (any Unicode letter or decimal
//     digit: the docs say "letters and digits" without naming scripts),
//   - hiragana, katakana (half-width included) and kanji, with the
//     prolonged sound mark ー (U+30FC, U+FF70), which Japanese words such as
//     カテゴリー need although Unicode files it under no script,
//   - the half-width underscore '_', the full-width underscore '＿', the
//     middle dot '・' and the full-width currency signs ＄ ￠ ￡ ￥ ￦.
//
// No other symbol and no white space is allowed. Reserved words are not
// checked here; see ReservedFieldCode.
func ValidFieldCode(code string) bool {
	if code == "" || runeCount(code) > MaxCodeLen {
		return false
	}
	for i, r := range code {
		if i == 0 && unicode.IsDigit(r) {
			return false
		}
		if !codeRune(r) {
			return false
		}
	}
	return true
}

// codeRune reports whether r may appear in a field code.
func codeRune(r rune) bool {
	switch r {
	case '_', '＿', '・', 'ー', 'ｰ', '＄', '￠', '￡', '￥', '￦':
		return true
	}
	if r == unicode.ReplacementChar {
		return false
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) ||
		unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Han)
}

// ReservedFieldCode reports whether code is one of the names A.2 reserves:
// the Japanese names of the built-in fields, ROOT, and their English
// equivalents. The docs do not spell the English equivalents out; they are
// taken to be the English-environment codes of the built-in fields
// (Record_number, Created_by, …, Status, Assignee, Categories). The match is
// exact and case-sensitive.
//
// A store checks this for user-defined fields only: the built-in fields
// themselves carry these codes.
func ReservedFieldCode(code string) bool {
	switch code {
	case "レコード番号", "作成者", "更新者", "作成日時", "更新日時", "ステータス", "作業者", "カテゴリー", "ROOT",
		"Record_number", "Created_by", "Updated_by", "Created_datetime", "Updated_datetime",
		"Status", "Assignee", "Categories":
		return true
	}
	return false
}
