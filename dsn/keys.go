package dsn

import (
	"encoding/base64"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// keys is the table of every setting, in documentation order. Nothing about a
// key is decided outside its entry except the shape of the two forms (URL
// parts, separators, quoting), which parse.go and format.go handle for all
// keys alike.
var keys = []*key{
	{
		name: "url", kv: []string{"Url"}, field: "BaseURL", part: inBase,
		typ: "URL", def: "required",
		doc: "The Kintone domain: https://example.cybozu.com, a custom domain, the \".s.\" host for client " +
			"certificates, or http://127.0.0.1:<port> for the emulator. kintone:// means https://, a missing " +
			"scheme means https://, and a path /k/guest/<id>/ sets guestSpace. In the URL form this is the URL " +
			"itself, not a key.",
		set:   setString(func(c *Config) *string { return &c.BaseURL }),
		get:   getString(func(c *Config) *string { return &c.BaseURL }),
		check: checkBaseURL,
	},
	{
		name: "guestSpace", kv: []string{"GuestSpaceId"}, field: "GuestSpace",
		typ: "integer", def: "0 (none)",
		doc: "The guest space that holds the apps; requests then go to /k/guest/<id>/v1/.",
		set: func(p *parseState, v string) string {
			n, ok := parseDigits(v)
			if !ok {
				return "must be a guest space ID (a whole number)"
			}
			p.c.GuestSpace = n
			return ""
		},
		get: func(c *Config) (string, bool) { return strconv.FormatInt(c.GuestSpace, 10), c.GuestSpace != 0 },
		check: func(v *validator) *Error {
			if v.c.GuestSpace < 0 {
				return v.fail("guestSpace", "must not be negative")
			}
			return nil
		},
	},
	{
		name: "user", kv: []string{"User", "Username"}, field: "User", part: inUserinfo,
		typ: "string", def: "",
		doc: "Login name for password authentication; in the URL form usually written as the URL's user name.",
		set: setString(func(c *Config) *string { return &c.User }),
		get: getString(func(c *Config) *string { return &c.User }),
		check: func(v *validator) *Error {
			switch {
			case strings.Contains(v.c.User, ":"):
				return v.fail("user", "must not contain ':' (Kintone splits login:password at the first ':')")
			case hasControl(v.c.User):
				return v.fail("user", "must not contain control characters")
			case v.c.User != "" && v.c.Password == "":
				return v.fail("user", "is set but "+v.name("password")+" is empty")
			}
			return nil
		},
	},
	{
		name: "password", kv: []string{"Password"}, field: "Password", part: inUserinfo, secret: true,
		typ: "string", def: "",
		doc: "Password of user; in the URL form usually written as the URL's password (percent-encode " +
			"'@', '/', '?', '#', ':' and '%').",
		set: setString(func(c *Config) *string { return &c.Password }),
		get: getString(func(c *Config) *string { return &c.Password }),
		check: func(v *validator) *Error {
			if v.c.Password != "" && v.c.User == "" {
				return v.fail("password", "is set but "+v.name("user")+" is empty")
			}
			return nil
		},
	},
	{
		name: "apiToken", kv: []string{"APIToken"}, field: "APITokens", secret: true,
		typ: "list of strings", def: "",
		doc: "API tokens, separated by commas, at most 9 (Kintone's limit per request). Each token opens only " +
			"its own app; API tokens cannot list apps, so name the apps with apps or appId.",
		set: func(p *parseState, v string) string {
			l, ok := splitList(v)
			if !ok {
				return "has an empty token (two commas in a row, or a comma at either end)"
			}
			p.c.APITokens = l
			return ""
		},
		get: func(c *Config) (string, bool) { return strings.Join(c.APITokens, ","), len(c.APITokens) > 0 },
		mask: func(v string) string {
			return strings.Repeat(masked+",", strings.Count(v, ",")) + masked
		},
		check: checkAPITokens,
	},
	{
		name: "appId", kv: []string{"AppId"}, field: "AppIDs",
		typ: "list of integers", def: "",
		doc: "App IDs to expose as tables, separated by commas, for credentials that cannot list apps (API " +
			"tokens). An app can always be named by its ID.",
		set: func(p *parseState, v string) string {
			l, ok := splitList(v)
			ids := make([]int64, len(l))
			for i, s := range l {
				ids[i], ok = parsePositiveID(s)
				if !ok {
					break
				}
			}
			if !ok {
				return "must be app IDs (whole numbers from 1) separated by commas"
			}
			p.c.AppIDs = ids
			return ""
		},
		get: func(c *Config) (string, bool) {
			s := make([]string, len(c.AppIDs))
			for i, id := range c.AppIDs {
				s[i] = strconv.FormatInt(id, 10)
			}
			return strings.Join(s, ","), len(s) > 0
		},
		check: checkAppIDs,
	},
	{
		name: "apps", field: "Apps",
		typ: "list of name:id", def: "",
		doc: "Table names for app IDs, as orders:42,customers:43, so that SQL can name apps that cannot be " +
			"listed (API tokens cannot call apps.json). A name must not be empty, all digits, or contain ',' or ':'.",
		set: func(p *parseState, v string) string {
			l, ok := splitList(v)
			apps := make(map[string]int64, len(l))
			for _, it := range l {
				name, id, found := strings.Cut(it, ":")
				name = strings.TrimSpace(name)
				n, idOK := parsePositiveID(strings.TrimSpace(id))
				if !found || !idOK || name == "" {
					ok = false
					break
				}
				if _, dup := apps[name]; dup {
					return "names the same app name twice"
				}
				apps[name] = n
			}
			if !ok {
				return "must be name:appID items separated by commas, as in orders:42,customers:43"
			}
			p.c.Apps = apps
			return ""
		},
		get: func(c *Config) (string, bool) {
			var b strings.Builder
			for _, name := range slices.Sorted(maps.Keys(c.Apps)) {
				if b.Len() > 0 {
					b.WriteByte(',')
				}
				b.WriteString(name + ":" + strconv.FormatInt(c.Apps[name], 10))
			}
			return b.String(), len(c.Apps) > 0
		},
		check: checkApps,
	},
	{
		name: "oauthToken", kv: []string{"OAuthAccessToken"}, field: "OAuthToken", secret: true,
		typ: "string", def: "",
		doc: "OAuth 2.0 access token, sent as a bearer token. Cannot be combined with basicAuthUser (both " +
			"use the Authorization header).",
		set: setString(func(c *Config) *string { return &c.OAuthToken }),
		get: getString(func(c *Config) *string { return &c.OAuthToken }),
		check: func(v *validator) *Error {
			switch {
			case hasSpaceOrControl(v.c.OAuthToken):
				return v.fail("oauthToken", "must not contain spaces or control characters")
			case v.c.OAuthToken != "" && v.c.BasicAuthUser != "":
				return v.fail("oauthToken", "cannot be combined with "+v.name("basicAuthUser")+
					": both use the Authorization header")
			}
			return nil
		},
	},
	{
		name: "authScheme", kv: []string{"AuthScheme"}, field: "AuthScheme",
		typ: "auto, password, apiToken, oauth", def: "auto",
		doc: "Which credentials to send when several are set. auto sends user and password if set, else " +
			"oauthToken if set, else apiToken. basicAuthUser is sent in addition to any of them.",
		set: func(p *parseState, v string) string {
			for _, s := range []AuthScheme{AuthAuto, AuthPassword, AuthAPIToken, AuthOAuth} {
				if strings.EqualFold(v, string(s)) {
					p.c.AuthScheme = s
					return ""
				}
			}
			return "must be auto, password, apiToken or oauth"
		},
		get: func(c *Config) (string, bool) {
			return string(c.AuthScheme), c.AuthScheme != "" && c.AuthScheme != AuthAuto
		},
		check: checkAuthScheme,
	},
	{
		name: "basicAuthUser", kv: []string{"BasicAuthUser"}, field: "BasicAuthUser",
		typ: "string", def: "",
		doc: "User name for a domain behind cybozu.com Basic authentication, sent in addition to the other " +
			"credentials.",
		set: setString(func(c *Config) *string { return &c.BasicAuthUser }),
		get: getString(func(c *Config) *string { return &c.BasicAuthUser }),
		check: func(v *validator) *Error {
			switch {
			case strings.Contains(v.c.BasicAuthUser, ":"):
				return v.fail("basicAuthUser", "must not contain ':' (Basic authentication splits user:password at the first ':')")
			case hasControl(v.c.BasicAuthUser):
				return v.fail("basicAuthUser", "must not contain control characters")
			case v.c.BasicAuthUser != "" && v.c.BasicAuthPassword == "":
				return v.fail("basicAuthUser", "is set but "+v.name("basicAuthPassword")+" is empty")
			}
			return nil
		},
	},
	{
		name: "basicAuthPassword", kv: []string{"BasicAuthPassword"}, field: "BasicAuthPassword", secret: true,
		typ: "string", def: "",
		doc: "Password of basicAuthUser.",
		set: setString(func(c *Config) *string { return &c.BasicAuthPassword }),
		get: getString(func(c *Config) *string { return &c.BasicAuthPassword }),
		check: func(v *validator) *Error {
			if v.c.BasicAuthPassword != "" && v.c.BasicAuthUser == "" {
				return v.fail("basicAuthPassword", "is set but "+v.name("basicAuthUser")+" is empty")
			}
			return nil
		},
	},
	{
		name: "clientCert", kv: []string{"SSLClientCert"}, field: "ClientCert", secret: true,
		typ: "file or inline", def: "",
		doc: "Client certificate for cybozu.com Secure Access (the \".s.\" host): a PKCS#12 (.pfx/.p12) or PEM " +
			"file, inline PEM text, or \"base64:\" and the base64 of a PKCS#12 archive (of PEM text with " +
			"clientCertType=pem). PEM must hold the certificate and its private key. A file may be a pipe " +
			"(/dev/stdin) and holds at most 4 MiB. A file name is shown in String; inline material never is.",
		set: func(p *parseState, v string) string {
			p.c.ClientCert = v
			p.markBlob()
			return ""
		},
		get: getString(func(c *Config) *string { return &c.ClientCert }),
		mask: func(v string) string {
			if isInlineCert(v) || looksLikeBase64Blob(v) {
				return masked
			}
			return v
		},
		check: checkClientCert,
	},
	{
		name: "clientCertType", kv: []string{"SSLClientCertType"}, field: "ClientCertType",
		typ: "auto, pfx, pem", def: "auto",
		doc: "Format of clientCert. auto: inline PEM text is PEM, base64: material is PKCS#12, a .pfx or .p12 " +
			"file is PKCS#12, a .pem, .crt, .cer or .key file is PEM, another file is PEM if it holds " +
			"-----BEGIN. The key=value form also accepts CData's PFXFILE, PFXBLOB, PEMKEY_FILE and PEMKEY_BLOB " +
			"(a BLOB type means SSLClientCert holds base64 text).",
		set: func(p *parseState, v string) string {
			switch strings.ToUpper(v) {
			case "AUTO":
				p.c.ClientCertType = CertAuto
			case "PFX", "P12", "PKCS12", "PFXFILE":
				p.c.ClientCertType = CertPFX
			case "PEM", "PEMKEY_FILE":
				p.c.ClientCertType = CertPEM
			case "PFXBLOB":
				p.c.ClientCertType, p.certBlob = CertPFX, true
			case "PEMKEY_BLOB":
				p.c.ClientCertType, p.certBlob = CertPEM, true
			default:
				return "must be auto, pfx or pem (or CData's PFXFILE, PFXBLOB, PEMKEY_FILE, PEMKEY_BLOB)"
			}
			p.markBlob()
			return ""
		},
		get: func(c *Config) (string, bool) {
			return string(c.ClientCertType), c.ClientCertType != "" && c.ClientCertType != CertAuto
		},
		check: func(v *validator) *Error {
			switch v.c.ClientCertType {
			case "":
				v.c.ClientCertType = CertAuto
			case CertAuto, CertPFX, CertPEM:
			default:
				return v.fail("clientCertType", "must be auto, pfx or pem")
			}
			if v.c.ClientCertType == CertPFX && strings.Contains(v.c.ClientCert, "-----BEGIN") {
				return v.fail("clientCertType", "is pfx but "+v.name("clientCert")+" holds PEM text")
			}
			return nil
		},
	},
	{
		name: "clientCertPassword", kv: []string{"SSLClientCertPassword"}, field: "ClientCertPassword", secret: true,
		typ: "string", def: "",
		doc: "Password that decrypts a PKCS#12 archive. (Encrypted PEM keys are not supported: the standard " +
			"library's PEM decryption is deprecated as insecure.)",
		set: setString(func(c *Config) *string { return &c.ClientCertPassword }),
		get: getString(func(c *Config) *string { return &c.ClientCertPassword }),
		check: func(v *validator) *Error {
			if v.c.ClientCertPassword != "" && v.c.ClientCert == "" {
				return v.fail("clientCertPassword", "is set but "+v.name("clientCert")+" is empty")
			}
			return nil
		},
	},
	{
		name: "clientCertSubject", kv: []string{"SSLClientCertSubject"}, field: "ClientCertSubject",
		typ: "string", def: "the first certificate",
		doc: "Picks the certificate from a PKCS#12 archive that holds several: the first whose subject " +
			"contains this text. \"*\" means the first.",
		set: setString(func(c *Config) *string { return &c.ClientCertSubject }),
		get: getString(func(c *Config) *string { return &c.ClientCertSubject }),
		check: func(v *validator) *Error {
			if v.c.ClientCertSubject == "*" {
				v.c.ClientCertSubject = ""
			}
			if v.c.ClientCertSubject != "" && v.c.ClientCert == "" {
				return v.fail("clientCertSubject", "is set but "+v.name("clientCert")+" is empty")
			}
			return nil
		},
	},
	{
		name: "caFile", field: "CAFile",
		typ: "file", def: "the system's roots",
		doc: "PEM file of root certificates that replaces the system's when verifying the server. It may be " +
			"a pipe (/dev/stdin) and holds at most 4 MiB.",
		set: setString(func(c *Config) *string { return &c.CAFile }),
		get: getString(func(c *Config) *string { return &c.CAFile }),
		check: func(v *validator) *Error {
			if hasControl(v.c.CAFile) {
				return v.fail("caFile", "must not contain control characters")
			}
			return nil
		},
	},
	{
		name: "proxy", field: "Proxy", secret: true,
		typ: "URL or direct", def: "from the environment",
		doc: "Proxy URL with scheme http, https, socks5 or socks5h and an optional user:password; \"direct\" " +
			"uses no proxy; unset uses HTTPS_PROXY and NO_PROXY from the environment. Its password is secret.",
		set:   setString(func(c *Config) *string { return &c.Proxy }),
		get:   getString(func(c *Config) *string { return &c.Proxy }),
		mask:  maskProxy,
		check: checkProxy,
	},
	{
		name: "allowInsecureHTTP", field: "AllowInsecureHTTP",
		typ: "boolean", def: "false",
		doc: "Permits an http:// URL on a host that is not loopback (localhost, 127.0.0.0/8, ::1). " +
			"Credentials then cross the network in clear text.",
		set: func(p *parseState, v string) string {
			b, ok := parseBool(v)
			if !ok {
				return "must be true or false"
			}
			p.c.AllowInsecureHTTP = b
			return ""
		},
		get:   func(c *Config) (string, bool) { return "true", c.AllowInsecureHTTP },
		check: func(*validator) *Error { return nil }, // checked with url
	},
	{
		name: "timeout", kv: []string{"Timeout"}, field: "Timeout",
		typ: "duration", def: DefaultTimeout.String(),
		doc: "Bound on each HTTP request (not on a whole query), as a Go duration (30s, 2m) or a whole number " +
			"of seconds as CData writes it; 0 means no bound beyond the caller's context. A read that times out is " +
			"retried once at most (a second timeout means the server is not answering); a write that times out " +
			"after it was sent is not retried.",
		set: func(p *parseState, v string) string {
			d, ok := parseDuration(v)
			if !ok {
				return "must be a duration such as 30s or 2m, or a whole number of seconds"
			}
			p.c.Timeout = d
			return ""
		},
		get: func(c *Config) (string, bool) { return c.Timeout.String(), c.Timeout != DefaultTimeout },
		check: func(v *validator) *Error {
			if v.c.Timeout < 0 {
				return v.fail("timeout", "must not be negative")
			}
			return nil
		},
	},
	{
		name: "maxRetries", field: "MaxRetries",
		typ: "integer", def: strconv.Itoa(DefaultMaxRetries),
		doc: "How many times a request that is safe to repeat is retried after a transport error or a " +
			"429/502/503/504 (a read also once after an answer garbled on the way), with exponential backoff; 0 disables retries. At most " + strconv.Itoa(MaxMaxRetries) + ". " +
			"A write is retried only when Kintone's own error proves it was not applied.",
		set:   setInt(func(c *Config) *int { return &c.MaxRetries }),
		get:   func(c *Config) (string, bool) { return strconv.Itoa(c.MaxRetries), c.MaxRetries != DefaultMaxRetries },
		check: checkRange("maxRetries", func(c *Config) *int { return &c.MaxRetries }, 0, MaxMaxRetries, -1),
	},
	{
		name: "retryTimeout", field: "RetryTimeout",
		typ: "duration", def: DefaultRetryTimeout.String(),
		doc: "Bound on the retries of one request: no retry starts, and no wait before one (backoff or Retry-After) " +
			"ends, later than this after the request was first sent, and a Retry-After beyond what is left fails at once, " +
			"saying so. Each attempt is still bounded by timeout (a second per-request timeout ends the retries), and the " +
			"caller's context deadline comes first. 0 means only maxRetries bounds them.",
		set: func(p *parseState, v string) string {
			d, ok := parseDuration(v)
			if !ok {
				return "must be a duration such as 30s or 2m, or a whole number of seconds"
			}
			p.c.RetryTimeout = d
			return ""
		},
		get: func(c *Config) (string, bool) { return c.RetryTimeout.String(), c.RetryTimeout != DefaultRetryTimeout },
		check: func(v *validator) *Error {
			if v.c.RetryTimeout < 0 {
				return v.fail("retryTimeout", "must not be negative")
			}
			return nil
		},
	},
	{
		name: "maxResponseBytes", field: "MaxResponseBytes",
		typ: "size", def: formatSize(DefaultMaxResponseBytes),
		doc: "Cap on the size of one response body, in bytes or with KiB, MiB or GiB; 0 means no cap.",
		set: func(p *parseState, v string) string {
			n, ok := parseSize(v)
			if !ok {
				return "must be a number of bytes, optionally followed by KiB, MiB or GiB"
			}
			p.c.MaxResponseBytes = n
			return ""
		},
		get: func(c *Config) (string, bool) {
			return formatSize(c.MaxResponseBytes), c.MaxResponseBytes != DefaultMaxResponseBytes
		},
		check: func(v *validator) *Error {
			if v.c.MaxResponseBytes < 0 {
				return v.fail("maxResponseBytes", "must not be negative")
			}
			return nil
		},
	},
	{
		name: "userAgent", field: "UserAgent",
		typ: "string", def: "the driver's",
		doc: "Replaces the driver's User-Agent header.",
		set: setString(func(c *Config) *string { return &c.UserAgent }),
		get: getString(func(c *Config) *string { return &c.UserAgent }),
		check: func(v *validator) *Error {
			if hasControl(v.c.UserAgent) {
				return v.fail("userAgent", "must not contain control characters")
			}
			return nil
		},
	},
	{
		name: "pageSize", kv: []string{"Pagesize"}, field: "PageSize",
		typ: "integer", def: strconv.Itoa(DefaultPageSize),
		doc: "Records per request, 1 to " + strconv.Itoa(MaxPageSize) + " (Kintone's maximum); 0 means the default.",
		set: setInt(func(c *Config) *int { return &c.PageSize }),
		get: func(c *Config) (string, bool) {
			return strconv.Itoa(c.PageSize), c.PageSize != 0 && c.PageSize != DefaultPageSize
		},
		check: checkRange("pageSize", func(c *Config) *int { return &c.PageSize }, 1, MaxPageSize, DefaultPageSize),
	},
	{
		name: "useCursor", kv: []string{"UseCursor"}, field: "UseCursor",
		typ: "auto, always, never", def: "auto",
		doc: "When the cursor API reads records: auto only when no plan without one exists (a read that passes " +
			"Kintone's offset limit of 10,000 sorted by text, by several fields, or by a number, date or time field " +
			"that more than 10,000 empty values begin), " +
			"always for every multi-page result, never (such a read then reads every record and sorts in Go, as does " +
			"an ordered read whose user may not view the update time; past maxBufferedRows it fails). " +
			"With auto and always, a read that finds every cursor of maxCursors taken does as never does when its " +
			"records fit in maxBufferedRows and that takes at most twice the requests of the cursor. " +
			"CData's true means auto and false means never.",
		set: func(p *parseState, v string) string {
			switch strings.ToLower(v) {
			case "auto", "true":
				p.c.UseCursor = CursorAuto
			case "always":
				p.c.UseCursor = CursorAlways
			case "never", "false":
				p.c.UseCursor = CursorNever
			default:
				return "must be auto, always or never (or true or false)"
			}
			return ""
		},
		get: func(c *Config) (string, bool) {
			return string(c.UseCursor), c.UseCursor != "" && c.UseCursor != CursorAuto
		},
		check: func(v *validator) *Error {
			switch v.c.UseCursor {
			case "":
				v.c.UseCursor = CursorAuto
			case CursorAuto, CursorAlways, CursorNever:
			default:
				return v.fail("useCursor", "must be auto, always or never")
			}
			return nil
		},
	},
	{
		name: "maxRows", kv: []string{"MaxRows"}, field: "MaxRows",
		typ: "integer", def: "0 (no cap)",
		doc: "Cap on the rows a SELECT without LIMIT returns, as if it ended with LIMIT maxRows (aggregates still " +
			"see every record; metadata queries and the reads of UPDATE, DELETE and INSERT ... SELECT are never capped); " +
			"0 (or CData's -1) means no cap.",
		set: func(p *parseState, v string) string {
			if v == "-1" {
				p.c.MaxRows = 0
				return ""
			}
			n, ok := parseDigits(v)
			if !ok {
				return "must be a whole number (0 or -1 for no cap)"
			}
			p.c.MaxRows = n
			return ""
		},
		get: func(c *Config) (string, bool) { return strconv.FormatInt(c.MaxRows, 10), c.MaxRows != 0 },
		check: func(v *validator) *Error {
			if v.c.MaxRows < 0 {
				return v.fail("maxRows", "must not be negative (0 means no cap)")
			}
			return nil
		},
	},
	{
		name: "maxBufferedRows", field: "MaxBufferedRows",
		typ: "integer", def: "0 (no cap)",
		doc: "Cap on the rows a query holds in memory for a step the driver does that must see every row first " +
			"(an ORDER BY Kintone cannot do, GROUP BY, DISTINCT); past it the query fails with " +
			"translate.ErrTooManyRows rather than return part of the answer. 0 means no cap.",
		set: func(p *parseState, v string) string {
			n, ok := parseDigits(v)
			if !ok {
				return "must be a whole number (0 for no cap)"
			}
			p.c.MaxBufferedRows = n
			return ""
		},
		get: func(c *Config) (string, bool) {
			return strconv.FormatInt(c.MaxBufferedRows, 10), c.MaxBufferedRows != 0
		},
		check: func(v *validator) *Error {
			if v.c.MaxBufferedRows < 0 {
				return v.fail("maxBufferedRows", "must not be negative (0 means no cap)")
			}
			return nil
		},
	},
	{
		name: "concurrency", field: "Concurrency",
		typ: "integer", def: strconv.Itoa(DefaultConcurrency),
		doc: "The most pages one read asks Kintone for at once, 1 to " + strconv.Itoa(MaxConcurrency) +
			". A read by $id with many pages to go asks for them several at once when that costs at most one request in fifty more" +
			" than reading page after page, never with more at once than pages to go, nor while Kintone reports its domain half busy" +
			" (100 concurrent requests per domain, shared by every client). 1 reads page after page.",
		set: setInt(func(c *Config) *int { return &c.Concurrency }),
		get: func(c *Config) (string, bool) {
			return strconv.Itoa(c.Concurrency), c.Concurrency != 0 && c.Concurrency != DefaultConcurrency
		},
		check: checkRange("concurrency", func(c *Config) *int { return &c.Concurrency }, 1, MaxConcurrency, DefaultConcurrency),
	},
	{
		name: "maxCursors", field: "MaxCursors",
		typ: "integer", def: strconv.Itoa(DefaultMaxCursors),
		doc: "How many Kintone cursors the connections of one sql.DB hold open at once, 1 to " + strconv.Itoa(MaxMaxCursors) +
			". A read that needs one more, or finds Kintone's 10 open cursors per domain (shared by every client) all" +
			" taken, reads every matching record by $id and sorts them in Go instead when they are at most" +
			" maxBufferedRows (10,000 when that is 0) and their pages at most twice the requests of the cursor (not" +
			" so for a small LIMIT over many records); another read waits for one of this sql.DB's cursors to close," +
			" as long as its context allows and at most a minute in all when it has no deadline (the cursors may be held by" +
			" the reads it runs inside), and fails at once when the domain's are all other clients'.",
		set: setInt(func(c *Config) *int { return &c.MaxCursors }),
		get: func(c *Config) (string, bool) {
			return strconv.Itoa(c.MaxCursors), c.MaxCursors != 0 && c.MaxCursors != DefaultMaxCursors
		},
		check: checkRange("maxCursors", func(c *Config) *int { return &c.MaxCursors }, 1, MaxMaxCursors, DefaultMaxCursors),
	},
	{
		name: "loc", field: "Loc",
		typ: "time zone", def: "UTC",
		doc: "Time zone in which DATE and DATETIME values are presented and DATE parameters are read: an IANA " +
			"name (Asia/Tokyo), UTC, Local, or a fixed offset such as +09:00. IANA names need the system's " +
			"time zone database or an import of time/tzdata.",
		set: func(p *parseState, v string) string {
			loc, ok := parseLocation(v)
			if !ok {
				return "must be an IANA time zone name (such as Asia/Tokyo), UTC, Local, or an offset such as +09:00"
			}
			p.c.Loc = loc
			return ""
		},
		get: func(c *Config) (string, bool) {
			if c.Loc == nil {
				return "UTC", false
			}
			return c.Loc.String(), c.Loc.String() != "UTC"
		},
		check: func(v *validator) *Error {
			if v.c.Loc == nil {
				v.c.Loc = time.UTC
			}
			return nil
		},
	},
}

// setString returns a set function that stores the value as it is.
func setString(f func(*Config) *string) func(*parseState, string) string {
	return func(p *parseState, v string) string {
		*f(p.c) = v
		return ""
	}
}

// getString returns a get function for a string field whose default is "".
func getString(f func(*Config) *string) func(*Config) (string, bool) {
	return func(c *Config) (string, bool) {
		s := *f(c)
		return s, s != ""
	}
}

// setInt returns a set function for an int field written in digits.
func setInt(f func(*Config) *int) func(*parseState, string) string {
	return func(p *parseState, v string) string {
		n, ok := parseInt(v)
		if !ok {
			return "must be a whole number"
		}
		*f(p.c) = n
		return ""
	}
}

// checkRange returns a check that the int field is from lo to hi. If def is
// not negative, a zero field is first set to def.
func checkRange(name string, f func(*Config) *int, lo, hi, def int) func(*validator) *Error {
	return func(v *validator) *Error {
		p := f(v.c)
		if *p == 0 && def >= 0 {
			*p = def
		}
		if *p < lo || *p > hi {
			msg := "must be from " + strconv.Itoa(lo) + " to " + strconv.Itoa(hi)
			if def >= 0 {
				msg += " (0 means the default, " + strconv.Itoa(def) + ")"
			}
			return v.fail(name, msg)
		}
		return nil
	}
}

// markBlob turns a client certificate given with a CData *BLOB type into the
// "base64:" inline form. It runs after both SSLClientCert and
// SSLClientCertType, whichever comes last.
func (p *parseState) markBlob() {
	if p.certBlob && p.c.ClientCert != "" && !isInlineCert(p.c.ClientCert) {
		p.c.ClientCert = inlineBase64Prefix + p.c.ClientCert
	}
}

// inlineBase64Prefix starts inline base64 certificate material.
const inlineBase64Prefix = "base64:"

// isInlineCert reports whether a ClientCert value is inline material rather
// than a file name.
func isInlineCert(s string) bool {
	return strings.HasPrefix(s, inlineBase64Prefix) || strings.Contains(s, "-----BEGIN")
}

// decodeInlineBase64 decodes the material after "base64:", ignoring white
// space and accepting missing padding.
func decodeInlineBase64(s string) ([]byte, bool) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
			return -1
		}
		return r
	}, strings.TrimPrefix(s, inlineBase64Prefix))
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		b, err = base64.RawStdEncoding.DecodeString(s)
	}
	return b, err == nil && len(b) > 0
}
