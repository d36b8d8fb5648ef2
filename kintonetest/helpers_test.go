package kintonetest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"testing"
)

// newServer starts an emulator for one test and stops it at the end.
func newServer(t testing.TB, opts ...Option) *Server {
	t.Helper()
	srv, err := NewServer(opts...)
	if err != nil {
		t.Fatalf("NewServer: %v", err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return srv
}

// testApp creates the app most tests use.
func testApp(t testing.TB, srv *Server) int64 {
	t.Helper()
	id, err := srv.CreateApp(App{Name: "Test", Code: "TEST", Fields: []Field{
		{Code: "title", Type: "SINGLE_LINE_TEXT", Unique: true},
		{Code: "num", Type: "NUMBER"},
		{Code: "color", Type: "DROP_DOWN", Options: []string{"red", "blue"}},
	}})
	if err != nil {
		t.Fatalf("CreateApp: %v", err)
	}
	return id
}

// client sends requests to a server with one set of headers.
type client struct {
	t      testing.TB
	srv    *Server
	header http.Header
	http   *http.Client
}

func passwordClient(t testing.TB, srv *Server, login, password string) *client {
	h := http.Header{}
	h.Set("X-Cybozu-Authorization", base64.StdEncoding.EncodeToString([]byte(login+":"+password)))
	return &client{t: t, srv: srv, header: h, http: &http.Client{}}
}

func adminClient(t testing.TB, srv *Server) *client { return passwordClient(t, srv, "admin", "admin") }

func tokenClient(t testing.TB, srv *Server, tokens ...string) *client {
	h := http.Header{}
	for _, tok := range tokens {
		h.Add("X-Cybozu-API-Token", tok)
	}
	return &client{t: t, srv: srv, header: h, http: &http.Client{}}
}

// response is a decoded answer.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into a generic map.
func (r response) JSON(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("response body is not a JSON object: %v\n%s", err, r.Body)
	}
	return m
}

// Code is the Kintone error code of an error response, "" otherwise.
func (r response) Code() string {
	var e struct{ Code string }
	_ = json.Unmarshal(r.Body, &e)
	return e.Code
}

// do sends a request. body, when not nil, is sent as JSON.
func (c *client) do(method, path string, body any) response {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.srv.URL+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	for k, v := range c.header {
		req.Header[k] = v
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return response{Status: res.StatusCode, Header: res.Header, Body: b}
}

// ok sends a request and fails the test unless the answer is 200.
func (c *client) ok(method, path string, body any) map[string]any {
	c.t.Helper()
	r := c.do(method, path, body)
	if r.Status != http.StatusOK {
		c.t.Fatalf("%s %s: status %d: %s", method, path, r.Status, r.Body)
	}
	return r.JSON(c.t)
}

// wantError sends a request and checks the status and Kintone error code.
func (c *client) wantError(method, path string, body any, status int, code string) map[string]any {
	c.t.Helper()
	r := c.do(method, path, body)
	if r.Status != status || r.Code() != code {
		c.t.Fatalf("%s %s: got %d %q, want %d %q: %s", method, path, r.Status, r.Code(), status, code, r.Body)
	}
	got := r.JSON(c.t)
	// Kintone's error shape (REST-API.md §6.1): code, a 20-character
	// request id and a message; a failed bulkRequest answers with results.
	if _, bulk := got["results"]; !bulk {
		id, _ := got["id"].(string)
		msg, _ := got["message"].(string)
		if len(id) != 20 || msg == "" || r.Header.Get("X-Cybozu-Error") != code {
			c.t.Fatalf("%s %s: error body or header not in Kintone's shape: %v %s", method, path, r.Header, r.Body)
		}
	}
	return got
}

// records turns n into record JSON for POST records.json.
func numberedRecords(from, n int) []map[string]any {
	out := make([]map[string]any, n)
	for i := range out {
		out[i] = map[string]any{
			"title": map[string]any{"value": "r" + itoa(int64(from+i))},
			"num":   map[string]any{"value": itoa(int64(from + i))},
		}
	}
	return out
}

func atoiStrict(s string) (int, error) { return strconv.Atoi(s) }

// send sends a request and returns only the transport error, for faults
// that drop the connection.
func (c *client) send(method, path string, body any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequest(method, c.srv.URL+path, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header = c.header.Clone()
	req.Header.Set("Content-Type", "application/json")
	res, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	_, err = io.ReadAll(res.Body)
	return err
}
