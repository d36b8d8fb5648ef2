package auth

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/dsn"
	"software.sslmate.com/src/go-pkcs12"
)

const secretCertPassword = "pfx-pa55word"

func TestTLSConfigDefaults(t *testing.T) {
	tc, err := TLSConfig(&dsn.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if tc.MinVersion != tls.VersionTLS12 {
		t.Errorf("MinVersion = %x, want TLS 1.2", tc.MinVersion)
	}
	if tc.InsecureSkipVerify {
		t.Error("InsecureSkipVerify is on")
	}
	if tc.RootCAs != nil || tc.GetClientCertificate != nil || len(tc.Certificates) != 0 {
		t.Error("roots or client certificate set without configuration")
	}
}

func TestTLSConfigCAFile(t *testing.T) {
	pki := newTestPKI(t)
	tc, err := TLSConfig(&dsn.Config{CAFile: pki.caFile})
	if err != nil {
		t.Fatal(err)
	}
	if tc.RootCAs == nil || !tc.RootCAs.Equal(pki.pool()) {
		t.Error("RootCAs is not exactly the CA file's certificates")
	}
	for _, tt := range []struct{ name, path, msg string }{
		{"missing", "/nonexistent/ca.pem", `cannot read the file "/nonexistent/ca.pem"`},
		{"not PEM", writeFile(t, "ca.pem", []byte("hello")), "no PEM certificate"},
	} {
		_, err := TLSConfig(&dsn.Config{CAFile: tt.path})
		assertKeyError(t, err, keyCAFile)
		if !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%s: error %q does not say %q", tt.name, err, tt.msg)
		}
	}
}

// TestClientCertificatePEM loads every supported PEM shape.
func TestClientCertificatePEM(t *testing.T) {
	pki := newTestPKI(t)
	ecKey := newECKey(t)
	ecCert := pki.issue(t, "alice", ecKey.Public(), nil)
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	rsaCert := pki.issue(t, "rsa-user", rsaKey.Public(), nil)
	ecDER, err := x509.MarshalECPrivateKey(ecKey)
	if err != nil {
		t.Fatal(err)
	}
	sec1 := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: ecDER})
	pkcs1 := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rsaKey)})
	ecParams := pem.EncodeToMemory(&pem.Block{Type: "EC PARAMETERS", Bytes: []byte{6, 8, 42, 134, 72, 206, 61, 3, 1, 7}})
	cat := func(parts ...[]byte) []byte { return []byte(strings.Join(bytesToStrings(parts), "")) }

	tests := []struct {
		name      string
		cfg       dsn.Config
		wantCN    string
		wantChain int
	}{
		{"inline PKCS#8", dsn.Config{ClientCert: string(cat(certPEM(ecCert), pkcs8PEM(t, ecKey)))}, "alice", 1},
		{"inline key first, with chain", dsn.Config{ClientCert: string(cat(pkcs8PEM(t, ecKey), certPEM(ecCert), certPEM(pki.ca)))}, "alice", 2},
		{"PKCS#1 file", dsn.Config{ClientCert: writeFile(t, "c.pem", cat(certPEM(rsaCert), pkcs1))}, "rsa-user", 1},
		{"SEC 1 file with EC PARAMETERS", dsn.Config{ClientCert: writeFile(t, "c.crt", cat(ecParams, sec1, certPEM(ecCert)))}, "alice", 1},
		{"unknown extension sniffed", dsn.Config{ClientCert: writeFile(t, "client.cert.txt", cat(certPEM(ecCert), sec1))}, "alice", 1},
		{"type pem forced", dsn.Config{ClientCert: writeFile(t, "c.pfx", cat(certPEM(ecCert), sec1)), ClientCertType: dsn.CertPEM}, "alice", 1},
		{"inline base64 PEM", dsn.Config{ClientCert: "base64:" + base64.StdEncoding.EncodeToString(cat(certPEM(ecCert), sec1)), ClientCertType: dsn.CertPEM}, "alice", 1},
		{"subject picks", dsn.Config{ClientCert: string(cat(certPEM(ecCert), sec1)), ClientCertSubject: "ALICE"}, "alice", 1},
		{"password ignored for plain PEM", dsn.Config{ClientCert: string(cat(certPEM(ecCert), sec1)), ClientCertPassword: secretCertPassword}, "alice", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ClientCertificate(&tt.cfg)
			if err != nil {
				t.Fatalf("ClientCertificate: %v", err)
			}
			checkCert(t, c, tt.wantCN, tt.wantChain)
		})
	}
}

func bytesToStrings(b [][]byte) []string {
	s := make([]string, len(b))
	for i := range b {
		s[i] = string(b[i])
	}
	return s
}

// checkCert checks the leaf's common name, the chain length and that the
// private key belongs to the leaf.
func checkCert(t *testing.T, c *tls.Certificate, cn string, chain int) {
	t.Helper()
	if c.Leaf == nil || c.Leaf.Subject.CommonName != cn {
		t.Fatalf("leaf = %v, want CN=%s", c.Leaf, cn)
	}
	if len(c.Certificate) != chain {
		t.Errorf("chain length = %d, want %d", len(c.Certificate), chain)
	}
	pub := c.PrivateKey.(crypto.Signer).Public().(interface{ Equal(crypto.PublicKey) bool })
	if !pub.Equal(c.Leaf.PublicKey) {
		t.Error("private key does not match the leaf")
	}
	if string(c.Certificate[0]) != string(c.Leaf.Raw) {
		t.Error("chain does not start with the leaf")
	}
}

func TestClientCertificatePEMErrors(t *testing.T) {
	pki := newTestPKI(t)
	key := newECKey(t)
	cert := pki.issue(t, "alice", key.Public(), nil)
	other := newECKey(t)
	keyPEM := string(pkcs8PEM(t, key))
	legacyEncrypted := string(pem.EncodeToMemory(&pem.Block{
		Type:    "EC PRIVATE KEY",
		Headers: map[string]string{"Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-256-CBC,00112233445566778899AABBCCDDEEFF"},
		Bytes:   []byte("ciphertext-ciphertext-ciphertext"),
	}))
	pkcs8Encrypted := string(pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte("ciphertext")}))
	tests := []struct {
		name string
		cfg  dsn.Config
		key  string
		msg  string
	}{
		{"legacy encrypted PEM", dsn.Config{ClientCert: string(certPEM(cert)) + legacyEncrypted, ClientCertPassword: secretCertPassword}, keyClientCert, "openssl pkcs12 -export"},
		{"encrypted PKCS#8", dsn.Config{ClientCert: string(certPEM(cert)) + pkcs8Encrypted, ClientCertPassword: secretCertPassword}, keyClientCert, "is encrypted"},
		{"no key", dsn.Config{ClientCert: string(certPEM(cert))}, keyClientCert, "no private key"},
		{"no certificate", dsn.Config{ClientCert: keyPEM}, keyClientCert, "no CERTIFICATE"},
		{"nothing", dsn.Config{ClientCert: "-----BEGIN nothing"}, keyClientCert, "no PEM certificate or private key"},
		{"two keys", dsn.Config{ClientCert: string(certPEM(cert)) + keyPEM + string(pkcs8PEM(t, other))}, keyClientCert, "more than one private key"},
		{"key mismatch", dsn.Config{ClientCert: string(certPEM(cert)) + string(pkcs8PEM(t, other))}, keyClientCert, "no certificate matches"},
		{"bad key bytes", dsn.Config{ClientCert: string(certPEM(cert)) + string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte("garbage-key-bytes")}))}, keyClientCert, "cannot be parsed"},
		{"bad certificate", dsn.Config{ClientCert: keyPEM + string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte("x")}))}, keyClientCert, "CERTIFICATE block cannot be parsed"},
		{"subject not found", dsn.Config{ClientCert: string(certPEM(cert)) + keyPEM, ClientCertSubject: "carol"}, keyClientCertSubject, `subjects found: "CN=alice,O=Example Corp"`},
		{"pfx type with inline PEM", dsn.Config{ClientCert: string(certPEM(cert)) + keyPEM, ClientCertType: dsn.CertPFX}, keyClientCertType, "inline PEM"},
		{"unknown type", dsn.Config{ClientCert: string(certPEM(cert)) + keyPEM, ClientCertType: "jks"}, keyClientCertType, "unknown type"},
		{"missing file", dsn.Config{ClientCert: "/nonexistent/client.pem"}, keyClientCert, `cannot read the file "/nonexistent/client.pem"`},
		{"password without cert", dsn.Config{ClientCertPassword: secretCertPassword}, keyClientCertPassword, "clientCert is not"},
		{"subject without cert", dsn.Config{ClientCertSubject: "alice"}, keyClientCertSubject, "clientCert is not"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := TLSConfig(&tt.cfg)
			assertKeyError(t, err, tt.key)
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not say %q", err, tt.msg)
			}
			assertNoSecret(t, err.Error(), secretCertPassword, "-----", "ciphertext", "garbage", keyPEM[30:60])
		})
	}
}

// pfxFixture is a PKCS#12 archive and what it holds.
type pfxFixture struct {
	pki        *testPKI
	key        *ecdsa.PrivateKey
	alice, bob *x509.Certificate // both for key
}

func newPFXFixture(t *testing.T) *pfxFixture {
	pki := newTestPKI(t)
	key := newECKey(t)
	return &pfxFixture{
		pki:   pki,
		key:   key,
		alice: pki.issue(t, "alice", key.Public(), nil),
		bob:   pki.issue(t, "bob", key.Public(), nil),
	}
}

func (f *pfxFixture) encode(t *testing.T, enc *pkcs12.Encoder, password string, extra ...*x509.Certificate) []byte {
	t.Helper()
	data, err := enc.Encode(f.key, f.alice, append(extra, f.pki.ca), password)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestClientCertificatePKCS12(t *testing.T) {
	f := newPFXFixture(t)
	modern := f.encode(t, pkcs12.Modern, secretCertPassword)
	inline := base64.StdEncoding.EncodeToString(modern)
	wrapped := "base64:" + inline[:40] + "\n" + inline[40:]
	tests := []struct {
		name      string
		cfg       dsn.Config
		wantCN    string
		wantChain int
	}{
		{"modern .pfx file", dsn.Config{ClientCert: writeFile(t, "c.pfx", modern), ClientCertPassword: secretCertPassword}, "alice", 2},
		{"legacy DES .p12 file", dsn.Config{ClientCert: writeFile(t, "c.p12", f.encode(t, pkcs12.LegacyDES, secretCertPassword)), ClientCertPassword: secretCertPassword}, "alice", 2},
		{"legacy RC2", dsn.Config{ClientCert: writeFile(t, "c.pfx", f.encode(t, pkcs12.LegacyRC2, secretCertPassword)), ClientCertPassword: secretCertPassword}, "alice", 2},
		{"passwordless", dsn.Config{ClientCert: writeFile(t, "c.pfx", f.encode(t, pkcs12.Passwordless, ""))}, "alice", 2},
		{"inline base64 with line break", dsn.Config{ClientCert: wrapped, ClientCertPassword: secretCertPassword}, "alice", 2},
		{"inline unpadded base64", dsn.Config{ClientCert: "base64:" + strings.TrimRight(inline, "="), ClientCertPassword: secretCertPassword}, "alice", 2},
		{"unknown extension sniffed", dsn.Config{ClientCert: writeFile(t, "client.bin", modern), ClientCertPassword: secretCertPassword}, "alice", 2},
		{"type pfx forced", dsn.Config{ClientCert: writeFile(t, "c.pem", modern), ClientCertType: dsn.CertPFX, ClientCertPassword: secretCertPassword}, "alice", 2},
		{"subject picks second", dsn.Config{ClientCert: writeFile(t, "c.pfx", f.encode(t, pkcs12.Modern, secretCertPassword, f.bob)), ClientCertPassword: secretCertPassword, ClientCertSubject: "CN=Bob"}, "bob", 2},
		{"star takes first", dsn.Config{ClientCert: writeFile(t, "c.pfx", f.encode(t, pkcs12.Modern, secretCertPassword, f.bob)), ClientCertPassword: secretCertPassword, ClientCertSubject: "*"}, "alice", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ClientCertificate(&tt.cfg)
			if err != nil {
				t.Fatalf("ClientCertificate: %v", err)
			}
			checkCert(t, c, tt.wantCN, tt.wantChain)
		})
	}
}

func TestClientCertificatePKCS12Errors(t *testing.T) {
	f := newPFXFixture(t)
	modern := f.encode(t, pkcs12.Modern, secretCertPassword)
	inline := "base64:" + base64.StdEncoding.EncodeToString(modern)
	tests := []struct {
		name string
		cfg  dsn.Config
		key  string
		msg  string
	}{
		{"wrong password", dsn.Config{ClientCert: writeFile(t, "c.pfx", modern), ClientCertPassword: "not-" + secretCertPassword}, keyClientCertPassword, "wrong password"},
		{"wrong password inline", dsn.Config{ClientCert: inline, ClientCertPassword: "not-" + secretCertPassword}, keyClientCertPassword, "wrong password"},
		{"missing password", dsn.Config{ClientCert: inline}, keyClientCertPassword, "no password is set"},
		{"legacy wrong password", dsn.Config{ClientCert: writeFile(t, "c.p12", f.encode(t, pkcs12.LegacyDES, secretCertPassword)), ClientCertPassword: "nope"}, keyClientCertPassword, "wrong password"},
		{"not base64", dsn.Config{ClientCert: "base64:***not base64***"}, keyClientCert, "not valid standard base64"},
		{"not a PFX", dsn.Config{ClientCert: writeFile(t, "c.pfx", []byte("definitely not DER")), ClientCertPassword: secretCertPassword}, keyClientCert, "not a usable PKCS#12"},
		{"subject not found", dsn.Config{ClientCert: inline, ClientCertPassword: secretCertPassword, ClientCertSubject: "carol"}, keyClientCertSubject, "CN=alice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := TLSConfig(&tt.cfg)
			assertKeyError(t, err, tt.key)
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not say %q", err, tt.msg)
			}
			assertNoSecret(t, err.Error(), secretCertPassword, tt.cfg.ClientCertPassword, inline[7:47])
		})
	}
}

// TestHandshake runs real mutual TLS against a server on 127.0.0.1 that
// requires and verifies a client certificate.
func TestHandshake(t *testing.T) {
	f := newPFXFixture(t)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.TLS.Version < tls.VersionTLS12 {
			http.Error(w, "old TLS", http.StatusUpgradeRequired)
			return
		}
		_, _ = io.WriteString(w, r.TLS.PeerCertificates[0].Subject.CommonName)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are expected
	srv.TLS = &tls.Config{
		Certificates: []tls.Certificate{f.pki.serverCert(t)},
		ClientAuth:   tls.RequireAndVerifyClientCert,
		ClientCAs:    f.pki.pool(),
		MinVersion:   tls.VersionTLS12,
	}
	srv.StartTLS()
	defer srv.Close()
	if !strings.HasPrefix(srv.URL, "https://127.0.0.1:") {
		t.Fatalf("server not on 127.0.0.1: %s", srv.URL)
	}
	pfxFile := writeFile(t, "client.pfx", f.encode(t, pkcs12.Modern, secretCertPassword, f.bob))

	get := func(cfg *dsn.Config) (string, error) {
		tc, err := TLSConfig(cfg)
		if err != nil {
			t.Fatalf("TLSConfig: %v", err)
		}
		tr := &http.Transport{TLSClientConfig: tc}
		defer tr.CloseIdleConnections()
		resp, err := (&http.Client{Transport: tr}).Get(srv.URL)
		if err != nil {
			return "", err
		}
		defer func() { _ = resp.Body.Close() }()
		b, err := io.ReadAll(resp.Body)
		return string(b), err
	}

	t.Run("client certificate accepted", func(t *testing.T) {
		got, err := get(&dsn.Config{CAFile: f.pki.caFile, ClientCert: pfxFile, ClientCertPassword: secretCertPassword, ClientCertSubject: "bob"})
		if err != nil {
			t.Fatalf("GET: %v", err)
		}
		if got != "bob" {
			t.Errorf("server saw client %q, want bob", got)
		}
	})
	t.Run("no client certificate refused", func(t *testing.T) {
		if _, err := get(&dsn.Config{CAFile: f.pki.caFile}); err == nil {
			t.Error("handshake without client certificate succeeded")
		}
	})
	t.Run("server verified against system roots", func(t *testing.T) {
		_, err := get(&dsn.Config{ClientCert: pfxFile, ClientCertPassword: secretCertPassword})
		var uerr x509.UnknownAuthorityError
		if !errorsAs(err, &uerr) {
			t.Errorf("error = %v, want an unknown-authority verification failure", err)
		}
	})
	t.Run("client certificate from another CA refused", func(t *testing.T) {
		other := newTestPKI(t)
		key := newECKey(t)
		cert := other.issue(t, "mallory", key.Public(), nil)
		inline := string(certPEM(cert)) + string(pkcs8PEM(t, key))
		if _, err := get(&dsn.Config{CAFile: f.pki.caFile, ClientCert: inline}); err == nil {
			t.Error("server accepted a certificate from an unknown CA")
		}
	})
}
