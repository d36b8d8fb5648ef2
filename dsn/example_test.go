package dsn_test

import (
	"errors"
	"fmt"
	"log/slog"
	"os"

	"github.com/kintone-sql/kintone/dsn"
)

func ExampleParse() {
	c, err := dsn.Parse("https://alice:s3cret@example.cybozu.com/k/guest/5/?pageSize=200&apps=orders:42")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.BaseURL, c.GuestSpace, c.User, c.PageSize, c.Apps["orders"])
	fmt.Println(c) // secrets masked
	// Output:
	// https://example.cybozu.com 5 alice 200 42
	// https://alice:xxxxx@example.cybozu.com/?guestSpace=5&apps=orders:42&pageSize=200
}

// A connection string of CData's Kintone drivers works as it is.
func ExampleParse_keyValue() {
	c, err := dsn.Parse(`Url=https://example.cybozu.com;APIToken=token1,token2;AppId=42,43;Password="a;b";User=alice;Timeout=30`)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(c.APITokens), c.AppIDs, c.Password, c.Timeout)
	// Output:
	// 2 [42 43] a;b 30s
}

// Errors name the key and suggest the key that was probably meant; they never
// show a value.
func ExampleParse_errors() {
	_, err := dsn.Parse("https://alice:s3cret@example.cybozu.com/?pagesize=200")
	fmt.Println(err)
	_, err = dsn.Parse("https://example.cybozu.com/?apiToken=a,b,c,d,e,f,g,h,i,j")
	fmt.Println(err)
	var e *dsn.Error
	fmt.Println(errors.As(err, &e), e.Key, errors.Is(err, dsn.ErrInvalidDSN))
	// Output:
	// kintone: invalid DSN (URL form): pagesize: unknown key; keys are case-sensitive: did you mean pageSize?
	// kintone: invalid DSN (URL form): apiToken: has 10 tokens; Kintone accepts at most 9 in one request
	// true apiToken true
}

func ExampleConfig_FormatDSN() {
	c := dsn.NewConfig()
	c.BaseURL = "https://example.cybozu.com"
	c.User, c.Password = "alice", "p@ss/word"
	c.APITokens = []string{"token1", "token2"}
	c.UseCursor = dsn.CursorNever
	if err := c.Validate(); err != nil {
		fmt.Println(err)
		return
	}
	s := c.FormatDSN()
	fmt.Println(s)
	back, _ := dsn.Parse(s)
	fmt.Println(back.Password)
	// Output:
	// https://alice:p%40ss%2Fword@example.cybozu.com/?apiToken=token1,token2&useCursor=never
	// p@ss/word
}

func ExampleConfig_LogValue() {
	c, _ := dsn.Parse("http://127.0.0.1:8080/?apiToken=token1&maxRows=1000")
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
	logger.Info("connecting", "dsn", c)
	// Output:
	// level=INFO msg=connecting dsn.url=http://127.0.0.1:8080 dsn.apiToken=xxxxx dsn.maxRows=1000
}

func ExampleConfig_Validate() {
	c := &dsn.Config{BaseURL: "example.cybozu.com/k/guest/7/", OAuthToken: "token", PageSize: 1000}
	fmt.Println(c.Validate())
	c.PageSize = 0 // the default
	fmt.Println(c.Validate(), c.BaseURL, c.GuestSpace, c.PageSize)
	// Output:
	// kintone: invalid Config: PageSize: must be from 1 to 500 (0 means the default, 500)
	// <nil> https://example.cybozu.com 7 500
}
