package dsn

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"testing"
)

// The secret used in these tests, in two halves that must never show.
const (
	secretA = "Zq8W"
	secretB = "v3Rk"
	secret  = secretA + secretB
)

// secretSamples gives, for every secret key, values that hold the secret,
// and the other keys the sample needs to be valid. TestSecretSamplesCoverTable
// fails when a secret key is added to the table without samples here.
var secretSamples = map[string]struct {
	values []string
	needs  string // URL-form query items that make the sample valid
}{
	"password":           {[]string{secret}, "user=alice"},
	"apiToken":           {[]string{secret, "t1," + secret}, ""},
	"oauthToken":         {[]string{secret}, ""},
	"basicAuthPassword":  {[]string{secret}, "basicAuthUser=gate"},
	"clientCert":         {[]string{"base64:" + secret, "-----BEGIN CERTIFICATE-----\n" + secret + "\n-----END CERTIFICATE-----\n"}, ""},
	"clientCertPassword": {[]string{secret}, "clientCert=me.pfx"},
	"proxy":              {[]string{"http://pu:" + secret + "@proxy.example:3128", "socks5://pu:" + secret + "@[::1]:1080/"}, ""},
}

func TestSecretSamplesCoverTable(t *testing.T) {
	for _, k := range index.all {
		if _, ok := secretSamples[k.name]; ok != k.secret {
			t.Errorf("key %s: secret=%v but secretSamples has it=%v", k.name, k.secret, ok)
		}
	}
}

// assertNoSecret fails when s shows any half of the secret.
func assertNoSecret(t *testing.T, what, s string) {
	t.Helper()
	if strings.Contains(s, secretA) || strings.Contains(s, secretB) {
		t.Errorf("%s shows the secret: %s", what, s)
	}
}

// credsFor returns query items with credentials for a DSN that tests key.
func credsFor(key string) string {
	switch key {
	case "apiToken", "oauthToken", "password":
		return ""
	}
	return "apiToken=t9&"
}

// TestSecretsHiddenInValidConfig checks String, every fmt verb, GoString
// and LogValue of a Config that holds each secret.
func TestSecretsHiddenInValidConfig(t *testing.T) {
	for name, s := range secretSamples {
		for _, v := range s.values {
			dsn := "https://example.cybozu.com/?" + credsFor(name) + name + "=" + url.QueryEscape(v)
			if s.needs != "" {
				dsn += "&" + s.needs
			}
			c, err := Parse(dsn)
			if err != nil {
				t.Fatalf("%s: Parse: %v", name, err)
			}
			if !strings.Contains(c.FormatDSN(), secretA) {
				t.Fatalf("%s: FormatDSN lost the secret: %s", name, c.FormatDSN())
			}
			assertNoSecret(t, name+": String", c.String())
			assertNoSecret(t, name+": GoString", c.GoString())
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3v"} {
				assertNoSecret(t, name+": "+verb+" of *Config", fmt.Sprintf(verb, c))
				assertNoSecret(t, name+": "+verb+" of Config", fmt.Sprintf(verb, *c))
			}
			assertNoSecret(t, name+": Sprint", fmt.Sprint(c, *c, []*Config{c}, map[string]Config{"a": *c}))
			var buf bytes.Buffer
			slog.New(slog.NewTextHandler(&buf, nil)).Info("connect", "cfg", c, "value", *c)
			slog.New(slog.NewJSONHandler(&buf, nil)).Info("connect", "cfg", c)
			assertNoSecret(t, name+": slog", buf.String())
			if !strings.Contains(buf.String(), "example.cybozu.com") {
				t.Errorf("%s: slog output lacks the URL: %s", name, buf.String())
			}
		}
	}
}

// TestSecretsHiddenInErrors feeds every secret key to Parse inside many
// malformed DSNs, in both forms, and checks that no error shows it.
func TestSecretsHiddenInErrors(t *testing.T) {
	var dsns []string
	for name, s := range secretSamples {
		k := index.byURL[name]
		for _, v := range s.values {
			q := "https://example.cybozu.com/?" + credsFor(name) + name + "="
			esc := url.QueryEscape(v)
			half := strings.Replace(esc, secretA, secretA+"&", 1) // an unencoded '&' inside the secret
			dsns = append(dsns,
				q+esc+"&bogus=1",
				q+esc+"&"+secret+"=1",
				q+esc+"&pageSize=big",
				q+esc+"&pageSize=501",
				q+esc+"&"+name+"="+esc,
				q+half,
				q+half+"=1",
				q+strings.Replace(esc, secretA, secretA+"&pageSize=1&", 1),
				q+esc+"#"+secret,
				q+strings.Replace(esc, secretA, secretA+"%zz", 1),
			)
			kvName := k.kvName()
			p := "Url=https://example.cybozu.com;" + strings.ReplaceAll(credsFor(name), "&", ";") + kvName + "="
			dsns = append(dsns,
				p+v+";Bogus=1",
				p+v+";"+secret+"=1",
				p+strings.Replace(v, secretA, secretA+";", 1),
				p+strings.Replace(v, secretA, secretA+";x=", 1),
				p+`"`+v,
				p+`"`+v+`"`+secret,
				p+v+";"+kvName+"="+v,
				p+v+";Pagesize=501",
				p+v+";=x",
			)
		}
	}
	// Values that are themselves malformed.
	dsns = append(dsns,
		"https://example.cybozu.com/?apiToken="+secret+",,x",
		"https://example.cybozu.com/?apiToken="+secret+","+secret,
		"https://example.cybozu.com/?apiToken=a,b,c,d,e,f,g,h,i,"+secret,
		"https://example.cybozu.com/?apiToken="+secretA+"+"+secretB,
		"https://example.cybozu.com/?apiToken="+secretA+"%0A"+secretB,
		"https://example.cybozu.com/?oauthToken="+secretA+"+"+secretB,
		"https://example.cybozu.com/?oauthToken="+secret+"&basicAuthUser=u&basicAuthPassword="+secret,
		"https://example.cybozu.com/?password="+secret,
		"https://example.cybozu.com/?apiToken=t&basicAuthPassword="+secret,
		"https://example.cybozu.com/?apiToken=t&clientCertPassword="+secret,
		"https://example.cybozu.com/?apiToken=t&clientCert=base64:"+secret+"***",
		"https://example.cybozu.com/?apiToken=t&clientCert=-----BEGIN%20"+secret+"&clientCertType=pfx",
		"https://example.cybozu.com/?apiToken=t&clientCert="+strings.Repeat(secret, 40),
		"https://example.cybozu.com/?apiToken=t&proxy=ftp://u:"+secret+"@h",
		"https://example.cybozu.com/?apiToken=t&proxy=http://u:"+secret+"@bad%20host",
		"https://example.cybozu.com/?apiToken=t&proxy=http://u:"+secret+"@h/path",
		"https://example.cybozu.com/?apiToken=t&proxy=http://u:"+secret+"%zz@h",
		"https://example.cybozu.com/?apiToken=t&proxy="+secret,
		// Passwords in the userinfo with unencoded special characters.
		"https://alice:"+secretA+"/"+secretB+"@example.cybozu.com/",
		"https://alice:"+secretA+"?"+secretB+"@example.cybozu.com/",
		"https://alice:"+secretA+"?"+secretB+"=1@example.cybozu.com/",
		"https://alice:"+secretA+"#"+secretB+"@example.cybozu.com/",
		"https://alice:"+secretA+"%zz"+secretB+"@example.cybozu.com/",
		"https://alice:1?"+secret+"=1@example.cybozu.com/",
		"https://alice:443?"+secret+"@example.cybozu.com/",
		"https://alice:443/"+secret+"@example.cybozu.com/",
		"https://"+secret+"@example.cybozu.com/",
		"https://:"+secret+"@example.cybozu.com/",
		"https://alice:"+secret+"@example.cybozu.com/?password=x",
		"https://alice:"+secret+"@example.cybozu.com/?bogus=1",
		"https://alice:"+secret+"@exa_mple!.com/",
		"https://alice:"+secret+"@example.cybozu.com:99999/",
		"http://alice:"+secret+"@example.com/",
		"ftp://alice:"+secret+"@example.com/",
		"Url=https://alice:"+secret+"@example.cybozu.com;APIToken=t",
		"Url=https://example.cybozu.com/?"+secret+";APIToken=t",
		"Url=https://example.cybozu.com;Password="+secret,
		"Url=https://example.cybozu.com;User=a:b;Password="+secret,
		secret,
		"://"+secret,
	)
	for _, dsn := range dsns {
		c, err := Parse(dsn)
		if err == nil {
			t.Errorf("Parse(%q) succeeded: %s", dsn, c)
			continue
		}
		assertNoSecret(t, fmt.Sprintf("error for %q", dsn), err.Error())
	}
}

// TestSecretsHiddenInValidateErrors checks Validate's errors for a Config
// built in code with a secret in a bad place.
func TestSecretsHiddenInValidateErrors(t *testing.T) {
	for _, edit := range []func(c *Config){
		func(c *Config) { c.BaseURL = "https://u:" + secret + "@example.cybozu.com" },
		func(c *Config) { c.BaseURL = "https://example.cybozu.com/?t=" + secret },
		func(c *Config) { c.BaseURL = secret + "://example.cybozu.com" },
		func(c *Config) { c.BaseURL = "https://" + secret + "!/" },
		func(c *Config) { c.APITokens = []string{secret + "," + secret} },
		func(c *Config) { c.APITokens = []string{secret + " x"} },
		func(c *Config) { c.OAuthToken = secret + "\n"; c.APITokens = nil },
		func(c *Config) { c.Password = secret; c.User = "" },
		func(c *Config) { c.User, c.Password = "a:b", secret },
		func(c *Config) { c.BasicAuthPassword = secret },
		func(c *Config) { c.ClientCert = "base64:" + secret + "!!" },
		func(c *Config) { c.ClientCertPassword = secret },
		func(c *Config) { c.Proxy = "gopher://u:" + secret + "@h" },
		func(c *Config) { c.Apps = map[string]int64{"a,": 1}; c.ClientCertPassword = secret },
	} {
		c := NewConfig()
		c.BaseURL, c.APITokens = "https://example.cybozu.com", []string{"t1"}
		edit(c)
		shown := c.String()
		err := c.Validate()
		if err == nil {
			t.Errorf("Validate accepted %s", shown)
			continue
		}
		assertNoSecret(t, "Validate error", err.Error())
		assertNoSecret(t, "String of an invalid Config", shown)
	}
}
