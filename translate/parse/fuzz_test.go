package parse

import (
	"testing"
)

// FuzzParse checks that Parse never panics, that every span lies within
// the text, and that a statement it accepts prints as text it parses
// back to the same tree (the same print).
func FuzzParse(f *testing.F) {
	for _, s := range genFixed {
		f.Add(s)
	}
	for _, e := range genExprs {
		f.Add("SELECT " + e + " FROM t WHERE " + e)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		p, err := Parse(sql)
		if err != nil {
			return
		}
		Inspect(p.Stmt, func(n Node) bool {
			if n != nil && (n.Pos() < 0 || n.Pos() > n.End() || n.End() > len(sql)) {
				t.Fatalf("%q: %T has span [%d, %d)", sql, n, n.Pos(), n.End())
			}
			return true
		})
		printed := Format(p.Stmt)
		q, err := Parse(printed)
		if err != nil {
			t.Fatalf("%q prints as %q, which does not parse: %v", sql, printed, err)
		}
		if again := Format(q.Stmt); again != printed {
			t.Fatalf("%q prints as\n%q, which reprints as\n%q", sql, printed, again)
		}
		if q.NumInput() != p.NumInput() {
			t.Fatalf("%q: %d inputs, printed %d", sql, p.NumInput(), q.NumInput())
		}
	})
}

// TestRoundTrip runs the fuzz check over the corpus.
func TestRoundTrip(t *testing.T) {
	for _, sql := range append(repoCorpus(t), genStatements()...) {
		p, err := Parse(sql)
		if err != nil {
			continue
		}
		printed := Format(p.Stmt)
		q, err := Parse(printed)
		if err != nil {
			t.Errorf("%q prints as %q, which does not parse: %v", sql, printed, err)
			continue
		}
		if again := Format(q.Stmt); again != printed {
			t.Errorf("%q prints as\n%q, which reprints as\n%q", sql, printed, again)
		}
	}
}
