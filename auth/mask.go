package auth

import (
	"fmt"
	"io"
)

// formatMasked writes s for every verb, so that no fmt verb (%d, %x, %#v,
// ...) can walk into a credential's fields and print a secret.
func formatMasked(f fmt.State, s string) {
	_, _ = io.WriteString(f, s)
}

// visibleASCII reports whether s is non-empty and made only of printable
// ASCII other than space, which is what a token in an HTTP header may hold.
func visibleASCII(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}
