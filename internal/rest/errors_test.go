package rest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/dsn"
)

func TestAPIErrorDecoding(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		want        APIError
		text        string
		retryable   bool
	}{
		{
			name: "validation error", status: 400, contentType: "application/json;charset=utf-8",
			body: `{"code":"CB_VA01","id":"aBc8xyRm9kiFutkr90f1","message":"Missing or invalid input.",
				"errors":{"record.title.value":{"messages":["Required."]},"record[num].value":{"messages":["Only numbers are allowed.","x"]}}}`,
			want: APIError{Status: 400, Code: "CB_VA01", ID: "aBc8xyRm9kiFutkr90f1", Message: "Missing or invalid input.",
				Errors: map[string][]string{"record.title.value": {"Required."}, "record[num].value": {"Only numbers are allowed.", "x"}}},
			text: "kintone: 400 CB_VA01: Missing or invalid input. [record.title.value: Required.; record[num].value: Only numbers are allowed. x] (id: aBc8xyRm9kiFutkr90f1)",
		},
		{
			name: "record not found", status: 404, contentType: "application/json",
			body: `{"code":"GAIA_RE01","id":"x1","message":"The specified record (ID: 5) is not found."}`,
			want: APIError{Status: 404, Code: "GAIA_RE01", ID: "x1", Message: "The specified record (ID: 5) is not found."},
			text: "kintone: 404 GAIA_RE01: The specified record (ID: 5) is not found. (id: x1)",
		},
		{
			name: "JSON without the JSON content type", status: 401, contentType: "text/plain",
			body: ` {"code":"CB_WA01","id":"i","message":"Password authentication failed."}`,
			want: APIError{Status: 401, Code: "CB_WA01", ID: "i", Message: "Password authentication failed."},
		},
		{
			name: "414 HTML page", status: 414, contentType: "text/html",
			body: "<html><head><title>414 Request-URI Too Large</title></head><body>secret-echo</body></html>",
			want: APIError{Status: 414, Message: "Request URI Too Long (not a Kintone error body)"},
			text: "kintone: 414: Request URI Too Long (not a Kintone error body)",
		},
		{
			name: "proxy 502 text", status: 502, contentType: "text/plain",
			body: "Bad Gateway: upstream said secret-echo",
			want: APIError{Status: 502, Message: "Bad Gateway (not a Kintone error body)"}, retryable: true,
		},
		{
			name: "maintenance 503 without type", status: 503, body: "Service temporarily unavailable",
			want: APIError{Status: 503, Message: "Service Unavailable (not a Kintone error body)"}, retryable: true,
		},
		{
			name: "broken JSON", status: 500, contentType: "application/json", body: `{"code":"GAIA_`,
			want: APIError{Status: 500, Message: "Internal Server Error (not a Kintone error body)"},
		},
		{
			name: "JSON without a code", status: 404, contentType: "application/json", body: `{"message":"nope"}`,
			want: APIError{Status: 404, Message: "Not Found (not a Kintone error body)"},
		},
		{
			name: "unknown status", status: 520, contentType: "text/plain", body: "x",
			want: APIError{Status: 520, Message: "HTTP status 520 (not a Kintone error body)"},
		},
		{
			name: "concurrency limit", status: 429, contentType: "application/json",
			body: `{"code":"GAIA_TO04","id":"i","message":"The number of concurrent API requests exceeds the limit."}`,
			want: APIError{Status: 429, Code: "GAIA_TO04", ID: "i", Message: "The number of concurrent API requests exceeds the limit."}, retryable: true,
		},
		{
			name: "cursor pool", status: 429, contentType: "application/json",
			body: `{"code":"GAIA_TM12","id":"i","message":"m"}`,
			want: APIError{Status: 429, Code: "GAIA_TM12", ID: "i", Message: "m"},
		},
		{
			name: "database lock", status: 500, contentType: "application/json",
			body: `{"code":"GAIA_LT01","id":"i","message":"m"}`,
			want: APIError{Status: 500, Code: "GAIA_LT01", ID: "i", Message: "m"}, retryable: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
				if tt.contentType != "" {
					w.Header().Set("Content-Type", tt.contentType)
				} else {
					w.Header()["Content-Type"] = nil // no sniffing
				}
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			})
			c, _ := newClient(t, s, func(cfg *dsn.Config, _ *Options) { cfg.MaxRetries = 0 })
			_, err := c.GetRecords(context.Background(), GetRecordsRequest{App: 1})
			var ae *APIError
			if !errors.As(err, &ae) {
				t.Fatalf("error %v (%T), want *APIError", err, err)
			}
			if ae.Status != tt.want.Status || ae.Code != tt.want.Code || ae.ID != tt.want.ID || ae.Message != tt.want.Message ||
				len(ae.Errors) != len(tt.want.Errors) {
				t.Errorf("got %#v\nwant %#v", *ae, tt.want)
			}
			for k, v := range tt.want.Errors {
				if strings.Join(ae.Errors[k], "|") != strings.Join(v, "|") {
					t.Errorf("Errors[%q] = %q, want %q", k, ae.Errors[k], v)
				}
			}
			if tt.text != "" && err.Error() != tt.text {
				t.Errorf("Error() = %q\nwant      %q", err, tt.text)
			}
			if strings.Contains(err.Error(), "secret-echo") {
				t.Errorf("Error() repeats a non-Kintone body: %q", err)
			}
			if ae.Retryable() != tt.retryable {
				t.Errorf("Retryable() = %v, want %v", ae.Retryable(), tt.retryable)
			}
		})
	}
}

func TestAPIErrorIs(t *testing.T) {
	err := error(&BulkError{Index: 3, Err: &APIError{Status: 409, Code: "GAIA_CO02"}})
	if !errors.Is(err, &APIError{Code: "GAIA_CO02"}) {
		t.Error("errors.Is by code failed")
	}
	if errors.Is(err, &APIError{Code: "GAIA_RE01"}) {
		t.Error("errors.Is matched another code")
	}
	if !errors.Is(err, &APIError{Status: 409}) || errors.Is(err, &APIError{Status: 404}) {
		t.Error("errors.Is by status is wrong")
	}
	if errors.Is(err, &APIError{}) {
		t.Error("an empty target matched")
	}
}

// TestNoRedirect checks that a redirect is not followed, so credentials
// never travel to the redirect's target.
func TestNoRedirect(t *testing.T) {
	other := newServer(t, okPage)
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		http.Redirect(w, r, other.URL+"/k/v1/records.json", http.StatusFound)
	})
	c, p := newClient(t, s, nil)
	_, err := c.GetRecords(context.Background(), GetRecordsRequest{App: 1})
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != http.StatusFound {
		t.Errorf("error %v, want a 302 APIError", err)
	}
	if n := len(other.requests()); n != 0 {
		t.Errorf("the redirect target got %d requests", n)
	}
	if p.attempts() != 1 {
		t.Errorf("attempts = %d", p.attempts())
	}
}

func TestResponseCap(t *testing.T) {
	big := `{"records":[],"padding":"` + strings.Repeat("x", 1000) + `"}`
	for _, tt := range []struct {
		name    string
		chunked bool
	}{{"with Content-Length", false}, {"chunked", true}} {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
				w.Header().Set("Content-Type", "application/json")
				if tt.chunked {
					_, _ = w.Write([]byte(big[:10]))
					w.(http.Flusher).Flush()
					_, _ = w.Write([]byte(big[10:]))
					return
				}
				_, _ = w.Write([]byte(big))
			})
			c, p := newClient(t, s, func(cfg *dsn.Config, _ *Options) { cfg.MaxResponseBytes = 100 })
			_, err := c.GetRecords(context.Background(), GetRecordsRequest{App: 1})
			if !errors.Is(err, ErrResponseTooLarge) || !strings.Contains(err.Error(), "100 bytes") {
				t.Errorf("error %v, want ErrResponseTooLarge naming the cap", err)
			}
			if p.attempts() != 1 {
				t.Errorf("attempts = %d, want 1", p.attempts())
			}
			if _, err := c.Apps(context.Background(), AppsQuery{}); !errors.Is(err, ErrResponseTooLarge) {
				t.Errorf("JSON decode path: error %v, want ErrResponseTooLarge", err)
			}
		})
	}
	t.Run("exactly at the cap", func(t *testing.T) {
		s := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, 200, emptyPage) })
		c, _ := newClient(t, s, func(cfg *dsn.Config, _ *Options) { cfg.MaxResponseBytes = int64(len(emptyPage)) })
		if _, err := c.GetRecords(context.Background(), GetRecordsRequest{App: 1}); err != nil {
			t.Errorf("a body of exactly the cap failed: %v", err)
		}
	})
	t.Run("error body over the cap", func(t *testing.T) {
		s := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
			reply(w, 400, `{"code":"CB_VA01","id":"i","message":"`+strings.Repeat("m", 500)+`"}`)
		})
		c, _ := newClient(t, s, func(cfg *dsn.Config, _ *Options) { cfg.MaxResponseBytes = 100 })
		_, err := c.GetRecords(context.Background(), GetRecordsRequest{App: 1})
		var ae *APIError
		if !errors.As(err, &ae) || ae.Status != 400 {
			t.Errorf("error %v, want a 400 APIError", err)
		}
	})
}

func TestHook(t *testing.T) {
	s := newServer(t, script(status(503, ""), okAnswer))
	c, p := newClient(t, s, nil)
	if _, err := c.GetRecords(context.Background(), GetRecordsRequest{App: 1}); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteCursor(context.Background(), "c"); err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.infos) != 3 {
		t.Fatalf("hook called %d times, want 3", len(p.infos))
	}
	first, second, third := p.infos[0], p.infos[1], p.infos[2]
	if first.Method != "GET" || first.Path != "/k/v1/records.json" || first.Status != 503 || first.Attempt != 1 ||
		first.Bytes != int64(len("Service Unavailable")) || first.Err == nil {
		t.Errorf("first attempt %+v", first)
	}
	if second.Status != 200 || second.Attempt != 2 || second.Err != nil || second.Bytes == 0 {
		t.Errorf("second attempt %+v", second)
	}
	if third.Method != "DELETE" || third.Path != "/k/v1/records/cursor.json" || third.Attempt != 1 {
		t.Errorf("third attempt %+v", third)
	}
}

// TestLogging checks what the log records hold and that no credential,
// query value or body reaches them.
func TestLogging(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			kintoneError(w, 429, CodeConcurrencyLimit)
			return
		}
		if r.Method == http.MethodPost {
			reply(w, 200, `{"ids":["1"],"revisions":["1"]}`)
			return
		}
		reply(w, 200, `{"records":[{"secretfield":{"type":"SINGLE_LINE_TEXT","value":"SECRET-VALUE"}}],"totalCount":null}`)
	})
	for _, creds := range []func(*dsn.Config){
		func(c *dsn.Config) {
			c.APITokens, c.User, c.Password, c.BasicAuthUser, c.BasicAuthPassword = nil, "alice", "SECRET-PASSWORD", "bu", "SECRET-BASIC"
		},
		func(c *dsn.Config) { c.APITokens = []string{"SECRET-TOKEN-1", "SECRET-TOKEN-2"} },
		func(c *dsn.Config) { c.APITokens, c.OAuthToken = nil, "SECRET-OAUTH" },
	} {
		var buf bytes.Buffer
		logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
		c, _ := newClient(t, s, func(cfg *dsn.Config, o *Options) { creds(cfg); o.Logger = logger })
		ctx := context.Background()
		if _, err := c.GetRecords(ctx, GetRecordsRequest{App: 1, Query: `title = "SECRET-QUERY"`, Fields: []string{"secretfield"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.AddRecords(ctx, 1, []Values{{"title": []byte(`"SECRET-BODY"`)}}); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		for _, secret := range []string{"SECRET", "YWxpY2U6", "Basic", "Bearer", "query", "title", "secretfield"} {
			if strings.Contains(out, secret) {
				t.Errorf("log holds %q:\n%s", secret, out)
			}
		}
		for _, want := range []string{`"method":"GET"`, `"path":"/k/v1/records.json"`, `"status":200`, `"status":429`,
			`"code":"GAIA_TO04"`, `"attempt":2`, `"duration":`, `"bytes":`, `"retry":true`, `"method":"POST"`} {
			if !strings.Contains(out, want) {
				t.Errorf("log lacks %s:\n%s", want, out)
			}
		}
		s.mu.Lock()
		s.reqs = nil
		s.mu.Unlock()
	}
}

// TestLoggingOff checks that without a logger nothing is logged through
// the default logger either.
func TestLoggingOff(t *testing.T) {
	var buf bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	defer slog.SetDefault(prev)
	s := newServer(t, okPage)
	c, _ := newClient(t, s, nil)
	if _, err := c.GetRecords(context.Background(), GetRecordsRequest{App: 1}); err != nil {
		t.Fatal(err)
	}
	if buf.Len() != 0 {
		t.Errorf("logged without a logger: %s", buf.String())
	}
}

// A validation error lists its first messages in index order, not text
// order, and says how many it leaves out.
func TestAPIErrorListsFewMessagesInIndexOrder(t *testing.T) {
	errs := map[string][]string{}
	for _, i := range []int{10, 2, 1, 100, 3, 20, 11} {
		errs[fmt.Sprintf("records[%d].price.value", i)] = []string{"Required."}
	}
	e := &APIError{Status: 400, Code: "CB_VA01", Message: "Missing or invalid input.", Errors: errs}
	got := e.Error()
	want := "kintone: 400 CB_VA01: Missing or invalid input. [records[1].price.value: Required.; records[2].price.value: Required.; records[3].price.value: Required.; records[10].price.value: Required.; records[11].price.value: Required.; and 2 more]"
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

// TestMayHaveApplied is the rule of outcome.go, error by error.
func TestMayHaveApplied(t *testing.T) {
	for _, tt := range []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"Kintone validation error", parseAPIError(400, "application/json", []byte(`{"code":"CB_VA01","id":"x","message":"m"}`)), false},
		{"Kintone 503 with a code", parseAPIError(503, "application/json", []byte(`{"code":"GAIA_MA01","id":"x","message":"m"}`)), false},
		{"Kintone 500 with a code", parseAPIError(500, "application/json", []byte(`{"code":"GAIA_RE18","id":"x","message":"m"}`)), false},
		{"bulkRequest failure", parseBulkError(409, "application/json", []byte(`{"results":[{},{"code":"GAIA_CO02","id":"x","message":"m"}]}`)), false},
		{"503 text/html", parseAPIError(503, "text/html", []byte(`<html>503</html>`)), true},
		{"503 plain text", parseAPIError(503, "text/plain", []byte(`Service Unavailable`)), true},
		{"503 JSON of another form", parseAPIError(503, "application/json", []byte(`{"code":"unavailable","message":"m"}`)), true},
		{"503 JSON with a numeric code", parseAPIError(503, "application/json", []byte(`{"code":503,"message":"m"}`)), true},
		{"502", parseAPIError(502, "text/html", nil), true},
		{"504", parseAPIError(504, "text/html", nil), true},
		{"500 without a body", parseAPIError(500, "", nil), true},
		{"429 without a body", parseAPIError(429, "", nil), true},
		{"403 page", parseAPIError(403, "text/html", []byte(`<h1>Forbidden</h1>`)), true},
		{"400 page", parseAPIError(400, "text/html", nil), true},
		{"408 page", parseAPIError(408, "text/html", nil), true},
		{"3xx redirect", parseAPIError(302, "text/html", nil), false},
		{"401 page", parseAPIError(401, "text/html", nil), false},
		{"407 page", parseAPIError(407, "text/html", nil), false},
		{"413 page", parseAPIError(413, "text/html", nil), false},
		{"414 page", parseAPIError(414, "text/html", nil), false},
		{"431 page", parseAPIError(431, "text/html", nil), false},
		{"connection lost after sending", &TransportError{MaybeSent: true, Err: io.ErrUnexpectedEOF}, true},
		{"timeout after sending", &TransportError{MaybeSent: true, Err: context.DeadlineExceeded}, true},
		{"connection refused", &TransportError{MaybeSent: false, Err: errors.New("refused")}, false},
		{"not sent", fmt.Errorf("kintone: POST /k/v1/records.json: building the request: %w: bad", ErrNotSent), false},
		{"too many", fmt.Errorf("kintone: x: %w", ErrTooMany), false},
		{"not encoded", fmt.Errorf("kintone: x: %w", ErrNotEncoded), false},
		{"malformed 2xx", errors.New("kintone: POST /k/v1/records.json: malformed response: unexpected EOF"), true},
		{"2xx too large", fmt.Errorf("kintone: x: %w", ErrResponseTooLarge), true},
		{"waiting to retry after a Kintone 429", fmt.Errorf("kintone: x: %w while waiting to retry after: %w", context.Canceled,
			parseAPIError(429, "application/json", []byte(`{"code":"GAIA_TO04","id":"x","message":"m"}`))), false},
	} {
		if got := MayHaveApplied(tt.err); got != tt.want {
			t.Errorf("%s: MayHaveApplied(%v) = %v, want %v", tt.name, tt.err, got, tt.want)
		}
	}
}

func TestIsKintoneCode(t *testing.T) {
	for code, want := range map[string]bool{
		"GAIA_RE01": true, "CB_VA01": true, "GAIA_TO04": true, "OC_NO02": true, "GAIA_EM01": true,
		"": false, "GAIA": false, "gaia_re01": false, "unavailable": false, "ServiceUnavailable": false,
		"GAIA__RE01": false, "_RE01": false, "GAIA_RE01_": false, "01_RE": false, "GAIA-RE01": false,
		"EMULATOR_FAULT": false, "GAIA_XX": false, "SERVICE_UNAVAILABLE": false, "GATEWAY_TIMEOUT": false,
		"UPSTREAM_RESET": false, "G_RE01": false, "GAIAX_RE01": false, "GAIA_R01": false, "GAIA_RE1": false,
		"GAIA_RE012": false, "GAIA_re01": false,
	} {
		if got := isKintoneCode(code); got != want {
			t.Errorf("isKintoneCode(%q) = %v, want %v", code, got, want)
		}
	}
}
