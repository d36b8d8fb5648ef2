package dsn

import (
	"bytes"
	"encoding"
	"encoding/gob"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"testing"
)

// Structs that hold a Config the ways user code does.
type (
	embedsConfig struct {
		Config
		Note string
	}
	embedsConfigPtr struct {
		*Config
		Note string
	}
	namesConfig struct {
		Name string
		Cfg  Config
	}
	namesConfigPtr struct {
		Name string
		Cfg  *Config
	}
)

// encodings returns every way a Config c can leave the process as text,
// by name: fmt verbs on Config, *Config and the structs that hold one in an
// exported field or by embedding, JSON, text, XML, slog's handlers and
// errors that wrap a formatted Config. (fmt calls no method of a value it
// reaches through an unexported field; Config's doc says so.)
func encodings(t *testing.T, c *Config) map[string]string {
	t.Helper()
	out := map[string]string{}
	holders := map[string]any{
		"*Config":            c,
		"Config":             *c,
		"embedsConfig":       embedsConfig{Config: *c, Note: "n"},
		"embedsConfigPtr":    embedsConfigPtr{Config: c, Note: "n"},
		"namesConfig":        namesConfig{Name: "n", Cfg: *c},
		"namesConfigPtr":     namesConfigPtr{Name: "n", Cfg: c},
		"[]Config":           []Config{*c},
		"map[string]*Config": map[string]*Config{"a": c},
	}
	for name, v := range holders {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
			out[verb+" of "+name] = fmt.Sprintf(verb, v)
		}
		out["fmt.Errorf of "+name] = fmt.Errorf("connect with %v: %w", v, io.EOF).Error()
		j, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("json.Marshal of %s: %v", name, err)
		}
		out["json.Marshal of "+name] = string(j)
		var enc bytes.Buffer
		if err := json.NewEncoder(&enc).Encode(v); err != nil {
			t.Fatalf("json.Encoder of %s: %v", name, err)
		}
		out["json.Encoder of "+name] = enc.String()
		var logs bytes.Buffer
		slog.New(slog.NewJSONHandler(&logs, nil)).Info("connect", "cfg", v)
		slog.New(slog.NewTextHandler(&logs, nil)).Info("connect", "cfg", v)
		out["slog of "+name] = logs.String()
	}
	for name, v := range map[string]any{"*Config": c, "Config": *c} {
		tm, ok := v.(encoding.TextMarshaler)
		if !ok {
			t.Errorf("%s is not an encoding.TextMarshaler", name)
			continue
		}
		b, err := tm.MarshalText()
		if err != nil {
			t.Fatalf("MarshalText of %s: %v", name, err)
		}
		out["MarshalText of "+name] = string(b)
	}
	for name, v := range map[string]any{"*Config": c, "namesConfig": namesConfig{Name: "n", Cfg: *c}} {
		x, err := xml.Marshal(v)
		if err != nil {
			t.Errorf("xml.Marshal of %s: %v", name, err)
			continue
		}
		out["xml.Marshal of "+name] = string(x)
	}
	return out
}

// secretConfigs returns, for every secret key of the table and every
// sample of it, a Config holding the secret: one parsed from a DSN (valid)
// and one set in code through the key's setter (not validated).
func secretConfigs(t *testing.T) map[string]*Config {
	t.Helper()
	out := map[string]*Config{}
	for _, k := range index.all {
		if !k.secret {
			continue
		}
		s, ok := secretSamples[k.name]
		if !ok {
			t.Fatalf("secret key %s has no sample in secretSamples", k.name)
		}
		for i, v := range s.values {
			dsn := "https://example.cybozu.com/?pageSize=100&" + credsFor(k.name) + k.name + "=" + url.QueryEscape(v)
			if s.needs != "" {
				dsn += "&" + s.needs
			}
			c, err := Parse(dsn)
			if err != nil {
				t.Fatalf("%s: Parse: %v", k.name, err)
			}
			out[fmt.Sprintf("%s #%d parsed", k.name, i)] = c
			raw := NewConfig()
			raw.BaseURL, raw.PageSize = "https://example.cybozu.com", 100
			if msg := k.set(&parseState{c: raw}, v); msg != "" {
				t.Fatalf("%s: set: %s", k.name, msg)
			}
			out[fmt.Sprintf("%s #%d set in code", k.name, i)] = raw
		}
	}
	return out
}

// TestSecretsHiddenInEveryEncoding checks, for each secret key of the key
// table, that no fmt verb, JSON, text, XML or slog encoding of a Config (or
// of a struct holding one) shows the secret, and that the output still shows
// the non-secret settings.
func TestSecretsHiddenInEveryEncoding(t *testing.T) {
	for cname, c := range secretConfigs(t) {
		if !strings.Contains(c.FormatDSN(), secretA) {
			t.Fatalf("%s: FormatDSN lost the secret: %s", cname, c.FormatDSN())
		}
		for path, s := range encodings(t, c) {
			assertNoSecret(t, cname+": "+path, s)
			hex := strings.HasPrefix(path, "%x") || strings.HasPrefix(path, "%d")
			if !hex && !strings.Contains(s, "example.cybozu.com") {
				t.Errorf("%s: %s lacks the URL: %s", cname, path, s)
			}
		}
	}
}

// TestConfigJSONShowsSettingsAndMasksSecrets checks the shape of
// MarshalJSON: the URL and every non-default key by its URL-form name,
// secrets as "xxxxx", other values as written in a DSN.
func TestConfigJSONShowsSettingsAndMasksSecrets(t *testing.T) {
	c, err := Parse("https://alice:" + secret + "@example.cybozu.com/k/guest/5/?pageSize=100&apiToken=" + secret + ",t2&authScheme=password&appId=7")
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]string
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("MarshalJSON wrote %s: %v", b, err)
	}
	want := map[string]string{
		"url": "https://example.cybozu.com", "guestSpace": "5", "user": "alice", "password": masked,
		"apiToken": masked + "," + masked, "authScheme": "password", "appId": "7", "pageSize": "100",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("MarshalJSON = %s, want the keys of %v", b, want)
	}
	if !strings.HasPrefix(string(b), `{"url":`) {
		t.Errorf("MarshalJSON does not start with the URL: %s", b)
	}
}

// TestConfigGobEncodeRefused checks that gob, a serialization, fails with
// a clear error rather than writing the secrets or silently dropping them.
func TestConfigGobEncodeRefused(t *testing.T) {
	for cname, c := range secretConfigs(t) {
		c.Loc = nil // gob cannot encode a *time.Location; without this it would fail for that reason
		for name, v := range map[string]any{"*Config": c, "Config": *c, "namesConfig": namesConfig{Name: "n", Cfg: *c}} {
			var buf bytes.Buffer
			err := gob.NewEncoder(&buf).Encode(v)
			if !errors.Is(err, errGob) && (err == nil || !strings.Contains(err.Error(), errGob.Error())) {
				t.Errorf("%s: gob of %s: err = %v, want the refusal", cname, name, err)
			}
			assertNoSecret(t, cname+": gob of "+name, buf.String())
		}
	}
}

// TestConfigJSONIsNotReadBack: the masked JSON of a Config would decode
// into its fields (encoding/json matches keys without regard to case),
// "xxxxx" becoming the password; decoding a Config from JSON is refused,
// alone or inside a struct.
func TestConfigJSONIsNotReadBack(t *testing.T) {
	for cname, c := range secretConfigs(t) {
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		var d Config
		if err := json.Unmarshal(b, &d); !errors.Is(err, errUnmarshalJSON) {
			t.Errorf("%s: json.Unmarshal into a Config: err = %v, want the refusal", cname, err)
		}
		if d.Password != "" || d.User != "" {
			t.Errorf("%s: the refused decode set fields: %+v", cname, d)
		}
		var n struct{ Cfg Config }
		if err := json.Unmarshal([]byte(`{"Cfg":`+string(b)+`}`), &n); !errors.Is(err, errUnmarshalJSON) {
			t.Errorf("%s: json.Unmarshal into a struct holding a Config: err = %v, want the refusal", cname, err)
		}
	}
}
