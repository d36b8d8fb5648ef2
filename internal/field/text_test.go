package field

import (
	"strings"
	"testing"
)

func TestUTF16Len(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"", 0},
		{"abc", 3},
		{"日本語", 3},
		{"😀", 2}, // B.5
		{"a😀b", 4},
		{"ｱｲｳ", 3},
		{"e\u0301", 2}, // combining mark: two code points
		{"\xff\xfe", 2},
		{"👨‍👩‍👧", 8}, // three emoji joined by two ZWJ
	}
	for _, tt := range tests {
		if got := UTF16Len(tt.in); got != tt.want {
			t.Errorf("UTF16Len(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestValidLink(t *testing.T) {
	tests := []struct {
		protocol, value string
		want            bool
	}{
		{"WEB", "https://example.com", true},
		{"WEB", "http://example.com/a?b=c#d", true},
		{"WEB", "HTTPS://EXAMPLE.COM", true},
		{"WEB", "https://user@example.com:8080/", true},
		{"WEB", "https://日本語.jp/パス", true},
		{"", "https://example.com", true},
		{"WEB", "example.com", false},
		{"WEB", "ftp://example.com", false},
		{"WEB", "https://", false},
		{"WEB", "https:///path", false},
		{"WEB", "https://:80", false},
		{"WEB", "https://exa mple.com", false},
		{"WEB", "https://example.com\n", false},
		{"WEB", "javascript:alert(1)", false},
		{"MAIL", "sato@example.com", true},
		{"MAIL", "sato+tag@example.co.jp", true},
		{"MAIL", "sato", false},
		{"MAIL", "@example.com", false},
		{"MAIL", "sato@", false},
		{"MAIL", "sato@a@b", false},
		{"MAIL", "sa to@example.com", false},
		{"CALL", "03-1234-5678", true},
		{"CALL", "+81 (3) 1234.5678", true},
		{"CALL", "*67#123", true},
		{"CALL", "---", false},
		{"CALL", "03-1234-5678 ext", false},
		{"CALL", "０３", false},
		{"FAX", "03-1234-5678", false},
		{"web", "https://example.com", false},
	}
	for _, tt := range tests {
		if got := ValidLink(tt.protocol, tt.value); got != tt.want {
			t.Errorf("ValidLink(%q, %q) = %v, want %v", tt.protocol, tt.value, got, tt.want)
		}
	}
}

func TestValidFieldCode(t *testing.T) {
	valid := []string{
		"title", "Title_1", "_1", "数値_0", "レコード番号x", "ひらがな", "カタカナー", "ｶﾀｶﾅｰ",
		"漢字々", "ＡＢＣ１２３", "a＿b", "単価・数量", "price＄", "円￥", "Ａ", "é",
		strings.Repeat("a", 128), strings.Repeat("あ", 128),
	}
	for _, c := range valid {
		if !ValidFieldCode(c) {
			t.Errorf("ValidFieldCode(%q) = false, want true", c)
		}
	}
	invalid := []string{
		"", "1abc", "１abc", "a b", "a　b", "a-b", "a.b", "a$b", "$id", "a/b", "a(b)",
		"a\tb", "a\"b", "a\\b", "a@b", "a＠b", "a！", "a\xffb", "a\u0301",
		strings.Repeat("a", 129), strings.Repeat("あ", 129),
	}
	for _, c := range invalid {
		if ValidFieldCode(c) {
			t.Errorf("ValidFieldCode(%q) = true, want false", c)
		}
	}
}

func TestReservedFieldCode(t *testing.T) {
	for _, c := range []string{"レコード番号", "作成者", "更新者", "作成日時", "更新日時", "ステータス", "作業者", "カテゴリー", "ROOT", "Status", "Categories"} {
		if !ReservedFieldCode(c) {
			t.Errorf("ReservedFieldCode(%q) = false", c)
		}
		if !ValidFieldCode(c) {
			t.Errorf("ValidFieldCode(%q) = false: reserved words are well-formed", c)
		}
	}
	for _, c := range []string{"root", "status", "title", "作成者2"} {
		if ReservedFieldCode(c) {
			t.Errorf("ReservedFieldCode(%q) = true", c)
		}
	}
}
