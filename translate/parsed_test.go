package translate

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/kintone-sql/kintone/translate/bind"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/parse"
	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// parsedShape describes what the parser made of a statement's names, literals
// and operators, in source order.
func parsedShape(t *testing.T, sql string) []string {
	t.Helper()
	parsed, err := parse.Parse(sql)
	if err != nil {
		t.Fatalf("Parse(%q): %v", sql, err)
	}
	var out []string
	parse.Inspect(parsed.Stmt, func(n parse.Node) bool {
		switch n := n.(type) {
		case *parse.ColumnRef:
			out = append(out, "col:"+n.Name.Name)
		case *parse.TableRef:
			out = append(out, "table:"+bind.TableText(n.Name))
		case *parse.Literal:
			out = append(out, "lit:"+n.Value)
		case *parse.Binary:
			out = append(out, "op:"+n.Op)
		}
		return true
	})
	return out
}

// TestStatementTextReachesTheBinderAsWritten checks what the translator's
// lexer used to do before sqlparser and the parser now does itself: bare
// names may hold '$' and Japanese, U+3000 is a blank, MySQL's string
// escapes (\% and \_ keep their backslash), and the placeholders with
// their offsets and ordinals, comments and strings excepted.
func TestStatementTextReachesTheBinderAsWritten(t *testing.T) {
	tests := []struct {
		sql    string
		shape  []string
		params []expr.ParamRef
	}{
		{"SELECT $id FROM t", []string{"col:$id", "table:t"}, nil},
		{"SELECT 顧客名, `名前` FROM 顧客.明細", []string{"col:顧客名", "col:名前", "table:顧客.明細"}, nil},
		{"SELECT a\u3000FROM t", []string{"col:a", "table:t"}, nil},
		{"SELECT '$id 顧客\u3000' FROM t", []string{"lit:$id 顧客\u3000", "table:t"}, nil},
		{`SELECT a FROM t WHERE a LIKE '%\_%' AND b = 'x\\_'`, []string{"col:a", "table:t", "op:AND", "col:a", `lit:%\_%`, "op:=", "col:b", `lit:x\_`}, nil},
		{"SELECT a FROM t WHERE a = ? AND b IN (?, ?) -- ?\nAND c = '?'", []string{"col:a", "table:t", "op:AND", "op:AND", "op:=", "col:a", "col:b", "op:=", "col:c", "lit:?"},
			[]expr.ParamRef{{Pos: 26, Ordinal: 1}, {Pos: 38, Ordinal: 2}, {Pos: 41, Ordinal: 3}}},
		{"SELECT a FROM t WHERE a = :x AND b = :y_1 /* :z */", []string{"col:a", "table:t", "op:AND", "op:=", "col:a", "op:=", "col:b"},
			[]expr.ParamRef{{Pos: 26, Name: "x"}, {Pos: 37, Name: "y_1"}}},
		{"SELECT 1.5e3, .5, 0x1F, 1abc FROM t", []string{"lit:1.5e3", "lit:.5", "lit:0x1F", "col:1abc", "table:t"}, nil},
	}
	for _, tt := range tests {
		if got := parsedShape(t, tt.sql); !reflect.DeepEqual(got, tt.shape) {
			t.Errorf("%q parses as %q, want %q", tt.sql, got, tt.shape)
		}
		parsed, _ := parse.Parse(tt.sql)
		if src := bind.NewText(parsed); !reflect.DeepEqual(src.Params, tt.params) && len(src.Params)+len(tt.params) > 0 {
			t.Errorf("%q: params = %+v, want %+v", tt.sql, src.Params, tt.params)
		}
	}
	// A list placeholder is refused where it stands.
	_, err := Translate(context.Background(), "SELECT a::b FROM t", testSchema(), Options{}, nil)
	var ue *sqlerr.UnsupportedError
	if !errors.As(err, &ue) || ue.Construct != "list placeholder ::b" || ue.Pos.Column != 9 {
		t.Errorf("a::b: got %v, want list placeholder ::b at column 9", err)
	}
}

func TestLexTokens(t *testing.T) {
	got := parsedShape(t, "SELECT `a``b`, 'it''s', \"q\\\"\" FROM 表 WHERE x <=> 1 AND y != 2")
	want := []string{"col:a`b", "lit:it's", `lit:q"`, "table:表", "op:AND", "op:<=>", "col:x", "lit:1", "op:<>", "col:y", "lit:2"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("shape = %q\nwant %q", got, want)
	}
}

func TestPositionOf(t *testing.T) {
	sql := "SELECT a\nFROM 顧客 WHERE x"
	tests := []struct {
		off       int
		line, col int
	}{
		{0, 1, 1}, {8, 1, 9}, {9, 2, 1}, {14, 2, 6}, {21, 2, 9}, {len(sql), 2, 16}, {-5, 1, 1}, {999, 2, 16},
	}
	for _, tt := range tests {
		p := sqlerr.PositionOf(sql, tt.off)
		if p.Line != tt.line || p.Column != tt.col {
			t.Errorf("positionOf(%d) = %s, want line %d, column %d", tt.off, p, tt.line, tt.col)
		}
	}
}

func TestLikeMatch(t *testing.T) {
	tests := []struct {
		s, p string
		want bool
	}{
		{"apple", "a%", true},
		{"apple", "%le", true},
		{"apple", "_pple", true},
		{"apple", "A%", false},
		{"a_b", `a\_b`, true},
		{"axb", `a\_b`, false},
		{"a%b", `%\%%`, true},
		{"ab", `%\%%`, false},
		{"", "%", true},
		{"", "_", false},
		{"日本語", "日_語", true},
		{"日本語", "__", false},
		{"aaa", "%a%a%a%", true},
		{"aa", "%a%a%a%", false},
		{"mississippi", "%iss%ppi", true},
		{`a\`, `a\`, true},
		{"abc", "a!%", false},
	}
	for _, tt := range tests {
		if got := expr.LikeMatch(tt.s, tt.p, '\\'); got != tt.want {
			t.Errorf("likeMatch(%q, %q) = %v, want %v", tt.s, tt.p, got, tt.want)
		}
	}
	if !expr.LikeMatch("a%", "a!%", '!') || expr.LikeMatch("ab", "a!%", '!') {
		t.Error("ESCAPE '!' is not honoured")
	}
}
