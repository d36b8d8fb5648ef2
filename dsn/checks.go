package dsn

import (
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// The longer check and mask functions of the keys table. Each belongs to the
// one key named in its comment.

// urlFail reports a problem with one part of the base URL ("scheme", "host",
// "path", ...). The URL form names the part itself; the other forms name the
// url key and put the part in the message.
func (v *validator) urlFail(part, msg string) *Error {
	if v.form == FormURL {
		return &Error{Form: v.form, Key: part, Msg: msg}
	}
	return v.fail("url", part+": "+msg)
}

// checkBaseURL checks url (Config.BaseURL), rewrites it to its canonical form
// and moves a guest space from its path to GuestSpace.
func checkBaseURL(v *validator) *Error {
	c := v.c
	if c.BaseURL == "" {
		return v.fail("url", "missing: set the Kintone domain, as in https://example.cybozu.com")
	}
	u, ok := splitURL(c.BaseURL)
	if !ok {
		if strings.Contains(c.BaseURL, "://") {
			return v.urlFail("scheme", "must be https://, kintone:// (which means https) or http:// (loopback only)")
		}
		u, _ = splitURL("https://" + c.BaseURL)
	}
	switch {
	case u.hasUserinfo:
		return v.urlFail("userinfo", "the Kintone domain must not hold a user name or password; set "+
			v.name("user")+" and "+v.name("password"))
	case u.hasQuery:
		return v.urlFail("query", "the Kintone domain must not have a query ('?')")
	case u.hasFragment:
		return v.urlFail("fragment", "the Kintone domain must not have a fragment ('#')")
	}
	b, p := parseBaseURL(u)
	if p != nil {
		return v.urlFail(p.part, p.msg)
	}
	if b.guestSpace != 0 {
		if c.GuestSpace != 0 && c.GuestSpace != b.guestSpace {
			return v.fail("guestSpace", "differs from the guest space in the URL path")
		}
		c.GuestSpace = b.guestSpace
	}
	if b.http && !b.loopback && !c.AllowInsecureHTTP {
		return v.urlFail("scheme", "http:// is allowed only for loopback hosts (localhost, 127.0.0.0/8, ::1); "+
			"use https://, or set "+v.name("allowInsecureHTTP")+"=true to send credentials in clear text")
	}
	c.BaseURL = b.canonical
	return nil
}

// checkAPITokens checks apiToken (Config.APITokens).
func checkAPITokens(v *validator) *Error {
	t := v.c.APITokens
	if len(t) == 0 {
		v.c.APITokens = nil
		return nil
	}
	if len(t) > MaxAPITokens {
		return v.fail("apiToken", "has "+strconv.Itoa(len(t))+" tokens; Kintone accepts at most "+
			strconv.Itoa(MaxAPITokens)+" in one request")
	}
	seen := make(map[string]bool, len(t))
	for _, s := range t {
		switch {
		case s == "":
			return v.fail("apiToken", "has an empty token")
		case strings.Contains(s, ","):
			return v.fail("apiToken", "has a token that contains ','; give each token as its own item")
		case hasSpaceOrControl(s):
			return v.fail("apiToken", "has a token that contains a space or a control character")
		case seen[s]:
			return v.fail("apiToken", "has the same token twice")
		}
		seen[s] = true
	}
	return nil
}

// checkAppIDs checks appId (Config.AppIDs).
func checkAppIDs(v *validator) *Error {
	if len(v.c.AppIDs) == 0 {
		v.c.AppIDs = nil
		return nil
	}
	seen := make(map[int64]bool, len(v.c.AppIDs))
	for _, id := range v.c.AppIDs {
		switch {
		case id <= 0:
			return v.fail("appId", "app IDs must be whole numbers from 1")
		case seen[id]:
			return v.fail("appId", "has the same app ID twice")
		}
		seen[id] = true
	}
	return nil
}

// checkApps checks apps (Config.Apps).
func checkApps(v *validator) *Error {
	if len(v.c.Apps) == 0 {
		v.c.Apps = nil
		return nil
	}
	for _, name := range slices.Sorted(maps.Keys(v.c.Apps)) {
		switch {
		case name == "":
			return v.fail("apps", "has an empty app name")
		case strings.TrimSpace(name) != name:
			return v.fail("apps", "has an app name that starts or ends with a space")
		case strings.ContainsAny(name, ",:"):
			return v.fail("apps", "has an app name that contains ',' or ':'")
		case isAllDigits(name):
			return v.fail("apps", "has an app name made of digits only, which would read as an app ID")
		case hasControl(name):
			return v.fail("apps", "has an app name that contains a control character")
		case v.c.Apps[name] <= 0:
			return v.fail("apps", "app IDs must be whole numbers from 1")
		}
	}
	return nil
}

// checkAuthScheme checks authScheme (Config.AuthScheme): a known scheme whose
// credentials are set.
func checkAuthScheme(v *validator) *Error {
	c := v.c
	switch c.AuthScheme {
	case "":
		c.AuthScheme = AuthAuto
	case AuthAuto, AuthPassword, AuthAPIToken, AuthOAuth:
	default:
		return v.fail("authScheme", "must be auto, password, apiToken or oauth")
	}
	switch {
	case c.AuthScheme == AuthPassword && (c.User == "" || c.Password == ""):
		return v.fail("authScheme", "is password but "+v.name("user")+" and "+v.name("password")+" are not both set")
	case c.AuthScheme == AuthAPIToken && len(c.APITokens) == 0:
		return v.fail("authScheme", "is apiToken but "+v.name("apiToken")+" is empty")
	case c.AuthScheme == AuthOAuth && c.OAuthToken == "":
		return v.fail("authScheme", "is oauth but "+v.name("oauthToken")+" is empty")
	}
	return nil
}

// checkCredentials checks that the Config has credentials of some kind. It
// concerns no single key, so validate runs it after the checks of the keys.
func checkCredentials(v *validator) *Error {
	c := v.c
	if (c.User == "" || c.Password == "") && c.OAuthToken == "" && len(c.APITokens) == 0 {
		return &Error{Form: v.form, Msg: "no credentials: set " + v.name("user") + " and " + v.name("password") +
			", or " + v.name("apiToken") + ", or " + v.name("oauthToken")}
	}
	return nil
}

// checkClientCert checks clientCert (Config.ClientCert) without reading any
// file.
func checkClientCert(v *validator) *Error {
	s := v.c.ClientCert
	switch {
	case s == "":
	case strings.HasPrefix(s, inlineBase64Prefix):
		if _, ok := decodeInlineBase64(s); !ok {
			return v.fail("clientCert", "the material after base64: is not valid standard base64")
		}
	case strings.Contains(s, "-----BEGIN"):
	case looksLikeBase64Blob(s):
		return v.fail("clientCert", "looks like base64 certificate material, not a file name; write base64: "+
			"before it (or, in the key=value form, set SSLClientCertType=PFXBLOB)")
	case hasControl(s):
		return v.fail("clientCert", "a file name must not contain control characters")
	}
	return nil
}

// looksLikeBase64Blob reports whether a ClientCert value that is neither PEM
// nor "base64:" is long base64 text, such as a PFX blob pasted without its
// CData type. Real file names of that length contain a '.' or '-' somewhere.
func looksLikeBase64Blob(s string) bool {
	if len(s) < 200 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch b := s[i]; {
		case 'A' <= b && b <= 'Z', 'a' <= b && b <= 'z', '0' <= b && b <= '9',
			b == '+', b == '/', b == '=', b == '\r', b == '\n', b == ' ':
		default:
			return false
		}
	}
	return true
}

// checkProxy checks proxy (Config.Proxy).
func checkProxy(v *validator) *Error {
	s := v.c.Proxy
	if s == "" || s == "direct" {
		return nil
	}
	u, ok := splitURL(s)
	if !ok {
		return v.fail("proxy", "must be a URL such as http://proxy.example.com:3128, or direct")
	}
	switch u.scheme {
	case "http", "https", "socks5", "socks5h":
	default:
		return v.fail("proxy", "scheme must be http, https, socks5 or socks5h")
	}
	if u.hasQuery || u.hasFragment || u.path != "" && u.path != "/" {
		return v.fail("proxy", "must not have a path, query or fragment")
	}
	if _, _, p := parseHostPort(u.host); p != nil {
		return v.fail("proxy", "host: "+p.msg)
	}
	if _, err := url.PathUnescape(u.userinfo); err != nil {
		return v.fail("proxy", "the user name or password has an invalid percent-encoding")
	}
	return nil
}

// maskProxy masks the password of a proxy URL, or the whole value when it is
// not a URL (it might be anything).
func maskProxy(s string) string {
	if s == "direct" {
		return s
	}
	u, ok := splitURL(s)
	if !ok {
		return masked
	}
	user, _, hasPass := strings.Cut(u.userinfo, ":")
	if !hasPass {
		return s
	}
	prefix := s[:strings.Index(s, "://")+3]
	return prefix + user + ":" + masked + s[len(prefix)+len(u.userinfo):]
}
