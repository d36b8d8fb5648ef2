package dsn

import (
	"errors"
	"strings"
	"testing"
)

const (
	base = "https://alice:pw@example.cybozu.com/?maxRows=5&"
	kv   = "Url=https://example.cybozu.com;MaxRows=5;"
)

// badDSNs are invalid DSNs, the key the error must name and a piece of the
// message it must hold.
var badDSNs = []struct {
	name, dsn string
	form      Form
	key, msg  string
}{
	// Neither form.
	{"empty", "  ", "", "", "empty"},
	{"bare host", "example.cybozu.com", "", "", "neither a URL"},

	// The URL's structure.
	{"bad scheme", "ftp://alice:pw@example.cybozu.com/", FormURL, "scheme", "unsupported scheme"},
	{"no host", "https://alice:pw@/", FormURL, "host", "missing host"},
	{"bad host", "https://exa_mple!.com/", FormURL, "host", "invalid host name"},
	{"bad port", "https://example.cybozu.com:99999/", FormURL, "host", "port must be a number"},
	{"empty port", "https://example.cybozu.com:/", FormURL, "host", "empty port"},
	{"bare IPv6", "https://::1/", FormURL, "host", "brackets"},
	{"bad path", "https://alice:pw@example.cybozu.com/k/v1/records.json", FormURL, "path", "/k/guest/<space id>/"},
	{"guest id zero", "https://alice:pw@example.cybozu.com/k/guest/0/", FormURL, "path", "path must be"},
	{"fragment", "https://alice:pw@example.cybozu.com/#x", FormURL, "fragment", "%23"},
	{"bad userinfo escape", "https://alice:%zz@example.cybozu.com/", FormURL, "userinfo", "percent-encoding"},
	{"http on a remote host", "http://example.cybozu.com/?apiToken=t1", FormURL, "scheme", "allowInsecureHTTP=true"},
	{"http on a look-alike host", "http://localhost.example.com/?apiToken=t1", FormURL, "scheme", "loopback"},
	{"guest space conflict", "https://alice:pw@example.cybozu.com/k/guest/5/?guestSpace=6", FormURL, "guestSpace", "differs"},

	// URL-form keys.
	{"unknown key", base + "colour=blue", FormURL, "colour", "unknown key; valid keys are guestSpace, user"},
	{"typo", base + "pageSise=10", FormURL, "pageSise", "did you mean pageSize?"},
	{"case matters", base + "pagesize=10", FormURL, "pagesize", "keys are case-sensitive: did you mean pageSize?"},
	{"CData name in the URL", base + "GuestSpaceId=5", FormURL, "GuestSpaceId", "the URL form calls it guestSpace"},
	{"url key in the URL", base + "url=https://x", FormURL, "url", "the Kintone domain is the URL itself"},
	{"key with odd characters", base + "page%20size=10", FormURL, "", "not a plain name"},
	{"bad key escape", base + "page%zz=1", FormURL, "", "invalid percent-encoding"},
	{"unknown key after a secret", base + "apiToken=t1&colour=blue", FormURL, "", "an unknown key follows apiToken; it is not shown"},
	{"typo after a secret", "https://example.cybozu.com/?user=alice&password=x&pagesize=5", FormURL, "", "did you mean pageSize?"},
	{"unknown key after a userinfo password", "https://alice:pw@example.cybozu.com/?colour=blue", FormURL, "colour", "unknown key"},
	{"query with @ but no userinfo", "https://alice:1?x=y@example.cybozu.com/", FormURL, "", "piece of a password"},
	{"no value", base + "allowInsecureHTTP", FormURL, "allowInsecureHTTP", "has no value"},
	{"empty value", base + "pageSize=", FormURL, "pageSize", "empty value"},
	{"twice", base + "pageSize=1&pageSize=2", FormURL, "pageSize", "given twice"},
	{"user twice", "https://alice:pw@example.cybozu.com/?user=bob", FormURL, "user", "given twice"},
	{"tokens twice", base + "apiToken=t1&apiToken=t2", FormURL, "apiToken", "separated by commas"},
	{"bad value escape", base + "userAgent=%zz", FormURL, "userAgent", "invalid percent-encoding"},

	// Values and limits.
	{"guest space not a number", base + "guestSpace=five", FormURL, "guestSpace", "whole number"},
	{"page size too big", base + "pageSize=501", FormURL, "pageSize", "from 1 to 500"},
	{"page size negative", base + "pageSize=-1", FormURL, "pageSize", "whole number"},
	{"page size huge", base + "pageSize=99999999999999999999", FormURL, "pageSize", "whole number"},
	{"concurrency too big", base + "concurrency=17", FormURL, "concurrency", "from 1 to 16"},
	{"maxCursors above Kintone's limit", base + "maxCursors=11", FormURL, "maxCursors", "from 1 to 10"},
	{"retries too many", base + "maxRetries=11", FormURL, "maxRetries", "from 0 to 10"},
	{"timeout word", base + "timeout=soon", FormURL, "timeout", "duration"},
	{"timeout negative", base + "timeout=-1s", FormURL, "timeout", "negative"},
	{"timeout overflow", base + "timeout=9223372037", FormURL, "timeout", "duration"},
	{"size unit", base + "maxResponseBytes=1MB", FormURL, "maxResponseBytes", "KiB, MiB or GiB"},
	{"max rows", "https://example.cybozu.com/?apiToken=t1&maxRows=-2", FormURL, "maxRows", "whole number"},
	{"bool", base + "allowInsecureHTTP=yes", FormURL, "allowInsecureHTTP", "true or false"},
	{"cursor", base + "useCursor=sometimes", FormURL, "useCursor", "auto, always or never"},
	{"auth scheme", base + "authScheme=session", FormURL, "authScheme", "auto, password, apiToken or oauth"},
	{"cert type", base + "clientCertType=jks", FormURL, "clientCertType", "auto, pfx or pem"},
	{"loc", base + "loc=Mars/Olympus", FormURL, "loc", "IANA time zone"},
	{"loc offset", base + "loc=%2B25:00", FormURL, "loc", "IANA time zone"},
	{"ten tokens", "https://example.cybozu.com/?apiToken=a,b,c,d,e,f,g,h,i,j", FormURL, "apiToken", "at most 9"},
	{"empty token", "https://example.cybozu.com/?apiToken=a,,b", FormURL, "apiToken", "empty token"},
	{"token with a space", "https://example.cybozu.com/?apiToken=a+b", FormURL, "apiToken", "space"},
	{"same token twice", "https://example.cybozu.com/?apiToken=a,a", FormURL, "apiToken", "same token twice"},
	{"app id zero", base + "appId=0", FormURL, "appId", "whole numbers from 1"},
	{"app id twice", base + "appId=4,4", FormURL, "appId", "same app ID twice"},
	{"apps without id", base + "apps=orders", FormURL, "apps", "name:appID"},
	{"apps digits name", base + "apps=42:42", FormURL, "apps", "digits only"},
	{"apps same name", base + "apps=a:1,a:2", FormURL, "apps", "same app name twice"},

	// Credentials.
	{"no credentials", "https://example.cybozu.com/", FormURL, "", "no credentials"},
	{"user without password", "https://alice@example.cybozu.com/?apiToken=t1", FormURL, "user", "password is empty"},
	{"password without user", "https://:pw@example.cybozu.com/", FormURL, "password", "user is empty"},
	{"user with colon", "https://a%3Ab:pw@example.cybozu.com/", FormURL, "user", "':'"},
	{"basic without password", base + "basicAuthUser=gate", FormURL, "basicAuthUser", "basicAuthPassword is empty"},
	{"basic password without user", base + "basicAuthPassword=gp", FormURL, "basicAuthPassword", "basicAuthUser is empty"},
	{"oauth and basic", "https://example.cybozu.com/?oauthToken=x&basicAuthUser=u&basicAuthPassword=p", FormURL, "oauthToken", "Authorization header"},
	{"scheme password without one", "https://example.cybozu.com/?apiToken=t1&authScheme=password", FormURL, "authScheme", "are not both set"},
	{"scheme oauth without token", base + "authScheme=oauth", FormURL, "authScheme", "oauthToken is empty"},
	{"scheme apiToken without tokens", "https://alice:pw@example.cybozu.com/?authScheme=apiToken", FormURL, "authScheme", "apiToken is empty"},
	{"cert password without cert", base + "clientCertPassword=x", FormURL, "clientCertPassword", "clientCert is empty"},
	{"cert subject without cert", base + "clientCertSubject=x", FormURL, "clientCertSubject", "clientCert is empty"},
	{"pfx type with PEM", base + "clientCertType=pfx&clientCert=-----BEGIN%20X", FormURL, "clientCertType", "PEM text"},
	{"bad inline base64", base + "clientCert=base64:***", FormURL, "clientCert", "not valid standard base64"},
	{"blob without prefix", base + "clientCert=" + strings.Repeat("QUJD", 80), FormURL, "clientCert", "base64 certificate material"},
	{"proxy scheme", base + "proxy=ftp://p:21", FormURL, "proxy", "http, https, socks5 or socks5h"},
	{"proxy not a URL", base + "proxy=proxy.example.com", FormURL, "proxy", "must be a URL"},
	{"proxy path", base + "proxy=http://p:1/x", FormURL, "proxy", "path"},
	{"proxy host", base + "proxy=http://p:0", FormURL, "proxy", "port"},
	{"user agent newline", base + "userAgent=a%0Ab", FormURL, "userAgent", "control"},

	// The key=value form.
	{"kv unknown key", kv + "Colour=blue", FormKeyValue, "Colour", "unknown key"},
	{"kv CData property we do not take", "Url=https://example.cybozu.com;Password=x;User=u;SCHEMA=Kintone", FormKeyValue, "SCHEMA", "does not take; this driver reads the Kintone REST API"},
	{"kv CData proxy property", kv + "ProxyServer=proxy", FormKeyValue, "ProxyServer", "use proxy with a URL"},
	{"kv typo", kv + "PageSise=5", FormKeyValue, "PageSise", "did you mean Pagesize?"},
	{"kv typo of a URL name", kv + "maxRetry=1", FormKeyValue, "maxRetry", "did you mean maxRetries?"},
	{"kv error names the spelling", kv + "PAGESIZE=501", FormKeyValue, "PAGESIZE", "from 1 to 500"},
	{"kv cross-key names the spelling", "Url=https://example.cybozu.com;username=alice", FormKeyValue, "username", "Password is empty"},
	{"kv twice through an alias", kv + "User=a;Username=b;Password=p", FormKeyValue, "Username", "given twice"},
	{"kv missing url", "User=alice;Password=pw", FormKeyValue, "Url", "missing"},
	{"kv url with userinfo", "Url=https://a:b@example.cybozu.com;APIToken=t1", FormKeyValue, "Url", "userinfo: "},
	{"kv url with query", "Url=https://example.cybozu.com/?x=1;APIToken=t1", FormKeyValue, "Url", "query"},
	{"kv url with bad host", "Url=https://exa mple.com;APIToken=t1", FormKeyValue, "Url", "host: invalid host name"},
	{"kv url with bad scheme", "Url=ftp://example.com;APIToken=t1", FormKeyValue, "Url", "scheme: "},
	{"kv url with bad scheme syntax", "Url=1ftp://example.com;APIToken=t1", FormKeyValue, "Url", "scheme: "},
	{"kv http remote", "Url=http://example.com;APIToken=t1", FormKeyValue, "Url", "allowInsecureHTTP=true"},
	{"kv no value", kv + "Pagesize", FormKeyValue, "Pagesize", "has no value"},
	{"kv not a key", "Url=https://example.cybozu.com;hello;APIToken=t1", FormKeyValue, "hello", "has no '='"},
	{"kv no key", kv + "=5", FormKeyValue, "", "has no key"},
	{"kv unknown key after a secret", "Url=https://example.cybozu.com;APIToken=t1;Colour=blue", FormKeyValue, "", "follows APIToken"},
	{"kv part without = after a secret", "Url=https://example.cybozu.com;Password=a;b;User=x", FormKeyValue, "", "a part without '=' follows Password"},
	{"kv unclosed quote after a secret", "Url=https://example.cybozu.com;APIToken=t;Foo=\"x", FormKeyValue, "", "a quoted value without a closing quote follows APIToken"},
	{"kv text after quote after a secret", "Url=https://example.cybozu.com;APIToken=t;Foo='x'y", FormKeyValue, "", "a quoted value followed by more text follows APIToken"},
	{"kv unclosed quote of an unknown key", "Url=https://example.cybozu.com;Foo=\"x", FormKeyValue, "Foo", "no closing quote"},
	{"kv unclosed quote", "Url=https://example.cybozu.com;User=\"alice", FormKeyValue, "User", "no closing quote"},
	{"kv text after quote", "Url=https://example.cybozu.com;User=\"alice\"x;Password=p", FormKeyValue, "User", "text follows"},
	{"kv empty value", kv + "Pagesize=", FormKeyValue, "Pagesize", "empty value"},
	{"kv cert type", kv + "SSLClientCertType=USER", FormKeyValue, "SSLClientCertType", "PFXFILE"},
	{"kv oauth and basic", "Url=https://example.cybozu.com;OAuthAccessToken=x;BasicAuthUser=u;BasicAuthPassword=p", FormKeyValue, "OAuthAccessToken", "BasicAuthUser"},
	{"kv no credentials", "Url=https://example.cybozu.com", FormKeyValue, "", "no credentials: set User and Password, or APIToken, or OAuthAccessToken"},
}

func TestParseErrors(t *testing.T) {
	for _, tt := range badDSNs {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse(tt.dsn)
			if err == nil {
				t.Fatalf("Parse succeeded: %s", c)
			}
			if c != nil {
				t.Errorf("Parse returned a Config with the error")
			}
			if !errors.Is(err, ErrInvalidDSN) {
				t.Errorf("error does not wrap ErrInvalidDSN: %v", err)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error is %T, not *Error", err)
			}
			if e.Form != tt.form || e.Key != tt.key || !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("got form %q key %q msg %q\nwant form %q key %q msg containing %q", e.Form, e.Key, e.Msg, tt.form, tt.key, tt.msg)
			}
		})
	}
}

func TestErrorText(t *testing.T) {
	for _, tt := range []struct {
		err  *Error
		want string
	}{
		{&Error{Form: FormURL, Key: "pageSize", Msg: "must be from 1 to 500"}, "kintone: invalid DSN (URL form): pageSize: must be from 1 to 500"},
		{&Error{Form: FormKeyValue, Key: "Pagesize", Msg: "m"}, "kintone: invalid DSN (key=value form): Pagesize: m"},
		{&Error{Form: FormConfig, Key: "PageSize", Msg: "m"}, "kintone: invalid Config: PageSize: m"},
		{&Error{Form: FormURL, Msg: "no credentials"}, "kintone: invalid DSN (URL form): no credentials"},
		{&Error{Msg: "empty"}, "kintone: invalid DSN: empty"},
	} {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
	cause := errors.New("disk on fire")
	e := &Error{Form: FormConfig, Key: "CAFile", Msg: "m", Err: cause}
	if !errors.Is(e, cause) || !errors.Is(e, ErrInvalidDSN) {
		t.Error("errors.Is does not see both ErrInvalidDSN and Err")
	}
}

// TestValidateConfigErrors checks that a Config built in code is checked
// like a DSN, with errors that name the Config fields.
func TestValidateConfigErrors(t *testing.T) {
	ok := func(c *Config) { c.BaseURL = "https://example.cybozu.com"; c.APITokens = []string{"t1"} }
	for _, tt := range []struct {
		name     string
		edit     func(c *Config)
		key, msg string
	}{
		{"missing base URL", func(c *Config) { c.BaseURL = "" }, "BaseURL", "missing"},
		{"base URL with password", func(c *Config) { c.BaseURL = "https://u:SECRET@example.cybozu.com" }, "BaseURL", "userinfo: "},
		{"base URL with fragment", func(c *Config) { c.BaseURL = "https://example.cybozu.com/#x" }, "BaseURL", "fragment"},
		{"negative guest space", func(c *Config) { c.GuestSpace = -1 }, "GuestSpace", "negative"},
		{"page size", func(c *Config) { c.PageSize = 501 }, "PageSize", "from 1 to 500"},
		{"page size negative", func(c *Config) { c.PageSize = -5 }, "PageSize", "from 1 to 500"},
		{"concurrency", func(c *Config) { c.Concurrency = 100 }, "Concurrency", "from 1 to 16"},
		{"maxCursors", func(c *Config) { c.MaxCursors = -1 }, "MaxCursors", "from 1 to 10"},
		{"retries", func(c *Config) { c.MaxRetries = -1 }, "MaxRetries", "from 0 to 10"},
		{"timeout", func(c *Config) { c.Timeout = -1 }, "Timeout", "negative"},
		{"max rows", func(c *Config) { c.MaxRows = -1 }, "MaxRows", "negative"},
		{"max buffered rows", func(c *Config) { c.MaxBufferedRows = -1 }, "MaxBufferedRows", "negative"},
		{"response cap", func(c *Config) { c.MaxResponseBytes = -1 }, "MaxResponseBytes", "negative"},
		{"ten tokens", func(c *Config) { c.APITokens = strings.Split("a,b,c,d,e,f,g,h,i,j", ",") }, "APITokens", "at most 9"},
		{"token with a comma", func(c *Config) { c.APITokens = []string{"a,b"} }, "APITokens", "contains ','"},
		{"empty token", func(c *Config) { c.APITokens = []string{""} }, "APITokens", "empty token"},
		{"oauth token with newline", func(c *Config) { c.OAuthToken = "a\nb" }, "OAuthToken", "control"},
		{"auth scheme", func(c *Config) { c.AuthScheme = "kerberos" }, "AuthScheme", "must be"},
		{"cert type", func(c *Config) { c.ClientCertType = "jks" }, "ClientCertType", "must be"},
		{"cursor", func(c *Config) { c.UseCursor = "maybe" }, "UseCursor", "must be"},
		{"apps empty name", func(c *Config) { c.Apps = map[string]int64{"": 1} }, "Apps", "empty app name"},
		{"apps padded name", func(c *Config) { c.Apps = map[string]int64{" a": 1} }, "Apps", "space"},
		{"apps comma", func(c *Config) { c.Apps = map[string]int64{"a,b": 1} }, "Apps", "','"},
		{"apps control", func(c *Config) { c.Apps = map[string]int64{"a\tb": 1} }, "Apps", "control"},
		{"apps id", func(c *Config) { c.Apps = map[string]int64{"a": 0} }, "Apps", "from 1"},
		{"app ids", func(c *Config) { c.AppIDs = []int64{-3} }, "AppIDs", "from 1"},
		{"basic user colon", func(c *Config) { c.BasicAuthUser, c.BasicAuthPassword = "a:b", "p" }, "BasicAuthUser", "':'"},
		{"user control", func(c *Config) { c.User, c.Password = "a\x00", "p" }, "User", "control"},
		{"ca file control", func(c *Config) { c.CAFile = "a\nb" }, "CAFile", "control"},
		{"cert file control", func(c *Config) { c.ClientCert = "a\nb" }, "ClientCert", "control"},
		{"guest conflict", func(c *Config) { c.BaseURL += "/k/guest/3/"; c.GuestSpace = 4 }, "GuestSpace", "differs"},
		{"http remote", func(c *Config) { c.BaseURL = "http://example.com" }, "BaseURL", "AllowInsecureHTTP=true"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := NewConfig()
			ok(c)
			tt.edit(c)
			err := c.Validate()
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Validate = %v, want an *Error", err)
			}
			if e.Form != FormConfig || e.Key != tt.key || !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("got %q (key %q), want key %q and a message containing %q", e.Error(), e.Key, tt.key, tt.msg)
			}
			if strings.Contains(e.Error(), "SECRET") {
				t.Errorf("error shows a secret: %v", e)
			}
		})
	}
	var nilConfig *Config
	if err := nilConfig.Validate(); !errors.Is(err, ErrInvalidDSN) {
		t.Errorf("Validate of nil = %v", err)
	}
}

// TestValidateNormalizes checks the defaults and canonical forms that
// Validate fills into a Config built in code.
func TestValidateNormalizes(t *testing.T) {
	c := &Config{
		BaseURL:           "Example.Cybozu.com:443/k/guest/12/",
		APITokens:         []string{"t1"},
		AppIDs:            []int64{},
		Apps:              map[string]int64{},
		ClientCertSubject: "*",
		ClientCert:        "me.pfx",
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	want := &Config{
		BaseURL: "https://example.cybozu.com", GuestSpace: 12, APITokens: []string{"t1"},
		AuthScheme: AuthAuto, ClientCert: "me.pfx", ClientCertType: CertAuto,
		PageSize: DefaultPageSize, UseCursor: CursorAuto, Concurrency: DefaultConcurrency,
		MaxCursors: DefaultMaxCursors,
	}
	want.Loc = c.Loc
	if !equalConfig(c, want) || c.Loc.String() != "UTC" {
		t.Errorf("Validate gave %+v", *c)
	}
	// Zero Timeout, MaxRetries and MaxResponseBytes mean "none", not the
	// default.
	if c.Timeout != 0 || c.MaxRetries != 0 || c.MaxResponseBytes != 0 {
		t.Errorf("Validate changed a zero Timeout, MaxRetries or MaxResponseBytes")
	}
}
