package kintone_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"database/sql"
	"encoding/pem"
	"errors"
	"log/slog"
	"math/big"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kintone-sql/kintone"
	"github.com/kintone-sql/kintone/dsn"
	"github.com/kintone-sql/kintone/kintonetest"
)

func newEmulator(t *testing.T, opts ...kintonetest.Option) *kintonetest.Server {
	t.Helper()
	srv, err := kintonetest.NewServer(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

func openDB(t *testing.T, dsnText string) *sql.DB {
	t.Helper()
	db, err := sql.Open("kintone", dsnText)
	if err != nil {
		t.Fatalf("sql.Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	var ae *kintone.APIError
	if !errors.As(err, &ae) || ae.Code != code {
		t.Fatalf("error %v (%T), want Kintone code %s", err, err, code)
	}
}

func TestPingEachCredential(t *testing.T) {
	srv := newEmulator(t, kintonetest.WithUser(kintonetest.User{Login: "admin", Password: "p@ss:w/rd"}))
	app, err := srv.CreateApp(kintonetest.App{Name: "Ping", Fields: []kintonetest.Field{{Code: "t", Type: "SINGLE_LINE_TEXT"}}})
	if err != nil {
		t.Fatal(err)
	}
	token := srv.AddAPIToken(app, kintonetest.ReadOnly())
	oauth := srv.AddOAuthToken("admin", kintonetest.ScopeRecordRead)
	ctx := context.Background()

	t.Run("password", func(t *testing.T) {
		if err := openDB(t, srv.DSNFor("admin", "p@ss:w/rd")).PingContext(ctx); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("wrong password", func(t *testing.T) {
		err := openDB(t, srv.DSNFor("admin", "hunter2-wrong")).PingContext(ctx)
		wantCode(t, err, "CB_WA01")
		if strings.Contains(err.Error(), "hunter2-wrong") {
			t.Fatalf("the password leaked into %q", err)
		}
	})
	t.Run("api token with its app", func(t *testing.T) {
		if err := openDB(t, srv.TokenDSN(token)+"&appId="+itoa(app)).PingContext(ctx); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("api token without an app", func(t *testing.T) {
		if err := openDB(t, srv.TokenDSN(token)).PingContext(ctx); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("unknown api token", func(t *testing.T) {
		err := openDB(t, srv.TokenDSN("notAToken123")).PingContext(ctx)
		wantCode(t, err, "GAIA_IA02")
		if strings.Contains(err.Error(), "notAToken123") {
			t.Fatalf("the token leaked into %q", err)
		}
	})
	t.Run("oauth", func(t *testing.T) {
		if err := openDB(t, srv.URL+"/?oauthToken="+url.QueryEscape(oauth)).PingContext(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func TestPingBasicLayerAndGuestSpace(t *testing.T) {
	srv := newEmulator(t, kintonetest.WithBasicAuth("gate", "keeper"))
	app, err := srv.CreateApp(kintonetest.App{Name: "Guest", GuestSpace: 7, Fields: []kintonetest.Field{{Code: "t", Type: "SINGLE_LINE_TEXT"}}})
	if err != nil {
		t.Fatal(err)
	}
	token := srv.AddAPIToken(app, kintonetest.ReadOnly())
	ctx := context.Background()
	base := srv.TokenDSN(token) + "&appId=" + itoa(app) + "&guestSpace=7"
	wantCode(t, openDB(t, base).PingContext(ctx), "CB_AU01")
	if err := openDB(t, base+"&basicAuthUser=gate&basicAuthPassword=keeper").PingContext(ctx); err != nil {
		t.Fatal(err)
	}
	// The same app through the non-guest path is refused.
	noGuest := srv.TokenDSN(token) + "&appId=" + itoa(app) + "&basicAuthUser=gate&basicAuthPassword=keeper"
	wantCode(t, openDB(t, noGuest).PingContext(ctx), "GAIA_IL23")
}

func TestPingClientCertificateOverTLS(t *testing.T) {
	dir := t.TempDir()
	caKey, caCert := testCA(t)
	pool := x509.NewCertPool()
	pool.AddCert(caCert)
	srv := newEmulator(t, kintonetest.WithClientCAs(pool))
	serverCA := filepath.Join(dir, "server-ca.pem")
	writePEM(t, serverCA, "CERTIFICATE", srv.Certificate().Raw)
	clientPEM := filepath.Join(dir, "client.pem")
	certDER, keyDER := testLeaf(t, caKey, caCert)
	writePEM(t, clientPEM, "CERTIFICATE", certDER)
	appendPEM(t, clientPEM, "PRIVATE KEY", keyDER)

	ctx := context.Background()
	base := srv.DSN() + "?caFile=" + url.QueryEscape(serverCA)
	cfg, err := dsn.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	attempts := 0
	noCert := sql.OpenDB(kintone.NewConnector(cfg, kintone.WithRequestHook(func(kintone.RequestInfo) { attempts++ })))
	defer noCert.Close()
	if err := noCert.PingContext(ctx); err == nil {
		t.Fatal("a ping without a client certificate got through")
	}
	if attempts != 1 {
		t.Fatalf("a refused client certificate was tried %d times; retrying cannot cure it", attempts)
	}
	if err := openDB(t, base+"&clientCert="+url.QueryEscape(clientPEM)).PingContext(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestOpenRejectsBadDSNs(t *testing.T) {
	for _, tc := range []struct{ dsn, want string }{
		{"https://example.cybozu.com/?pagesize=10", "pageSize"},    // a typo: the nearest key is suggested
		{"https://example.cybozu.com/?frobnicate=1", "frobnicate"}, // unknown key named
		{"https://example.cybozu.com/?pageSize=501", "pageSize"},   // out of range
		{"http://example.cybozu.com/?user=a&password=b", "http"},   // http to a non-loopback host
		{"Url=https://x.cybozu.com;User=a;Password=s3cr3t!;Pagesize=501", "Pagesize"},
	} {
		_, err := sql.Open("kintone", tc.dsn)
		if err == nil {
			db, _ := sql.Open("kintone", tc.dsn)
			err = db.Ping()
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to name %q", tc.dsn, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "s3cr3t!") {
			t.Errorf("%s: the password leaked into %q", tc.dsn, err)
		}
	}
}

func TestNewConnectorAndLogsKeepSecrets(t *testing.T) {
	srv := newEmulator(t)
	cfg, err := dsn.Parse(srv.DSNFor("admin", "admin"))
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	db := sql.OpenDB(kintone.NewConnector(cfg, kintone.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))))
	defer db.Close()
	if err := db.Ping(); err != nil {
		t.Fatal(err)
	}
	if logs.Len() == 0 {
		t.Fatal("no request was logged")
	}
	for _, secret := range []string{"admin:admin", "YWRtaW46YWRtaW4="} {
		if strings.Contains(logs.String(), secret) {
			t.Fatalf("the log holds a secret: %s", logs.String())
		}
	}
	// A nil or invalid config fails at first use, naming the problem.
	if err := sql.OpenDB(kintone.NewConnector(nil)).Ping(); err == nil {
		t.Fatal("nil config: no error")
	}
	bad := cfg.Clone()
	bad.PageSize = 9999
	if err := sql.OpenDB(kintone.NewConnector(bad)).Ping(); err == nil || !strings.Contains(err.Error(), "PageSize") {
		t.Fatalf("invalid config: %v", err)
	}
}

func itoa(n int64) string { return big.NewInt(n).String() }

func testCA(t *testing.T) (*ecdsa.PrivateKey, *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return key, cert
}

func testLeaf(t *testing.T, caKey *ecdsa.PrivateKey, ca *x509.Certificate) (certDER, keyDER []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "kintone-sql test client"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, KeyUsage: x509.KeyUsageDigitalSignature}
	certDER, err = x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err = x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return certDER, keyDER
}

func writePEM(t *testing.T, path, typ string, der []byte) {
	t.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}

func appendPEM(t *testing.T, path, typ string, der []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := pem.Encode(f, &pem.Block{Type: typ, Bytes: der}); err != nil {
		t.Fatal(err)
	}
}
