package auth

import (
	"bytes"
	"encoding/base64"
	"encoding/gob"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"

	"github.com/kintone-sql/kintone/dsn"
)

// Structs that hold an authenticator the ways user code does.
type (
	holdsExported      struct{ A Authenticator }
	holdsUnexported    struct{ a Authenticator }
	holdsPassword      struct{ p *Password }
	holdsPasswordValue struct{ p Password }
	holdsBasicValue    struct{ b Basic }
)

// TestAuthenticatorsHiddenInEveryEncoding checks that no fmt verb, JSON,
// gob or slog encoding of an authenticator, or of a struct that holds one
// in an exported or unexported field, shows a secret or the header built
// from it.
func TestAuthenticatorsHiddenInEveryEncoding(t *testing.T) {
	cfgs := []*dsn.Config{
		{User: "alice", Password: secretPassword},
		{User: "alice", Password: secretPassword, BasicAuthUser: "bu", BasicAuthPassword: secretBasic},
		{APITokens: []string{secretToken1, secretToken2}, BasicAuthUser: "bu", BasicAuthPassword: secretBasic},
		{APITokens: []string{secretToken1, secretToken2}},
		{OAuthToken: secretOAuth},
	}
	for _, cfg := range cfgs {
		a, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		secrets := secretsOf(cfg)
		for _, h := range headersFor(t, a) {
			secrets = append(secrets, h...)
		}
		secrets = append(secrets, base64.StdEncoding.EncodeToString([]byte("alice:"+secretPassword)))
		holders := map[string]any{
			"Authenticator":   a,
			"holdsExported":   holdsExported{A: a},
			"holdsUnexported": &holdsUnexported{a: a},
		}
		switch v := a.(type) {
		case *Password:
			holders["holdsPassword"] = holdsPassword{p: v}
			holders["holdsPasswordValue"] = holdsPasswordValue{p: *v}
		case *Basic:
			holders["holdsBasicValue"] = holdsBasicValue{b: *v}
		}
		for name, h := range holders {
			var out []string
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x", "%q"} {
				out = append(out, fmt.Sprintf(verb, h))
			}
			j, err := json.Marshal(h)
			if err != nil {
				t.Fatalf("json.Marshal of %s: %v", name, err)
			}
			out = append(out, string(j))
			var buf bytes.Buffer
			_ = gob.NewEncoder(&buf).Encode(h) // unexported fields: gob refuses or writes none
			out = append(out, buf.String())
			buf.Reset()
			slog.New(slog.NewJSONHandler(&buf, nil)).Info("auth", "a", h)
			slog.New(slog.NewTextHandler(&buf, nil)).Info("auth", "a", h)
			out = append(out, buf.String())
			for _, s := range out {
				assertNoSecret(t, fmt.Sprintf("%s of %s: %s", name, a.Scheme(), s), secrets...)
			}
		}
	}
}

// TestTLSConfigPrintsNoKeyMaterial checks that printing the *tls.Config
// TLSConfig returns (a client certificate configured) shows neither the
// private key nor the certificate's bytes: they stay inside a closure.
func TestTLSConfigPrintsNoKeyMaterial(t *testing.T) {
	pki := newTestPKI(t)
	key := newECKey(t)
	leaf := pki.issue(t, "client", key.Public(), nil)
	pemText := string(certPEM(leaf)) + string(pkcs8PEM(t, key))
	tc, err := TLSConfig(&dsn.Config{ClientCert: pemText})
	if err != nil {
		t.Fatal(err)
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x"} {
		for _, v := range []any{tc, *tc.Clone()} {
			s := fmt.Sprintf(verb, v)
			assertNoSecret(t, verb+" of tls.Config", s, key.D.String(), key.D.Text(16), fmt.Sprintf("%x", leaf.Raw[:32]))
		}
	}
}
