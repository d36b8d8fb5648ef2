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

// secret holds a credential (a finished header value) where fmt cannot
// print it. fmt prints the fields of a struct it reaches through an
// unexported field without calling any method, and prints a pointer met
// that way field by field for %s, %q, %x and %d: a user's struct holding an
// authenticator in an unexported field would print a plain string field.
// fmt never prints what a *string points to, at any depth, with any verb.
type secret struct{ p *string }

// newSecret returns s held as a secret.
func newSecret(s string) secret { return secret{p: &s} }

// reveal returns the credential, for the request header only.
func (s secret) reveal() string { return *s.p }

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
