package kintone_test

import (
	"bytes"
	"database/sql"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone"
	"github.com/kintone-sql/kintone/dsn"
)

// TestConnectorPrintsNoSecret checks that printing or logging a Connector,
// with any verb and held any way, shows no secret of its configuration,
// for valid configurations and for ones that failed to validate.
func TestConnectorPrintsNoSecret(t *testing.T) {
	const secret = "Zq8Wv3Rk"
	dsns := []string{
		"https://alice:" + secret + "@example.cybozu.com/?pageSize=100",
		"https://example.cybozu.com/?apiToken=" + secret + "&basicAuthUser=b&basicAuthPassword=" + secret,
		"https://example.cybozu.com/?oauthToken=" + secret,
		"https://example.cybozu.com/?apiToken=t&proxy=http://p:" + secret + "@proxy.example:3128",
	}
	type holder struct{ c *kintone.Connector }
	for _, d := range dsns {
		cfg, err := dsn.Parse(d)
		if err != nil {
			t.Fatal(err)
		}
		invalid := cfg.Clone()
		invalid.PageSize = -1
		for _, c := range []*kintone.Connector{kintone.NewConnector(cfg), kintone.NewConnector(invalid)} {
			db := sql.OpenDB(c)
			var out []string
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
				for _, v := range []any{c, *c, holder{c}, db} {
					out = append(out, fmt.Sprintf(verb, v))
				}
			}
			var buf bytes.Buffer
			slog.New(slog.NewJSONHandler(&buf, nil)).Info("open", "connector", c)
			slog.New(slog.NewTextHandler(&buf, nil)).Info("open", "connector", c)
			out = append(out, buf.String())
			for _, s := range out {
				if strings.Contains(s, secret) {
					t.Errorf("output shows the secret: %s", s)
				}
			}
			if s := fmt.Sprint(c); !strings.Contains(s, "example.cybozu.com") {
				t.Errorf("Connector prints as %q, without its URL", s)
			}
			_ = db.Close()
		}
	}
}
