package search

import (
	"strings"
	"unicode/utf8"
)

// Width folding for like (QUERY-AND-FIELDS.md A.6.2: "full-width and
// half-width kana are treated as equal"; the suggested approximation is NFKC
// width folding). The standard library has no NFKC, so the foldings that
// matter for search are done by table:
//
//   - full-width ASCII U+FF01..U+FF5E becomes ASCII ("ｋｉｎｔｏｎｅ" is
//     "kintone", "（" is the separator "(");
//   - the ideographic space U+3000 becomes a space;
//   - half-width katakana U+FF61..U+FF9F becomes full-width katakana, with a
//     following half-width voiced or semi-voiced mark composed into the
//     voiced letter ("ｶﾞ" is "ガ"), as NFKC does.
//
// Other compatibility characters (circled digits, ligatures, ...) are left
// alone.

// halfKana maps U+FF61..U+FF9F to their full-width forms.
var halfKana = [...]rune{
	'。', '「', '」', '、', '・', 'ヲ', 'ァ', 'ィ', 'ゥ', 'ェ', 'ォ', 'ャ', 'ュ', 'ョ', 'ッ',
	'ー', 'ア', 'イ', 'ウ', 'エ', 'オ', 'カ', 'キ', 'ク', 'ケ', 'コ', 'サ', 'シ', 'ス', 'セ', 'ソ',
	'タ', 'チ', 'ツ', 'テ', 'ト', 'ナ', 'ニ', 'ヌ', 'ネ', 'ノ', 'ハ', 'ヒ', 'フ', 'ヘ', 'ホ', 'マ',
	'ミ', 'ム', 'メ', 'モ', 'ヤ', 'ユ', 'ヨ', 'ラ', 'リ', 'ル', 'レ', 'ロ', 'ワ', 'ン', '゛', '゜',
}

const (
	halfVoiced     = '\uFF9E' // ﾞ
	halfSemiVoiced = '\uFF9F' // ﾟ
)

// needsFold reports whether fold would change s.
func needsFold(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			for _, r := range s[i:] {
				if foldable(r) {
					return true
				}
			}
			return false
		}
	}
	return false
}

func foldable(r rune) bool {
	return r == '\u3000' || (r >= '\uFF01' && r <= '\uFF5E') || (r >= '\uFF61' && r <= '\uFF9F')
}

// fold applies the width foldings; it returns s itself when nothing
// changes.
func fold(s string) string {
	if !needsFold(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == '\u3000':
			b.WriteByte(' ')
		case r >= '\uFF01' && r <= '\uFF5E':
			b.WriteRune(r - 0xFEE0)
		case r >= '\uFF61' && r <= '\uFF9F':
			full := halfKana[r-0xFF61]
			if i+1 < len(rs) {
				if v, ok := voice(full, rs[i+1]); ok {
					full = v
					i++
				}
			}
			b.WriteRune(full)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// voice composes a full-width katakana with a following half-width voiced
// or semi-voiced mark.
func voice(k, mark rune) (rune, bool) {
	switch mark {
	case halfVoiced:
		switch {
		case k == 'ウ':
			return 'ヴ', true
		case k >= 'カ' && k <= 'ト' && voicable(k):
			return k + 1, true
		case k >= 'ハ' && k <= 'ホ' && (k-'ハ')%3 == 0:
			return k + 1, true
		case k == 'ワ':
			return 'ヷ', true
		case k == 'ヲ':
			return 'ヺ', true
		}
	case halfSemiVoiced:
		if k >= 'ハ' && k <= 'ホ' && (k-'ハ')%3 == 0 {
			return k + 2, true
		}
	}
	return 0, false
}

// voicable reports whether a katakana of the K, S or T rows has a voiced
// form at the next code point (カ→ガ ... ト→ド; small ッ has none).
func voicable(k rune) bool {
	switch k {
	case 'カ', 'キ', 'ク', 'ケ', 'コ', 'サ', 'シ', 'ス', 'セ', 'ソ', 'タ', 'チ', 'ツ', 'テ', 'ト':
		return true
	}
	return false
}
