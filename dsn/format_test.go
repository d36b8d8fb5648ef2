package dsn

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestFormatDSN(t *testing.T) {
	for _, tt := range []struct {
		name string
		c    *Config
		want string
	}{
		{"password", cfg("https://example.cybozu.com", pw), "https://alice:s3cret@example.cybozu.com/"},
		{"only defaults left out", cfg("https://example.cybozu.com", func(c *Config) {
			tok(c)
			c.PageSize, c.Concurrency, c.UseCursor, c.AuthScheme, c.ClientCertType, c.Loc = 0, 0, "", "", "", nil
		}), "https://example.cybozu.com/?apiToken=t1"},
		{"zero means none", cfg("https://example.cybozu.com", func(c *Config) {
			tok(c)
			c.Timeout, c.MaxRetries, c.MaxResponseBytes = 0, 0, 0
		}), "https://example.cybozu.com/?apiToken=t1&timeout=0s&maxRetries=0&maxResponseBytes=0"},
		{"escaping", cfg("https://example.cybozu.com", func(c *Config) {
			c.User, c.Password = "a@b:c", "p@/?#:%&+ ;"
			c.APITokens = []string{"t1", "t2"}
			c.UserAgent = "my app/1.0 (a&b=c+d)"
			c.Apps = map[string]int64{"z": 2, "案件": 1, "a b": 3}
		}), "https://a%40b%3Ac:p%40%2F%3F%23%3A%25&+%20;@example.cybozu.com/?apiToken=t1,t2&apps=a%20b:3,z:2,%E6%A1%88%E4%BB%B6:1" +
			"&userAgent=my%20app/1.0%20%28a%26b%3Dc%2Bd%29"},
		{"guest space from an uncanonical URL", &Config{BaseURL: "Example.cybozu.com/k/guest/4/", APITokens: []string{"t"}},
			"https://example.cybozu.com/?guestSpace=4&apiToken=t&timeout=0s&maxRetries=0&retryTimeout=0s&maxResponseBytes=0"},
		{"sizes and durations", cfg("https://example.cybozu.com", func(c *Config) {
			tok(c)
			c.Timeout, c.MaxResponseBytes, c.Loc = 1500*time.Millisecond, 3<<30, tokyo
		}), "https://example.cybozu.com/?apiToken=t1&timeout=1.5s&maxResponseBytes=3GiB&loc=Asia/Tokyo"},
		{"offset zone keeps its plus", cfg("https://example.cybozu.com", func(c *Config) {
			tok(c)
			c.Loc = time.FixedZone("+09:00", 9*3600)
		}), "https://example.cybozu.com/?apiToken=t1&loc=%2B09:00"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.FormatDSN(); got != tt.want {
				t.Errorf("FormatDSN\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestString(t *testing.T) {
	c := cfg("https://example.s.cybozu.com", func(c *Config) {
		pw(c)
		c.APITokens = []string{"t1", "t2", "t3"}
		c.BasicAuthUser, c.BasicAuthPassword = "gate", "gp"
		c.ClientCert, c.ClientCertPassword = "/etc/me.pfx", "cp"
		c.Proxy = "http://pu:pp@proxy:8080"
	})
	want := "https://alice:xxxxx@example.s.cybozu.com/?apiToken=xxxxx,xxxxx,xxxxx&basicAuthUser=gate&basicAuthPassword=xxxxx" +
		"&clientCert=/etc/me.pfx&clientCertPassword=xxxxx&proxy=http://pu:xxxxx@proxy:8080"
	if got := c.String(); got != want {
		t.Errorf("String\n got %s\nwant %s", got, want)
	}
	if got, want := fmt.Sprintf("%#v", c), `dsn.Config("`+want+`")`; got != want {
		t.Errorf("%%#v = %s, want %s", got, want)
	}
	if got := fmt.Sprintf("[%-6.4s]", c); got != "[http  ]" {
		t.Errorf("%%-6.4s = %s: flags are not passed on", got)
	}
	if got := fmt.Sprintf("%d", c); !strings.HasPrefix(got, "%!d(dsn.Config=https://alice:xxxxx@") {
		t.Errorf("%%d = %s", got)
	}
	var nilConfig *Config
	if got := fmt.Sprint(nilConfig); got != "<nil>" {
		t.Errorf("Sprint(nil *Config) = %s", got)
	}
	// A base URL that cannot be shown safely is hidden whole.
	bad := cfg("https://u:pw@example.com", func(*Config) {})
	if got := bad.String(); got != "https://xxxxx/" {
		t.Errorf("String of a URL with userinfo = %s", got)
	}
	// Proxy values that are not URLs are hidden whole; direct is shown.
	for proxy, want := range map[string]string{"direct": "direct", "garbage:pw": masked, "http://proxy:1": "http://proxy:1"} {
		if got := index.byURL["proxy"].redact(proxy); got != want {
			t.Errorf("proxy %q masked as %q, want %q", proxy, got, want)
		}
	}
	// Inline certificates are hidden, file names shown.
	for cert, want := range map[string]string{"a.pfx": "a.pfx", "base64:QUJD": masked, "-----BEGIN X": masked, strings.Repeat("QUJD", 60): masked} {
		if got := index.byURL["clientCert"].redact(cert); got != want {
			t.Errorf("clientCert %.20q masked as %q, want %q", cert, got, want)
		}
	}
}

func TestLogValue(t *testing.T) {
	c := cfg("https://example.cybozu.com", func(c *Config) {
		pw(c)
		c.GuestSpace, c.APITokens, c.PageSize = 3, []string{"t1", "t2"}, 100
	})
	v := c.LogValue()
	if v.Kind() != slog.KindGroup {
		t.Fatalf("LogValue kind %v, want a group", v.Kind())
	}
	got := map[string]string{}
	for _, a := range v.Group() {
		got[a.Key] = a.Value.String()
	}
	want := map[string]string{
		"url": "https://example.cybozu.com", "guestSpace": "3", "user": "alice", "password": masked,
		"apiToken": masked + "," + masked, "pageSize": "100",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("LogValue = %v, want %v", got, want)
	}
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("open", "cfg", c)
	if !strings.Contains(buf.String(), "cfg.url=https://example.cybozu.com cfg.guestSpace=3 cfg.user=alice cfg.password=xxxxx") {
		t.Errorf("slog text output: %s", buf.String())
	}
}

func TestKVScanner(t *testing.T) {
	type item struct {
		name, value string
		st          kvStatus
	}
	for _, tt := range []struct {
		in   string
		want []item
	}{
		{"", nil},
		{" ; ;", nil},
		{"a=1;b=2", []item{{"a", "1", kvOK}, {"b", "2", kvOK}}},
		{" a = x y ; b=", []item{{"a", "x y", kvOK}, {"b", "", kvOK}}},
		{"a=x=y", []item{{"a", "x=y", kvOK}}},
		{`a="x;y";b='it''s'`, []item{{"a", "x;y", kvOK}, {"b", "it's", kvOK}}},
		{`a="say ""hi""" ; b=1`, []item{{"a", `say "hi"`, kvOK}, {"b", "1", kvOK}}},
		{`a=x"y`, []item{{"a", `x"y`, kvOK}}},
		{`a="x`, []item{{"a", "", kvUnclosedQuote}}},
		{`a="x"y;b=1`, []item{{"a", "", kvTextAfterQuote}}},
		{"a;b=1", []item{{"a", "", kvNoEquals}}},
		{"b=1;tail", []item{{"b", "1", kvOK}, {"tail", "", kvNoEquals}}},
		{"=1;b=2", []item{{"", "", kvNoKey}}},
	} {
		sc := kvScanner{s: tt.in}
		var got []item
		for {
			n, v, st := sc.next()
			if st == kvEnd {
				break
			}
			got = append(got, item{n, v, st})
			if st != kvOK {
				break
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("scan %q = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestValueSyntax(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true}, {"1024", 1024, true}, {"1KiB", 1024, true}, {"2mib", 2 << 20, true}, {"3GiB", 3 << 30, true},
		{"5B", 5, true}, {"B", 0, false}, {"KiB", 0, false}, {"-1", 0, false}, {"1.5MiB", 0, false}, {"1MB", 0, false},
		{"9223372036854775807", 1<<63 - 1, true}, {"9223372036854775808", 0, false}, {"8589934592GiB", 0, false},
	} {
		if got, ok := parseSize(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("parseSize(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	for n, want := range map[int64]string{0: "0", 1: "1", 1024: "1KiB", 1536: "1536", 64 << 20: "64MiB", 1 << 31: "2GiB"} {
		if got := formatSize(n); got != want {
			t.Errorf("formatSize(%d) = %s, want %s", n, got, want)
		}
	}
	for in, want := range map[string]time.Duration{"30": 30 * time.Second, "0": 0, "1m30s": 90 * time.Second, "250ms": 250 * time.Millisecond} {
		if got, ok := parseDuration(in); !ok || got != want {
			t.Errorf("parseDuration(%q) = %v, %v", in, got, ok)
		}
	}
	for _, in := range []string{"", "s", "1 s", "9223372037"} {
		if _, ok := parseDuration(in); ok {
			t.Errorf("parseDuration(%q) succeeded", in)
		}
	}
	for in, offset := range map[string]int{"+09:00": 9 * 3600, "-05:30": -(5*3600 + 1800), "+00:00": 0} {
		loc, ok := parseLocation(in)
		if !ok || loc.String() != in {
			t.Fatalf("parseLocation(%q) = %v, %v", in, loc, ok)
		}
		if _, got := time.Date(2024, 1, 1, 0, 0, 0, 0, loc).Zone(); got != offset {
			t.Errorf("offset of %s = %d, want %d", in, got, offset)
		}
	}
	for _, in := range []string{"", "+24:00", "+09:60", "09:00", "+9:00", "Nowhere/City", "../etc/passwd"} {
		if _, ok := parseLocation(in); ok {
			t.Errorf("parseLocation(%q) succeeded", in)
		}
	}
}
