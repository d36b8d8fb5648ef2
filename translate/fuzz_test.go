package translate

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kintone-sql/kintone/internal/kql"
)

// shape prints the structure of a kql condition: fields, operators, and
// the kind and number of values, but not the values themselves.
func shape(e kql.Expr) string {
	switch n := e.(type) {
	case nil:
		return "-"
	case *kql.Paren:
		return shape(n.X)
	case *kql.And, *kql.Or:
		terms, sep := []kql.Expr(nil), " and "
		if a, ok := n.(*kql.And); ok {
			terms = a.Terms
		} else {
			terms, sep = n.(*kql.Or).Terms, " or "
		}
		parts := make([]string, len(terms))
		for i, t := range terms {
			parts[i] = shape(t)
		}
		return "(" + strings.Join(parts, sep) + ")"
	case *kql.Cond:
		kinds := make([]string, len(n.Values))
		for i, v := range n.Values {
			kinds[i] = map[kql.ValueKind]string{kql.String: "s", kql.Number: "n", kql.Func: "f:" + v.Text}[v.Kind]
		}
		return n.Field + " " + string(n.Op) + " [" + strings.Join(kinds, ",") + "]"
	}
	return "?"
}

// stringValues lists the string values of a condition in order.
func stringValues(e kql.Expr) []string {
	var out []string
	var walkQ func(kql.Expr)
	walkQ = func(e kql.Expr) {
		switch n := e.(type) {
		case *kql.Paren:
			walkQ(n.X)
		case *kql.And:
			for _, t := range n.Terms {
				walkQ(t)
			}
		case *kql.Or:
			for _, t := range n.Terms {
				walkQ(t)
			}
		case *kql.Cond:
			for _, v := range n.Values {
				if v.Kind == kql.String {
					out = append(out, v.Text)
				}
			}
		}
	}
	walkQ(e)
	return out
}

// injection templates: a placeholder compared with a text or user field,
// whose value Kintone receives as a string literal.
var injectionTemplates = []string{
	"SELECT $id FROM ORD WHERE title = ?",
	"SELECT $id FROM ORD WHERE title = ? AND $id > 3",
	"SELECT $id FROM ORD WHERE title IN (?, 'fixed') OR amount = 1",
	"SELECT $id FROM ORD WHERE owner IN (?) AND status = 'open'",
	"SELECT $id FROM ORD WHERE 顧客名 = ? AND (url = ? OR $id = 2)",
	"SELECT item FROM ORD.items WHERE item = ?",
	"SELECT COUNT(*) FROM ORD WHERE owner NOT IN (?, LOGINUSER())",
}

// FuzzTranslate shows that no argument can change the structure of the
// query sent to Kintone: whatever the text, the printed query parses back
// (kql.Parse) into the same tree as with a harmless argument, and every
// argument comes back as exactly one string value, unchanged.
func FuzzTranslate(f *testing.F) {
	for _, s := range []string{
		`x`, `" or $id > 0 or title = "`, `\`, `"`, `\"`, "a\nb\tc\r", `") order by $id desc limit 1 --`,
		`' OR 1=1 --`, "日本語\u3000", `%_`, "\x00", `)(`, `LOGINUSER()`, "in (\"a\")", strings.Repeat(`\"`, 50),
	} {
		f.Add(s)
	}
	ctx := context.Background()
	schema := testSchema()
	type ref struct {
		p     *Prepared
		shape string
	}
	var refs []ref
	for _, sql := range injectionTemplates {
		p, err := Prepare(ctx, sql, schema, Options{})
		if err != nil {
			f.Fatalf("Prepare(%q): %v", sql, err)
		}
		vals := make([]any, p.NumInput())
		for i := range vals {
			vals[i] = "harmless"
		}
		st, err := p.Bind(ctx, args(vals...))
		if err != nil {
			f.Fatalf("Bind(%q): %v", sql, err)
		}
		refs = append(refs, ref{p: p, shape: shape(st.(*Select).Read.Query.Where)})
	}
	f.Fuzz(func(t *testing.T, arg string) {
		if arg == "" || !utf8.ValidString(arg) {
			return // "" is no value for a text (it is NULL's), and Go strings from database/sql are UTF-8 in practice
		}
		for i, r := range refs {
			vals := make([]any, r.p.NumInput())
			for j := range vals {
				vals[j] = arg
			}
			st, err := r.p.Bind(ctx, args(vals...))
			if err != nil {
				t.Fatalf("%s with %q: %v", injectionTemplates[i], arg, err)
			}
			q := st.(*Select).Read.Query.String()
			parsed, err := kql.Parse(q)
			if err != nil {
				t.Fatalf("%s with %q printed %q, which does not parse: %v", injectionTemplates[i], arg, q, err)
			}
			if got := shape(parsed.Where); got != r.shape {
				t.Fatalf("%s with %q changed the query's structure:\n%s\nwant %s\nquery %s", injectionTemplates[i], arg, got, r.shape, q)
			}
			for _, v := range stringValues(parsed.Where) {
				if v != arg && v != "fixed" && v != "open" {
					t.Fatalf("%s with %q: the query holds the value %q", injectionTemplates[i], arg, v)
				}
			}
		}
	})
}

// FuzzStatement feeds arbitrary statements to the translator: it must
// never panic, and whatever it plans must print a query Kintone can parse.
func FuzzStatement(f *testing.F) {
	for _, sql := range []string{
		"SELECT * FROM ORD", "SELECT title FROM ORD WHERE amount > 5 AND title LIKE 'a%' ORDER BY due DESC LIMIT 3",
		"SELECT status, COUNT(*) FROM ORD GROUP BY status HAVING COUNT(*) > 1", "SELECT * FROM ORD.items WHERE qty IN (1, 2)",
		"SHOW COLUMNS FROM ORD LIKE 'a%'", "DESCRIBE ORD", "EXPLAIN SELECT 1", "SELECT $id FROM ORD WHERE NOT (due < TODAY() AND tags NOT IN ('a'))",
		"SELECT `顧客名` FROM `ORD` WHERE 顧客名 = '山田'", "SELECT x FROM (SELECT 1)", "SELECT 1 FROM ORD JOIN ORD",
		"EXPLAIN UPDATE ORD SET amount = amount + 1 WHERE title LIKE 'a%' ORDER BY due LIMIT 3", "EXPLAIN DELETE FROM ORD WHERE $id IN (1, 2)",
	} {
		f.Add(sql)
	}
	ctx := context.Background()
	schema := testSchema()
	f.Fuzz(func(t *testing.T, sql string) {
		p, err := Prepare(ctx, sql, schema, Options{})
		if err != nil {
			return
		}
		vals := make([]any, p.NumInput())
		for i := range vals {
			vals[i] = int64(1)
		}
		nv := args(vals...)
		if p.src.NumQ == 0 {
			nv = nil
			seen := map[string]bool{}
			for _, ref := range p.src.Params {
				if !seen[ref.Name] {
					seen[ref.Name] = true
					nv = append(nv, namedArg(ref.Name, int64(1)))
				}
			}
		}
		st, err := p.Bind(ctx, nv)
		if err != nil {
			return
		}
		s, ok := st.(*Select)
		if !ok {
			return // a write: its reads, if any, are checked through EXPLAIN
		}
		if s.Read != nil {
			if _, err := kql.Parse(s.Read.Query.String()); err != nil {
				t.Fatalf("%q planned %q, which does not parse: %v", sql, s.Read.Query.String(), err)
			}
		}
	})
}
