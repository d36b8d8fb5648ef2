// Package suggest finds the names a mistyped name was probably meant to be,
// for "did you mean" hints: DSN keys, tables and columns.
package suggest

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Distance is the edit distance between a and b: insertions, deletions,
// substitutions and transpositions of two adjacent characters (the
// commonest typo: titel for title) count one each. It is counted in
// characters (runes), so that a Japanese field code one character off is
// at distance 1.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	// Three rows of the optimal string alignment matrix.
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// Close reports whether a name at distance d from candidate is likely a
// typo of it: at most one edit in three characters of the candidate, and
// always one edit.
func Close(d int, candidate string) bool {
	return d <= max(1, utf8.RuneCountInString(candidate)/3)
}

// maxLen bounds the names compared: Distance costs the product of the
// lengths, and no field code, app code or DSN key is longer.
const maxLen = 128

// Nearest returns up to n of the candidates that name is likely a typo of,
// ignoring case, nearest first (ties in the candidates' order), without
// duplicates.
func Nearest(name string, candidates []string, n int) []string {
	if utf8.RuneCountInString(name) > maxLen {
		return nil
	}
	type hit struct {
		name string
		d    int
	}
	var hits []hit
	lower := strings.ToLower(name)
	for _, c := range candidates {
		if c == "" || utf8.RuneCountInString(c) > maxLen || slices.ContainsFunc(hits, func(h hit) bool { return h.name == c }) {
			continue
		}
		if d := Distance(lower, strings.ToLower(c)); Close(d, c) {
			hits = append(hits, hit{c, d})
		}
	}
	if len(hits) == 0 {
		return nil
	}
	slices.SortStableFunc(hits, func(a, b hit) int { return a.d - b.d })
	out := make([]string, 0, min(n, len(hits)))
	for _, h := range hits[:min(n, len(hits))] {
		out = append(out, h.name)
	}
	return out
}
