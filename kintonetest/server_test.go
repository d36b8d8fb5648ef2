package kintonetest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestServerListensOnLoopbackAndStops(t *testing.T) {
	srv, err := NewServer()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") {
		t.Fatalf("URL = %q", srv.URL)
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := http.Get(srv.URL + "/_emulator/health"); err == nil {
		t.Fatal("server still answers after Close")
	}
}

func TestTLSWithClientCertificates(t *testing.T) {
	caKey, caCert := newCA(t)
	pool := x509.NewCertPool()
	pool.AddCert(caCert)
	srv := newServer(t, WithClientCAs(pool))
	app := testApp(t, srv)
	if !strings.HasPrefix(srv.URL, "https://") {
		t.Fatalf("URL = %q", srv.URL)
	}
	c := adminClient(t, srv)
	c.http = srv.Client()
	// No client certificate: the handshake fails.
	if err := c.send("GET", "/k/v1/records.json?app="+itoa(app), nil); err == nil {
		t.Fatal("a client without a certificate got through")
	}
	leaf := clientCert(t, caKey, caCert)
	c.http.Transport.(*http.Transport).TLSClientConfig.Certificates = []tls.Certificate{leaf}
	c.ok("GET", "/k/v1/records.json?app="+itoa(app), nil)
}

func TestDataDirSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	srv, err := NewServer(WithDataDir(dir))
	if err != nil {
		t.Fatal(err)
	}
	app := testApp(t, srv)
	c := adminClient(t, srv)
	c.ok("POST", "/k/v1/records.json", map[string]any{"app": app, "records": numberedRecords(0, 50)})
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	srv2 := newServer(t, WithDataDir(dir), WithDemoData())
	c2 := adminClient(t, srv2)
	if n := countRecords(t, c2, app, ""); n != 50 {
		t.Fatalf("after restart: %d records", n)
	}
	// Demo data is only seeded into an empty store.
	apps := c2.ok("GET", "/k/v1/apps.json", nil)["apps"].([]any)
	if len(apps) != 1 {
		t.Fatalf("apps after restart with --demo: %d", len(apps))
	}
}

func TestDemoData(t *testing.T) {
	srv := newServer(t, WithDemoData())
	c := adminClient(t, srv)
	apps := c.ok("GET", "/k/v1/apps.json", nil)["apps"].([]any)
	want := map[string]int{"CUSTOMERS": demoCustomers, "ORDERS": demoOrders, "TASKS": demoTasks}
	if len(apps) != len(want) {
		t.Fatalf("demo apps: %v", apps)
	}
	for _, a := range apps {
		a := a.(map[string]any)
		id, _ := atoiStrict(a["appId"].(string))
		if n := countRecords(t, c, int64(id), ""); n != want[a["code"].(string)] {
			t.Errorf("app %s has %d records, want %d", a["code"], n, want[a["code"].(string)])
		}
	}
	// The data is deterministic: the same seed gives the same first order.
	srv2 := newServer(t, WithDemoData(), WithClock(srv.now))
	q := map[string]any{"app": 2, "query": "order by $id asc limit 1", "fields": []string{"order_no", "customer_code", "total"}}
	a := adminClient(t, srv).ok("GET", "/k/v1/records.json", q)
	b := adminClient(t, srv2).ok("GET", "/k/v1/records.json", q)
	if a["records"].([]any)[0].(map[string]any)["total"].(map[string]any)["value"] != b["records"].([]any)[0].(map[string]any)["total"].(map[string]any)["value"] {
		t.Fatalf("demo data differs between runs:\n%v\n%v", a, b)
	}
}

func newCA(t *testing.T) (*ecdsa.PrivateKey, *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
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

func clientCert(t *testing.T, caKey *ecdsa.PrivateKey, ca *x509.Certificate) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "client"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, KeyUsage: x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}
