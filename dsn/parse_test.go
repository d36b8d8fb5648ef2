package dsn

import (
	"reflect"
	"testing"
	"time"
)

// cfg returns NewConfig with BaseURL set and edit applied: the Config that
// Parse should return.
func cfg(base string, edit func(c *Config)) *Config {
	c := NewConfig()
	c.BaseURL = base
	edit(c)
	return c
}

// equalConfig reports whether a and b are equal, comparing time zones by
// name (two loads of one zone are different pointers).
func equalConfig(a, b *Config) bool {
	if (a.Loc == nil) != (b.Loc == nil) || a.Loc != nil && a.Loc.String() != b.Loc.String() {
		return false
	}
	aa, bb := *a, *b
	aa.Loc, bb.Loc = nil, nil
	return reflect.DeepEqual(aa, bb)
}

func pw(c *Config)  { c.User, c.Password = "alice", "s3cret" }
func tok(c *Config) { c.APITokens = []string{"t1"} }

var tokyo = mustLoad("Asia/Tokyo")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// testDSNs are valid DSNs and the Configs they mean. FuzzParse uses them as
// seeds.
var testDSNs = []struct {
	name string
	dsn  string
	want *Config
}{
	// The URL form: the domain.
	{"password in userinfo", "https://alice:s3cret@example.cybozu.com", cfg("https://example.cybozu.com", pw)},
	{"trailing slash", "https://alice:s3cret@example.cybozu.com/", cfg("https://example.cybozu.com", pw)},
	{"surrounding space", "  https://alice:s3cret@example.cybozu.com/ \n", cfg("https://example.cybozu.com", pw)},
	{"kintone scheme means https", "kintone://alice:s3cret@example.cybozu.com/", cfg("https://example.cybozu.com", pw)},
	{"scheme and host case", "HTTPS://alice:s3cret@Example.Cybozu.COM/", cfg("https://example.cybozu.com", pw)},
	{"default port dropped", "https://alice:s3cret@example.cybozu.com:443/", cfg("https://example.cybozu.com", pw)},
	{"other port kept", "https://alice:s3cret@example.cybozu.com:8443/", cfg("https://example.cybozu.com:8443", pw)},
	{"path /k/", "https://alice:s3cret@example.cybozu.com/k/", cfg("https://example.cybozu.com", pw)},
	{"custom domain", "https://alice:s3cret@kintone.example.co.jp/", cfg("https://kintone.example.co.jp", pw)},
	{"kintone.com", "https://alice:s3cret@example.kintone.com/", cfg("https://example.kintone.com", pw)},
	{"secure access host", "https://example.s.cybozu.com/?apiToken=t1&clientCert=/etc/kintone/me.pfx&clientCertPassword=pfxpass",
		cfg("https://example.s.cybozu.com", func(c *Config) { tok(c); c.ClientCert, c.ClientCertPassword = "/etc/kintone/me.pfx", "pfxpass" })},
	{"guest space in the path", "https://alice:s3cret@example.cybozu.com/k/guest/5/",
		cfg("https://example.cybozu.com", func(c *Config) { pw(c); c.GuestSpace = 5 })},
	{"guest space without slash", "https://alice:s3cret@example.cybozu.com/k/guest/5",
		cfg("https://example.cybozu.com", func(c *Config) { pw(c); c.GuestSpace = 5 })},
	{"guest space key", "https://alice:s3cret@example.cybozu.com/?guestSpace=7",
		cfg("https://example.cybozu.com", func(c *Config) { pw(c); c.GuestSpace = 7 })},
	{"guest space in both, equal", "https://alice:s3cret@example.cybozu.com/k/guest/7/?guestSpace=7",
		cfg("https://example.cybozu.com", func(c *Config) { pw(c); c.GuestSpace = 7 })},
	{"emulator on 127.0.0.1", "http://127.0.0.1:8080/?apiToken=t1", cfg("http://127.0.0.1:8080", tok)},
	{"emulator on localhost", "http://localhost:8080/?apiToken=t1", cfg("http://localhost:8080", tok)},
	{"loopback 127.0.0.0/8", "http://127.3.2.1/?apiToken=t1", cfg("http://127.3.2.1", tok)},
	{"loopback ::1", "http://[::1]:9000/?apiToken=t1", cfg("http://[::1]:9000", tok)},
	{"http default port dropped", "http://localhost:80/?apiToken=t1", cfg("http://localhost", tok)},
	{"insecure http allowed", "http://kintone.internal/?apiToken=t1&allowInsecureHTTP=true",
		cfg("http://kintone.internal", func(c *Config) { tok(c); c.AllowInsecureHTTP = true })},
	{"IPv6 host", "https://[2001:DB8::1]:8443/?apiToken=t1", cfg("https://[2001:db8::1]:8443", tok)},

	// The URL form: credentials.
	{"percent-encoded userinfo", "https://a%40b.example:p%40ss%2Fw%3Ford%23%25%3A@example.cybozu.com/",
		cfg("https://example.cybozu.com", func(c *Config) { c.User, c.Password = "a@b.example", "p@ss/w?ord#%:" })},
	{"plus stays plus in userinfo", "https://alice:a+b@example.cybozu.com/",
		cfg("https://example.cybozu.com", func(c *Config) { c.User, c.Password = "alice", "a+b" })},
	{"raw @ in password", "https://alice:p@ss@example.cybozu.com/",
		cfg("https://example.cybozu.com", func(c *Config) { c.User, c.Password = "alice", "p@ss" })},
	{"unicode login", "https://%E5%A4%AA%E9%83%8E:%E3%83%91%E3%82%B9@example.cybozu.com/",
		cfg("https://example.cybozu.com", func(c *Config) { c.User, c.Password = "太郎", "パス" })},
	{"user and password keys", "https://example.cybozu.com/?user=alice&password=s3cret", cfg("https://example.cybozu.com", pw)},
	{"user in userinfo, password key", "https://alice@example.cybozu.com/?password=s3cret", cfg("https://example.cybozu.com", pw)},
	{"two tokens", "https://example.cybozu.com/?apiToken=t1,t2",
		cfg("https://example.cybozu.com", func(c *Config) { c.APITokens = []string{"t1", "t2"} })},
	{"tokens with spaces after commas", "https://example.cybozu.com/?apiToken=t1,+t2,%20t3",
		cfg("https://example.cybozu.com", func(c *Config) { c.APITokens = []string{"t1", "t2", "t3"} })},
	{"tokens as url.Values encodes them", "http://127.0.0.1:39001/?apiToken=t1%2Ct2",
		cfg("http://127.0.0.1:39001", func(c *Config) { c.APITokens = []string{"t1", "t2"} })},
	{"nine tokens", "https://example.cybozu.com/?apiToken=a,b,c,d,e,f,g,h,i",
		cfg("https://example.cybozu.com", func(c *Config) { c.APITokens = []string{"a", "b", "c", "d", "e", "f", "g", "h", "i"} })},
	{"oauth", "https://example.cybozu.com/?oauthToken=1.abc-DEF_ghi",
		cfg("https://example.cybozu.com", func(c *Config) { c.OAuthToken = "1.abc-DEF_ghi" })},
	{"basic and password", "https://alice:s3cret@example.cybozu.com/?basicAuthUser=gate&basicAuthPassword=g%26p",
		cfg("https://example.cybozu.com", func(c *Config) { pw(c); c.BasicAuthUser, c.BasicAuthPassword = "gate", "g&p" })},
	{"auth scheme picks tokens", "https://alice:s3cret@example.cybozu.com/?apiToken=t1&authScheme=apiToken",
		cfg("https://example.cybozu.com", func(c *Config) { pw(c); tok(c); c.AuthScheme = AuthAPIToken })},
	{"auth scheme in any case", "https://example.cybozu.com/?oauthToken=x&authScheme=OAuth",
		cfg("https://example.cybozu.com", func(c *Config) { c.OAuthToken = "x"; c.AuthScheme = AuthOAuth })},
	{"inline PEM certificate", "https://example.s.cybozu.com/?apiToken=t1&clientCert=-----BEGIN%20CERTIFICATE-----%0AMIIB%0A-----END%20CERTIFICATE-----%0A&clientCertType=pem",
		cfg("https://example.s.cybozu.com", func(c *Config) {
			tok(c)
			c.ClientCert, c.ClientCertType = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", CertPEM
		})},
	{"inline base64 PFX", "https://example.s.cybozu.com/?apiToken=t1&clientCert=base64:MIIKAQIDBA%3D%3D&clientCertSubject=CN%3Dalice",
		cfg("https://example.s.cybozu.com", func(c *Config) {
			tok(c)
			c.ClientCert, c.ClientCertSubject = "base64:MIIKAQIDBA==", "CN=alice"
		})},
	{"subject star means first", "https://example.s.cybozu.com/?apiToken=t1&clientCert=me.p12&clientCertSubject=*",
		cfg("https://example.s.cybozu.com", func(c *Config) { tok(c); c.ClientCert = "me.p12" })},

	// The URL form: options.
	{"every option", "https://alice:s3cret@example.cybozu.com/?appId=42,43&apps=orders:42,customers:43" +
		"&caFile=/etc/ssl/kintone.pem&proxy=http://proxy.example.com:3128&timeout=90s&maxRetries=0" +
		"&maxResponseBytes=1MiB&userAgent=my-app/1.0&pageSize=100&useCursor=always&maxRows=1000&concurrency=8&maxCursors=2&loc=Asia/Tokyo",
		cfg("https://example.cybozu.com", func(c *Config) {
			pw(c)
			c.AppIDs = []int64{42, 43}
			c.Apps = map[string]int64{"orders": 42, "customers": 43}
			c.CAFile, c.Proxy = "/etc/ssl/kintone.pem", "http://proxy.example.com:3128"
			c.Timeout, c.MaxRetries, c.MaxResponseBytes, c.UserAgent = 90*time.Second, 0, 1<<20, "my-app/1.0"
			c.PageSize, c.UseCursor, c.MaxRows, c.Concurrency, c.MaxCursors, c.Loc = 100, CursorAlways, 1000, 8, 2, tokyo
		})},
	{"apps with unicode and spaces", "https://example.cybozu.com/?apiToken=t1&apps=%E6%A1%88%E4%BB%B6:7,+sales+report+:8",
		cfg("https://example.cybozu.com", func(c *Config) { tok(c); c.Apps = map[string]int64{"案件": 7, "sales report": 8} })},
	{"timeout in seconds", "https://example.cybozu.com/?apiToken=t1&timeout=30",
		cfg("https://example.cybozu.com", func(c *Config) { tok(c); c.Timeout = 30 * time.Second })},
	{"no timeout", "https://example.cybozu.com/?apiToken=t1&timeout=0",
		cfg("https://example.cybozu.com", func(c *Config) { tok(c); c.Timeout = 0 })},
	{"page size 0 means default", "https://example.cybozu.com/?apiToken=t1&pageSize=0&concurrency=0",
		cfg("https://example.cybozu.com", tok)},
	{"max page size", "https://example.cybozu.com/?apiToken=t1&pageSize=500&concurrency=16&maxRetries=10",
		cfg("https://example.cybozu.com", func(c *Config) { tok(c); c.Concurrency, c.MaxRetries = 16, 10 })},
	{"sizes", "https://example.cybozu.com/?apiToken=t1&maxResponseBytes=10kib",
		cfg("https://example.cybozu.com", func(c *Config) { tok(c); c.MaxResponseBytes = 10 << 10 })},
	{"no response cap", "https://example.cybozu.com/?apiToken=t1&maxResponseBytes=0",
		cfg("https://example.cybozu.com", func(c *Config) { tok(c); c.MaxResponseBytes = 0 })},
	{"loc offset", "https://example.cybozu.com/?apiToken=t1&loc=%2B09:00",
		cfg("https://example.cybozu.com", func(c *Config) { tok(c); c.Loc = time.FixedZone("+09:00", 9*3600) })},
	{"loc Local", "https://example.cybozu.com/?apiToken=t1&loc=Local",
		cfg("https://example.cybozu.com", func(c *Config) { tok(c); c.Loc = time.Local })},
	{"loc UTC", "https://example.cybozu.com/?apiToken=t1&loc=UTC", cfg("https://example.cybozu.com", tok)},
	{"booleans", "https://example.cybozu.com/?apiToken=t1&allowInsecureHTTP=0", cfg("https://example.cybozu.com", tok)},
	{"proxy direct", "https://example.cybozu.com/?apiToken=t1&proxy=direct",
		cfg("https://example.cybozu.com", func(c *Config) { tok(c); c.Proxy = "direct" })},
	{"socks proxy with password", "https://example.cybozu.com/?apiToken=t1&proxy=socks5h://u:p%2540@[::1]:1080",
		cfg("https://example.cybozu.com", func(c *Config) { tok(c); c.Proxy = "socks5h://u:p%40@[::1]:1080" })},
	{"empty query items", "https://example.cybozu.com/?&apiToken=t1&&", cfg("https://example.cybozu.com", tok)},

	// The key=value form.
	{"CData password", "Url=https://example.cybozu.com;User=alice;Password=s3cret", cfg("https://example.cybozu.com", pw)},
	{"CData names in any case", "url=https://example.cybozu.com; USER = alice ;password=s3cret;",
		cfg("https://example.cybozu.com", pw)},
	{"Url without scheme", "Url=example.cybozu.com;APIToken=t1", cfg("https://example.cybozu.com", tok)},
	{"Url with guest path", "Url=https://example.cybozu.com/k/guest/9/;APIToken=t1",
		cfg("https://example.cybozu.com", func(c *Config) { tok(c); c.GuestSpace = 9 })},
	{"CData tokens and app ids", "Url=https://example.cybozu.com;AuthScheme=APIToken;APIToken=t1,t2;AppId=42,43;GuestSpaceId=5",
		cfg("https://example.cybozu.com", func(c *Config) {
			c.AuthScheme, c.APITokens, c.AppIDs, c.GuestSpace = AuthAPIToken, []string{"t1", "t2"}, []int64{42, 43}, 5
		})},
	{"CData options", "Url=https://example.cybozu.com;APIToken=t1;Timeout=30;Pagesize=200;UseCursor=false;MaxRows=-1",
		cfg("https://example.cybozu.com", func(c *Config) {
			tok(c)
			c.Timeout, c.PageSize, c.UseCursor = 30*time.Second, 200, CursorNever
		})},
	{"CData UseCursor true means auto", "Url=https://example.cybozu.com;APIToken=t1;UseCursor=TRUE", cfg("https://example.cybozu.com", tok)},
	{"CData basic auth", "Url=https://example.cybozu.com;User=alice;Password=s3cret;BasicAuthUser=gate;BasicAuthPassword=gp",
		cfg("https://example.cybozu.com", func(c *Config) { pw(c); c.BasicAuthUser, c.BasicAuthPassword = "gate", "gp" })},
	{"CData certificate file", "Url=https://example.s.cybozu.com;APIToken=t1;SSLClientCert=C:\\certs\\me.pfx;SSLClientCertType=PFXFILE;SSLClientCertPassword=pp;SSLClientCertSubject=*",
		cfg("https://example.s.cybozu.com", func(c *Config) {
			tok(c)
			c.ClientCert, c.ClientCertType, c.ClientCertPassword = `C:\certs\me.pfx`, CertPFX, "pp"
		})},
	{"CData PFX blob, type first", "Url=https://example.s.cybozu.com;APIToken=t1;SSLClientCertType=PFXBLOB;SSLClientCert=MIIKAQ==",
		cfg("https://example.s.cybozu.com", func(c *Config) { tok(c); c.ClientCert, c.ClientCertType = "base64:MIIKAQ==", CertPFX })},
	{"CData PFX blob, type last", "Url=https://example.s.cybozu.com;APIToken=t1;SSLClientCert=MIIKAQ==;SSLClientCertType=pfxblob",
		cfg("https://example.s.cybozu.com", func(c *Config) { tok(c); c.ClientCert, c.ClientCertType = "base64:MIIKAQ==", CertPFX })},
	{"CData PEM blob as text", "Url=https://example.s.cybozu.com;APIToken=t1;SSLClientCertType=PEMKEY_BLOB;SSLClientCert=\"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\"",
		cfg("https://example.s.cybozu.com", func(c *Config) {
			tok(c)
			c.ClientCert, c.ClientCertType = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----", CertPEM
		})},
	{"CData OAuth", "Url=https://example.cybozu.com;AuthScheme=OAuth;OAuthAccessToken=tok",
		cfg("https://example.cybozu.com", func(c *Config) { c.AuthScheme, c.OAuthToken = AuthOAuth, "tok" })},
	{"Username alias", "Url=https://example.cybozu.com;Username=alice;Password=s3cret", cfg("https://example.cybozu.com", pw)},
	{"quoted values", `Url=https://example.cybozu.com;User='alice';Password="a;b""c'd";BasicAuthUser=gate;BasicAuthPassword=' x '`,
		cfg("https://example.cybozu.com", func(c *Config) {
			c.User, c.Password, c.BasicAuthUser, c.BasicAuthPassword = "alice", `a;b"c'd`, "gate", " x "
		})},
	{"URL-form names in key=value", "Url=http://localhost:8080;apitoken=t1;PAGESIZE=10;loc=Asia/Tokyo;apps=a:1",
		cfg("http://localhost:8080", func(c *Config) { tok(c); c.PageSize, c.Loc, c.Apps = 10, tokyo, map[string]int64{"a": 1} })},
	{"values with = and ://", "Url=https://example.cybozu.com;APIToken=t1;proxy=http://u:a=b@proxy:8080",
		cfg("https://example.cybozu.com", func(c *Config) { tok(c); c.Proxy = "http://u:a=b@proxy:8080" })},
}

func TestParse(t *testing.T) {
	for _, tt := range testDSNs {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.dsn)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !equalConfig(got, tt.want) {
				t.Errorf("Parse:\n got %#v\nwant %#v\n(fields: got %+v)", got.FormatDSN(), tt.want.FormatDSN(), *got)
			}
		})
	}
}

// TestParseReturnsValidConfig checks that Validate accepts what Parse
// returns and changes nothing in it.
func TestParseReturnsValidConfig(t *testing.T) {
	for _, tt := range testDSNs {
		c, err := Parse(tt.dsn)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		again := c.Clone()
		if err := again.Validate(); err != nil {
			t.Errorf("%s: Validate of a parsed Config: %v", tt.name, err)
		}
		if !equalConfig(c, again) {
			t.Errorf("%s: Validate changed a parsed Config", tt.name)
		}
	}
}
