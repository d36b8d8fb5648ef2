package rest

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/kintone-sql/kintone/auth"
	"github.com/kintone-sql/kintone/dsn"
)

// maxIdlePerHost keeps enough idle connections for the driver's parallel
// readers (dsn.MaxConcurrency) plus a writer.
const maxIdlePerHost = dsn.MaxConcurrency + 2

// NewTransport returns an *http.Transport for cfg: the standard library's
// defaults (HTTP/2, timeouts for dialing, TLS and idle connections), the
// TLS settings of auth.TLSConfig (TLS 1.2 or later, cfg.CAFile, the client
// certificate), and cfg.Proxy: empty for the environment (HTTPS_PROXY,
// NO_PROXY), "direct" for none, or an http, https, socks5 or socks5h URL.
func NewTransport(cfg *dsn.Config) (*http.Transport, error) {
	tc, err := auth.TLSConfig(cfg)
	if err != nil {
		return nil, err
	}
	proxy, err := proxyFunc(cfg.Proxy)
	if err != nil {
		return nil, err
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = tc
	tr.Proxy = proxy
	tr.MaxIdleConnsPerHost = maxIdlePerHost
	return tr, nil
}

// proxyFunc turns the proxy setting into a Transport.Proxy. Errors do not
// echo the URL, which may carry a password.
func proxyFunc(s string) (func(*http.Request) (*url.URL, error), error) {
	switch s {
	case "":
		return http.ProxyFromEnvironment, nil
	case "direct":
		return nil, nil
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("kintone: proxy: not a URL of the form scheme://[user:password@]host:port: %w", dsn.ErrInvalidDSN)
	}
	switch u.Scheme {
	case "http", "https", "socks5", "socks5h":
	default:
		return nil, fmt.Errorf("kintone: proxy: the scheme must be http, https, socks5 or socks5h: %w", dsn.ErrInvalidDSN)
	}
	return http.ProxyURL(u), nil
}
