package search

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/kintonetest/internal/store"
)

// TestLikeKeywords checks the word-search approximation of A.6.2 on the
// documented examples, one stored text at a time.
func TestLikeKeywords(t *testing.T) {
	tests := []struct {
		text, keyword string
		want          bool
	}{
		// Whole words only (observed).
		{"gamma keyword", "key", false},
		{"gamma keyword", "keyword", true},
		{"gamma keyword", "gamma", true},
		// The help page's examples.
		{"cybozu kintone2", "cybozu", true},
		{"cybozu kintone2", "kintone2", true},
		{"cybozu kintone2", "cy", false},
		{"cybozu kintone2", "kintone", false},
		// Every keyword word must be found, in any order.
		{"cybozu kintone2", "kintone2 cybozu", true},
		{"cybozu kintone2", "cybozu kintone3", false},
		{"cybozu kintone2", "cybozu　kintone2", true}, // U+3000 separates too
		// _ # + belong to words.
		{"cybozu_kintone", "cybozu", false},
		{"cybozu_kintone", "cybozu_kintone", true},
		{"C++ and C#", "c++", true},
		{"C++ and C#", "c#", true},
		{"C++ and C#", "c", false},
		// The documented separators split words and are dropped from keywords.
		{"a-b&c|d/e!f(g)h{i}j[k]l^m\"n~o*p?q:r;s\\t$u%v@w'x`y=z<aa>bb,cc.dd", "a b c d e f g h i j k l m n o p q r s t u v w x y z aa bb cc dd", true},
		{"kintoneAbc-01234", "kintoneabc", true},
		{"kintoneAbc-01234", "01234", true},
		{"kintoneAbc-01234", "KINTONEABC-01234", true},
		{"kintoneAbc-01234", "abc", false}, // camel case is not split
		{"kintoneAbc-01234", "kintone", false},
		{"user@example.com", "example", true},
		{"user@example.com", "example.com", true},
		{"v1.2.3", "2", true},
		// % and _ are not wildcards.
		{"gamma keyword", "key%", false},
		{"gamma keyword", "%keyword%", true}, // % is dropped: the keyword is "keyword"
		{"gamma keyword", "k_yword", false},
		{"gamma keyword", "_", false},
		// ASCII case is ignored; full-width ASCII is ASCII.
		{"KINTONE", "kintone", true},
		{"ｋｉｎｔｏｎｅ", "KINTONE", true},
		{"kintone", "Ｋｉｎｔｏｎｅ", true},
		{"ｋｉｎｔｏｎｅ－ｃｙｂｏｚｕ", "cybozu", true},
		// Japanese: two characters find longer words; one does not.
		{"日本語", "日本", true},
		{"日本語", "本語", true},
		{"日本語", "日本語", true},
		{"日本語", "日", false},
		{"日本語", "語", false},
		{"日 本", "日", true}, // a one-character word is found by itself
		{"日本語の文章", "文章", true},
		{"東京、大阪", "大阪", true},
		{"東京、大阪", "京大", false}, // 、 ends a word
		{"「見積書」", "見積", true},
		{"日本語", "英語", false},
		{"日本語", "日本 英語", false},
		// Full-width and half-width kana are equal.
		{"ｶﾀｶﾅ", "カタカナ", true},
		{"カタカナ", "ｶﾀｶﾅ", true},
		{"ﾃﾞｰﾀﾍﾞｰｽ", "データ", true},
		{"データベース", "ﾃﾞｰﾀ", true},
		{"ﾎﾟｲﾝﾄ", "ポイント", true},
		{"ﾎﾟｲﾝﾄ", "ボイント", false},
		// Letters and kana are different words.
		{"kintone日本語", "kintone", true},
		{"kintone日本語", "日本", true},
		{"kintone日本語", "kintone日本", true},
		// Other scripts are words too.
		{"Größe über", "über", true},
		{"Größe über", "gröss", false},
		// An empty keyword, or one made of separators only, is vacuous [U].
		{"anything", "", true},
		{"", "", true},
		{"anything", "%_", false}, // "_" is a word character, not a separator
		{"anything", "%-.", true},
		// Nothing is found in an empty text.
		{"", "x", false},
	}
	for _, tt := range tests {
		if got := compileKeyword(tt.keyword).match(tt.text); got != tt.want {
			t.Errorf("%q like %q: %v, want %v", tt.text, tt.keyword, got, tt.want)
		}
	}
}

// TestLikeKeywordMany checks a keyword of more than 64 words, which the
// matcher tracks with a slice instead of a bit set.
func TestLikeKeywordMany(t *testing.T) {
	var words []string
	for i := range 70 {
		words = append(words, fmt.Sprintf("w%d", i))
	}
	text := strings.Join(words, " ")
	if !compileKeyword(text).match(text) {
		t.Errorf("70 words: not found in themselves")
	}
	if compileKeyword(text + " missing").match(text) {
		t.Errorf("71 words: found although one is missing")
	}
}

// TestLikeFields checks like and not like on each field type that allows
// them: SINGLE_LINE_TEXT, LINK, MULTI_LINE_TEXT, RICH_TEXT (its text, not
// its tags) and FILE (attachment names).
func TestLikeFields(t *testing.T) {
	recs := []*store.Record{
		rec(1, v{"title": "gamma keyword", "link": "https://example.com/kintone", "memo": "line one\nsecond keyword",
			"rich": `<div class="keyword">Hello <b>kin</b>tone &amp; 日本語</div>`, "file": files("report-2024.pdf", "見積書.xlsx")}),
		rec(2, v{"title": "keywords", "memo": "", "rich": "<p>plain</p>", "file": files()}),
		rec(3, v{"title": "", "rich": "a&lt;b&gt;c"}),
		rec(4, v{}),
	}
	runMatches(t, testEnv(), recs, []matchCase{
		{`title like "keyword"`, ids(1)},
		{`title like "key"`, nil},
		{`title not like "keyword"`, ids(2, 3, 4)}, // an empty value matches not like [U]
		{`title like ""`, ids(1, 2, 3, 4)},
		{`title not like ""`, nil},
		{`link like "example"`, ids(1)},
		{`link like "kintone"`, ids(1)},
		{`memo like "keyword"`, ids(1)},
		{`memo like "one second"`, ids(1)},
		{`memo not like "one"`, ids(2, 3, 4)},
		{`rich like "hello"`, ids(1)},
		{`rich like "kin"`, ids(1)}, // a tag separates words like a space
		{`rich like "kintone"`, nil},
		{`rich like "div"`, nil}, // tag names are not text
		{`rich like "keyword"`, nil},
		{`rich like "class"`, nil},
		{`rich like "amp"`, nil}, // references are decoded
		{`rich like "日本"`, ids(1)},
		{`rich like "plain"`, ids(2)},
		{`rich like "a b c"`, ids(3)},
		{`rich not like "hello"`, ids(2, 3, 4)},
		{`file like "report"`, ids(1)},
		{`file like "2024 pdf"`, ids(1)},
		{`file like "見積"`, ids(1)},
		{`file like "report 見積書"`, ids(1)}, // words may come from different files
		{`file like "xlsx"`, ids(1)},
		{`file like "docx"`, nil},
		{`file not like "report"`, ids(2, 3, 4)},
		{`file like ""`, ids(1, 2, 3, 4)},
	})
}

// TestFeedHTML checks the text extraction of RICH_TEXT directly.
func TestFeedHTML(t *testing.T) {
	tests := []struct {
		html, keyword string
		want          bool
	}{
		{"<b>x</b>", "x", true},
		{"<b>x</b>", "b", false},
		{"a<br>b", "a b", true},
		{"a<br>b", "ab", false},
		{"unterminated <b class=x", "x", false},
		{"unterminated <b class=x", "unterminated", true},
		{"&quot;quoted&quot;", "quoted", true},
		{"&#26085;&#26412;", "日本", true},
		{"", "x", false},
		{"<p></p>", "", true},
	}
	for _, tt := range tests {
		m := compileKeyword(tt.keyword).matcher()
		if got := m.feedHTML(tt.html); got != tt.want {
			t.Errorf("%q like %q: %v, want %v", tt.html, tt.keyword, got, tt.want)
		}
	}
}

// TestFold checks the width folding like relies on.
func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"abc", "abc"},
		{"日本語", "日本語"},
		{"ＡＢＣ１２３！", "ABC123!"},
		{"a\u3000b", "a b"},
		{"ｶﾞｷﾞｸﾞｹﾞｺﾞ", "ガギグゲゴ"},
		{"ｻﾞｼﾞｽﾞｾﾞｿﾞﾀﾞﾁﾞﾂﾞﾃﾞﾄﾞ", "ザジズゼゾダヂヅデド"},
		{"ﾊﾞﾋﾞﾌﾞﾍﾞﾎﾞﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ", "バビブベボパピプペポ"},
		{"ｳﾞﾜﾞｦﾞ", "ヴヷヺ"},
		{"ｱﾞ", "ア゛"}, // no voiced form: the mark stays, as a full-width mark
		{"ｯﾞ", "ッ゛"}, // small tsu has none either
		{"ﾏﾟ", "マ゜"}, // semi-voiced only on the H row
		{"ｰ｡｢｣､･", "ー。「」、・"},
		{"ﾞ", "゛"},
	}
	for _, tt := range tests {
		if got := fold(tt.in); got != tt.want {
			t.Errorf("fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestLikeAllocs checks that like on plain text does not allocate per
// record.
func TestLikeAllocs(t *testing.T) {
	p, err := Prepare(`title like "keyword" and rich like "hello"`, testForm(), testEnv(), false)
	if err != nil {
		t.Fatal(err)
	}
	r := rec(1, v{"title": "gamma keyword", "rich": "<p>Hello <b>world</b></p>"})
	if n := testing.AllocsPerRun(100, func() { p.Match(r) }); n != 0 {
		t.Errorf("Match allocates %v times per record, want 0", n)
	}
}
