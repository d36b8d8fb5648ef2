package dsn

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
)

// secretMark is in every secret value randomConfig makes and in no other
// value, so a leak is easy to spot.
const secretMark = "SECRETMARK"

// randomConfig returns a valid Config with random values in every field.
type gen struct{ r *rand.Rand }

func (g gen) pick(options ...string) string { return options[g.r.IntN(len(options))] }

// text returns a random string from an alphabet with ASCII punctuation
// (including the DSN's separators), non-ASCII letters and spaces, without
// control characters or the upper-case letters of secretMark.
func (g gen) text(minLen, maxLen int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/?#[]%\"<>\\^`{|} "
	runes := []rune(alphabet + "日本語テスト案件éß")
	n := minLen + g.r.IntN(maxLen-minLen+1)
	var b strings.Builder
	for range n {
		b.WriteRune(runes[g.r.IntN(len(runes))])
	}
	return b.String()
}

// secretText returns a random secret: any bytes at all (even invalid UTF-8
// and control characters) around secretMark.
func (g gen) secretText() string {
	b := []byte(g.text(0, 6))
	for range g.r.IntN(3) {
		b = append(b, byte(g.r.IntN(256)))
	}
	return string(b) + secretMark + g.text(0, 6)
}

// token returns a random API-token-like secret: no spaces, controls or commas.
func (g gen) token() string {
	s := strings.NewReplacer(" ", "", ",", "").Replace(g.text(0, 8))
	return s + secretMark + g.pick("", "x", "&=;", "%41", "日本")
}

func (g gen) config() *Config {
	r := g.r
	c := NewConfig()
	c.BaseURL = g.pick("https://example.cybozu.com", "https://a-b.s.cybozu.com:8443", "https://kintone.example.co.jp",
		"https://[2001:db8::1]", "http://127.0.0.1:8080", "http://localhost", "http://[::1]:1")
	if r.IntN(2) == 0 {
		c.GuestSpace = r.Int64N(1<<62) + 1
	}
	if r.IntN(8) == 0 {
		c.BaseURL, c.AllowInsecureHTTP = "http://intranet.example", true
	} else {
		c.AllowInsecureHTTP = r.IntN(4) == 0
	}
	hasPassword := r.IntN(2) == 0
	if hasPassword {
		c.User = strings.ReplaceAll(g.text(1, 10), ":", "")
		if c.User == "" {
			c.User = "u"
		}
		c.Password = g.secretText()
	}
	for range r.IntN(MaxAPITokens + 1) {
		if t := g.token(); !contains(c.APITokens, t) {
			c.APITokens = append(c.APITokens, t)
		}
	}
	hasOAuth := r.IntN(3) == 0
	if hasOAuth {
		c.OAuthToken = strings.ReplaceAll(g.token(), " ", "")
	} else if r.IntN(3) == 0 {
		c.BasicAuthUser = strings.ReplaceAll(g.text(1, 8), ":", "_")
		c.BasicAuthPassword = g.secretText()
	}
	if !hasPassword && !hasOAuth && len(c.APITokens) == 0 {
		c.APITokens = []string{g.token()}
	}
	c.AuthScheme = AuthAuto
	switch r.IntN(4) {
	case 1:
		if hasPassword {
			c.AuthScheme = AuthPassword
		}
	case 2:
		if len(c.APITokens) > 0 {
			c.AuthScheme = AuthAPIToken
		}
	case 3:
		if hasOAuth {
			c.AuthScheme = AuthOAuth
		}
	}
	for range r.IntN(4) {
		if id := r.Int64N(1<<40) + 1; !slices64Contains(c.AppIDs, id) {
			c.AppIDs = append(c.AppIDs, id)
		}
	}
	if n := r.IntN(4); n > 0 {
		c.Apps = map[string]int64{}
		for range n {
			name := strings.TrimSpace(strings.NewReplacer(",", "", ":", "").Replace(g.text(1, 10)))
			if name == "" || isAllDigits(name) {
				name = "app" + name
			}
			c.Apps[name] = r.Int64N(1<<40) + 1
		}
	}
	switch r.IntN(4) {
	case 1:
		c.ClientCert = g.pick("/etc/kintone/me.pfx", `C:\certs\me.p12`, "relative dir/cert file.pem")
		c.ClientCertType = CertType(g.pick("auto", "pfx", "pem"))
	case 2:
		c.ClientCert = "-----BEGIN CERTIFICATE-----\n" + secretMark + "\n-----END CERTIFICATE-----\n"
		c.ClientCertType = CertType(g.pick("auto", "pem"))
	case 3:
		c.ClientCert = "base64:" + secretMark + g.pick("AB", "ABCD", "ABCDE=", "AB\nCD")
		c.ClientCertType = CertType(g.pick("auto", "pfx", "pem"))
	}
	if c.ClientCert != "" {
		if r.IntN(2) == 0 {
			c.ClientCertPassword = g.secretText()
		}
		if r.IntN(2) == 0 {
			c.ClientCertSubject = g.text(1, 12)
			if c.ClientCertSubject == "*" {
				c.ClientCertSubject = "CN=*"
			}
		}
	}
	if r.IntN(2) == 0 {
		c.CAFile = g.pick("/etc/ssl/ca.pem", "ca bundle.pem", "日本/ca.pem")
	}
	switch r.IntN(4) {
	case 1:
		c.Proxy = "direct"
	case 2:
		c.Proxy = "http://proxy.example:3128"
	case 3:
		c.Proxy = g.pick("http", "https", "socks5", "socks5h") + "://pu:" + secretMark + "%40@[::1]:1080"
	}
	c.Timeout = time.Duration(r.Int64N(int64(48 * time.Hour)))
	c.MaxRetries = r.IntN(MaxMaxRetries + 1)
	c.RetryTimeout = time.Duration(r.Int64N(int64(time.Hour)))
	c.MaxResponseBytes = r.Int64N(1 << 40)
	if r.IntN(2) == 0 {
		c.MaxResponseBytes = r.Int64N(1<<10) << (10 * r.IntN(4))
	}
	if r.IntN(2) == 0 {
		c.UserAgent = g.text(1, 20)
	}
	c.PageSize = r.IntN(MaxPageSize) + 1
	c.UseCursor = CursorMode(g.pick("auto", "always", "never"))
	c.MaxRows = r.Int64N(1 << 50)
	c.MaxBufferedRows = r.Int64N(1 << 50)
	c.Concurrency = r.IntN(MaxConcurrency) + 1
	c.MaxCursors = r.IntN(MaxMaxCursors) + 1
	c.Loc = []*time.Location{time.UTC, time.Local, tokyo, mustLoad("America/New_York"),
		time.FixedZone("+05:30", 5*3600+1800), time.FixedZone("-08:00", -8*3600)}[r.IntN(6)]
	return c
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

func slices64Contains(l []int64, n int64) bool {
	for _, x := range l {
		if x == n {
			return true
		}
	}
	return false
}

// TestRoundTrip checks Parse(c.FormatDSN()) == c for random valid Configs,
// that FormatDSN is stable, that String never shows a secret, and that over
// the run every key was written.
func TestRoundTrip(t *testing.T) {
	g := gen{rand.New(rand.NewPCG(1, 2))}
	written := map[string]bool{}
	for i := range 3000 {
		c := g.config()
		if err := c.Validate(); err != nil {
			t.Fatalf("#%d: random Config invalid: %v", i, err)
		}
		s := c.FormatDSN()
		got, err := Parse(s)
		if err != nil {
			t.Fatalf("#%d: Parse(%q): %v", i, s, err)
		}
		if !equalConfig(got, c) {
			t.Fatalf("#%d: round trip changed the Config\n dsn %q\n got %#v\nwant %#v", i, s, got.FormatDSN(), s)
		}
		if s2 := got.FormatDSN(); s2 != s {
			t.Fatalf("#%d: FormatDSN not stable:\n%q\n%q", i, s, s2)
		}
		if str := c.String(); strings.Contains(str, secretMark) {
			t.Fatalf("#%d: String shows a secret: %s", i, str)
		}
		for _, k := range index.all {
			if _, ok := k.get(c); ok {
				written[k.name] = true
			}
		}
	}
	for _, k := range index.all {
		if !written[k.name] {
			t.Errorf("no random Config set key %s; extend gen.config", k.name)
		}
	}
}

// TestTableCoversConfig checks that every Config field is set by exactly one
// key and that every key names a real field, so a new field cannot be left
// out of Parse and FormatDSN.
func TestTableCoversConfig(t *testing.T) {
	fields := map[string]int{}
	for _, k := range index.all {
		fields[k.field]++
	}
	typ := reflect.TypeFor[Config]()
	for i := range typ.NumField() {
		f := typ.Field(i)
		if fields[f.Name] != 1 {
			t.Errorf("Config.%s is set by %d keys, want 1", f.Name, fields[f.Name])
		}
		delete(fields, f.Name)
	}
	for name := range fields {
		t.Errorf("a key names Config.%s, which does not exist", name)
	}
}

// TestKeyTable checks the table's own rules.
func TestKeyTable(t *testing.T) {
	for _, k := range index.all {
		if k.set == nil || k.get == nil || k.check == nil || k.doc == "" || k.typ == "" {
			t.Errorf("key %s lacks set, get, check, doc or typ", k.name)
		}
		if !looksLikeKey(k.name) || k.name[0] < 'a' || k.name[0] > 'z' {
			t.Errorf("key %s is not lowerCamelCase", k.name)
		}
		for _, n := range k.kv {
			if !looksLikeKey(n) {
				t.Errorf("key=value name %s of %s is not a plain name", n, k.name)
			}
		}
		if _, ok := k.get(NewConfig()); ok {
			t.Errorf("key %s differs from its default in NewConfig", k.name)
		}
	}
	for name := range cdataOnly {
		if index.byKV[name] != nil || name != strings.ToLower(name) {
			t.Errorf("cdataOnly holds %s, which is a key or not lower case", name)
		}
	}
	// Names that newKeyIndex must refuse.
	for _, dup := range [][]*key{
		{{name: "a"}, {name: "a"}},
		{{name: "a", kv: []string{"X"}}, {name: "b", kv: []string{"x"}}},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("newKeyIndex accepted a name used twice")
				}
			}()
			newKeyIndex(dup)
		}()
	}
}

// TestKeysAndMarkdown checks the exported views of the table.
func TestKeysAndMarkdown(t *testing.T) {
	ks := Keys()
	if len(ks) != len(index.all) {
		t.Fatalf("Keys returned %d keys, want %d", len(ks), len(index.all))
	}
	ks[0].KeyValueNames[0] = "changed"
	if index.all[0].kv[0] == "changed" {
		t.Error("Keys shares its slices with the table")
	}
	md := MarkdownKeyTable()
	lines := strings.Split(strings.TrimSuffix(md, "\n"), "\n")
	if len(lines) != len(index.all)+2 {
		t.Fatalf("MarkdownKeyTable has %d lines, want %d", len(lines), len(index.all)+2)
	}
	for i, k := range index.all {
		row := lines[i+2]
		if strings.Count(row, " | ") != 4 || !strings.Contains(row, k.kvName()) || !strings.Contains(row, k.doc) {
			t.Errorf("row for %s is wrong: %s", k.name, row)
		}
	}
}

// FuzzParse checks that Parse never panics, that its errors are *Error, and
// that parse -> format -> parse gives the same Config and the same DSN.
func FuzzParse(f *testing.F) {
	for _, tt := range testDSNs {
		f.Add(tt.dsn)
	}
	for _, tt := range badDSNs {
		f.Add(tt.dsn)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Parse(s)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, ErrInvalidDSN) {
				t.Fatalf("Parse(%q) error %T %v is not an *Error", s, err, err)
			}
			return
		}
		s2 := c.FormatDSN()
		c2, err := Parse(s2)
		if err != nil {
			t.Fatalf("Parse(%q) ok, but Parse of its FormatDSN %q: %v", s, s2, err)
		}
		if !equalConfig(c, c2) {
			t.Fatalf("Parse(%q) and Parse(%q) differ", s, s2)
		}
		if s3 := c2.FormatDSN(); s3 != s2 {
			t.Fatalf("FormatDSN not stable: %q then %q", s2, s3)
		}
		again := c.Clone()
		if err := again.Validate(); err != nil || !equalConfig(again, c) {
			t.Fatalf("Validate of Parse(%q) = %v, or changed it", s, err)
		}
		_ = c.String()
		_ = c.LogValue().Resolve()
	})
}

func TestClone(t *testing.T) {
	var nilConfig *Config
	if nilConfig.Clone() != nil {
		t.Error("Clone of nil is not nil")
	}
	c := cfg("https://example.cybozu.com", func(c *Config) {
		c.APITokens, c.AppIDs, c.Apps = []string{"t1"}, []int64{1}, map[string]int64{"a": 1}
	})
	cc := c.Clone()
	if !equalConfig(c, cc) {
		t.Fatal("Clone differs")
	}
	cc.APITokens[0], cc.AppIDs[0], cc.Apps["a"] = "x", 9, 9
	if c.APITokens[0] != "t1" || c.AppIDs[0] != 1 || c.Apps["a"] != 1 {
		t.Error("changing the clone changed the original")
	}
}
