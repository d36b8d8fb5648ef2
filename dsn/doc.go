// Package dsn parses and formats the data source names of the Kintone
// database/sql driver, and holds the resulting Config.
//
// A DSN comes in one of two forms. The URL form:
//
//	https://login:password@example.cybozu.com/?guestSpace=5&pageSize=200
//	https://example.cybozu.com/?apiToken=token1,token2&apps=orders:42,customers:43
//	kintone://example.s.cybozu.com/k/guest/5/?apiToken=t1&clientCert=/etc/kintone/me.pfx&clientCertPassword=...
//	http://127.0.0.1:8080/?apiToken=t1 (the emulator; http:// is for loopback hosts only)
//
// Keys are lowerCamelCase and case-sensitive. The login and password go in
// the userinfo (or in the user and password keys); percent-encode '@', '/',
// '?', '#', ':' and '%' in them, and '&' and '%' in values.
//
// The key=value form takes the connection strings of CData's Kintone
// drivers, with their property names in any case, so a connection string can
// be pasted as it is:
//
//	Url=https://example.cybozu.com;User=login;Password=secret;GuestSpaceId=5
//	Url=https://example.cybozu.com;APIToken=t1,t2;AppId=42,43;Pagesize=200;UseCursor=false
//
// Parts are separated by ';'. A value that holds ';' or starts with a quote
// is enclosed in double or single quotes, with the quote doubled inside:
// Password="a;b""c". The URL form's key names work here too. The values are
// the same in both forms, with a few CData spellings accepted (Timeout in
// whole seconds, UseCursor=true/false, MaxRows=-1, SSLClientCertType=PFXFILE
// and the like). CData properties that this driver does not take (Schema,
// ProxyServer, OAuthClientId, ...) are refused with an error that says what
// to use instead.
//
// Parse reads either form into a Config, which Validate has checked and
// normalized; (*Config).FormatDSN writes the URL form back, and Parse of that
// gives an equal Config. A Config can also be built in code from NewConfig and
// checked with Validate. An unknown key, a key given twice, a bad value or a
// broken limit is an *Error that names the key (and the nearest valid key
// for a typo).
//
// # Secrets
//
// Passwords, API tokens, the OAuth token, the certificate password, inline
// certificate material and the proxy password are secrets. Error messages
// never quote a value from the DSN, and hide even an unknown key name when it
// follows a secret (an unencoded '&' or ';' in a secret would make a piece
// of it look like a key). String, Format (every fmt verb), LogValue
// (log/slog), MarshalJSON and MarshalText show a Config with each secret
// replaced by "xxxxx", and gob refuses to encode one. FormatDSN is the one
// way to get the secrets back, for storing a Config. (fmt cannot call these
// methods on a Config kept in an unexported struct field: see Config.)
//
// # Keys
//
// Every key is declared once, in a table that Parse, FormatDSN, String,
// LogValue, Validate and the errors share; this list and MarkdownKeyTable are
// generated from it, and Keys returns it.
//
//   - url (key=value: Url; URL; required): The Kintone domain:
//     https://example.cybozu.com, a custom domain, the ".s." host for client
//     certificates, or http://127.0.0.1:<port> for the emulator. kintone://
//     means https://, a missing scheme means https://, and a path
//     /k/guest/<id>/ sets guestSpace. In the URL form this is the URL itself,
//     not a key.
//   - guestSpace (key=value: GuestSpaceId; integer; default 0 (none)): The
//     guest space that holds the apps; requests then go to /k/guest/<id>/v1/.
//   - user (key=value: User, Username; string): Login name for password
//     authentication; in the URL form usually written as the URL's user name.
//   - password (key=value: Password; string; secret): Password of user; in the
//     URL form usually written as the URL's password (percent-encode '@', '/',
//     '?', '#', ':' and '%').
//   - apiToken (key=value: APIToken; list of strings; secret): API tokens,
//     separated by commas, at most 9 (Kintone's limit per request). Each token
//     opens only its own app; API tokens cannot list apps, so name the apps
//     with apps or appId.
//   - appId (key=value: AppId; list of integers): App IDs to expose as tables,
//     separated by commas, for credentials that cannot list apps (API tokens).
//     An app can always be named by its ID.
//   - apps (list of name:id): Table names for app IDs, as
//     orders:42,customers:43, so that SQL can name apps that cannot be listed
//     (API tokens cannot call apps.json). A name must not be empty, all
//     digits, or contain ',' or ':'.
//   - oauthToken (key=value: OAuthAccessToken; string; secret): OAuth 2.0
//     access token, sent as a bearer token. Cannot be combined with
//     basicAuthUser (both use the Authorization header).
//   - authScheme (key=value: AuthScheme; auto, password, apiToken, oauth;
//     default auto): Which credentials to send when several are set. auto
//     sends user and password if set, else oauthToken if set, else apiToken.
//     basicAuthUser is sent in addition to any of them.
//   - basicAuthUser (key=value: BasicAuthUser; string): User name for a domain
//     behind cybozu.com Basic authentication, sent in addition to the other
//     credentials.
//   - basicAuthPassword (key=value: BasicAuthPassword; string; secret):
//     Password of basicAuthUser.
//   - clientCert (key=value: SSLClientCert; file or inline; secret): Client
//     certificate for cybozu.com Secure Access (the ".s." host): a PKCS#12
//     (.pfx/.p12) or PEM file, inline PEM text, or "base64:" and the base64 of
//     a PKCS#12 archive (of PEM text with clientCertType=pem). PEM must hold
//     the certificate and its private key. A file may be a pipe (/dev/stdin)
//     and holds at most 4 MiB. A file name is shown in String; inline material
//     never is.
//   - clientCertType (key=value: SSLClientCertType; auto, pfx, pem; default
//     auto): Format of clientCert. auto: inline PEM text is PEM, base64:
//     material is PKCS#12, a .pfx or .p12 file is PKCS#12, a .pem, .crt, .cer
//     or .key file is PEM, another file is PEM if it holds -----BEGIN. The
//     key=value form also accepts CData's PFXFILE, PFXBLOB, PEMKEY_FILE and
//     PEMKEY_BLOB (a BLOB type means SSLClientCert holds base64 text).
//   - clientCertPassword (key=value: SSLClientCertPassword; string; secret):
//     Password that decrypts a PKCS#12 archive. (Encrypted PEM keys are not
//     supported: the standard library's PEM decryption is deprecated as
//     insecure.)
//   - clientCertSubject (key=value: SSLClientCertSubject; string; default the
//     first certificate): Picks the certificate from a PKCS#12 archive that
//     holds several: the first whose subject contains this text. "*" means the
//     first.
//   - caFile (file; default the system's roots): PEM file of root certificates
//     that replaces the system's when verifying the server. It may be a pipe
//     (/dev/stdin) and holds at most 4 MiB.
//   - proxy (URL or direct; default from the environment; secret): Proxy URL
//     with scheme http, https, socks5 or socks5h and an optional
//     user:password; "direct" uses no proxy; unset uses HTTPS_PROXY and
//     NO_PROXY from the environment. Its password is secret.
//   - allowInsecureHTTP (boolean; default false): Permits an http:// URL on a
//     host that is not loopback (localhost, 127.0.0.0/8, ::1). Credentials
//     then cross the network in clear text.
//   - timeout (key=value: Timeout; duration; default 1m0s): Bound on each HTTP
//     request (not on a whole query), as a Go duration (30s, 2m) or a whole
//     number of seconds as CData writes it; 0 means no bound beyond the
//     caller's context. A read that times out is retried once at most (a
//     second timeout means the server is not answering); a write that times
//     out after it was sent is not retried.
//   - maxRetries (integer; default 4): How many times a request that is safe
//     to repeat is retried after a transport error or a 429/502/503/504 (a
//     read also once after an answer garbled on the way), with exponential
//     backoff; 0 disables retries. At most 10. A write is retried only when
//     Kintone's own error proves it was not applied.
//   - retryTimeout (duration; default 30s): Bound on the retries of one
//     request: no retry starts, and no wait before one (backoff or
//     Retry-After) ends, later than this after the request was first sent, and
//     a Retry-After beyond what is left fails at once, saying so. Each attempt
//     is still bounded by timeout (a second per-request timeout ends the
//     retries), and the caller's context deadline comes first. 0 means only
//     maxRetries bounds them.
//   - maxResponseBytes (size; default 64MiB): Cap on the size of one response
//     body, in bytes or with KiB, MiB or GiB; 0 means no cap.
//   - userAgent (string; default the driver's): Replaces the driver's
//     User-Agent header.
//   - pageSize (key=value: Pagesize; integer; default 500): Records per
//     request, 1 to 500 (Kintone's maximum); 0 means the default.
//   - useCursor (key=value: UseCursor; auto, always, never; default auto):
//     When the cursor API reads records: auto only when no plan without one
//     exists (a read that passes Kintone's offset limit of 10,000 sorted by
//     text, by several fields, or by a number, date or time field that more
//     than 10,000 empty values begin), always for every multi-page result,
//     never (such a read then reads every record and sorts in Go, as does an
//     ordered read whose user may not view the update time; past
//     maxBufferedRows it fails). With auto and always, a read that finds every
//     cursor of maxCursors taken does as never does when its records fit in
//     maxBufferedRows and that takes at most twice the requests of the cursor.
//     CData's true means auto and false means never.
//   - maxRows (key=value: MaxRows; integer; default 0 (no cap)): Cap on the
//     rows a SELECT without LIMIT returns, as if it ended with LIMIT maxRows
//     (aggregates still see every record; metadata queries and the reads of
//     UPDATE, DELETE and INSERT ... SELECT are never capped); 0 (or CData's
//     -1) means no cap.
//   - maxBufferedRows (integer; default 0 (no cap)): Cap on the rows a query
//     holds in memory for a step the driver does that must see every row first
//     (an ORDER BY Kintone cannot do, GROUP BY, DISTINCT); past it the query
//     fails with translate.ErrTooManyRows rather than return part of the
//     answer. 0 means no cap.
//   - concurrency (integer; default 8): The most pages one read asks Kintone
//     for at once, 1 to 16. A read by $id with many pages to go asks for them
//     several at once when that costs at most one request in fifty more than
//     reading page after page, never with more at once than pages to go, nor
//     while Kintone reports its domain half busy (100 concurrent requests per
//     domain, shared by every client). 1 reads page after page.
//   - maxCursors (integer; default 5): How many Kintone cursors the
//     connections of one sql.DB hold open at once, 1 to 10. A read that needs
//     one more, or finds Kintone's 10 open cursors per domain (shared by every
//     client) all taken, reads every matching record by $id and sorts them in
//     Go instead when they are at most maxBufferedRows (10,000 when that is 0)
//     and their pages at most twice the requests of the cursor (not so for a
//     small LIMIT over many records); another read waits for one of this
//     sql.DB's cursors to close, as long as its context allows and at most a
//     minute in all when it has no deadline (the cursors may be held by the
//     reads it runs inside), and fails at once when the domain's are all other
//     clients'.
//   - loc (time zone; default UTC): Time zone in which DATE and DATETIME
//     values are presented and DATE parameters are read: an IANA name
//     (Asia/Tokyo), UTC, Local, or a fixed offset such as +09:00. IANA names
//     need the system's time zone database or an import of time/tzdata.
//
// # Credentials
//
// Kintone needs one kind of credentials: user and password, API tokens, or an
// OAuth token; authScheme picks one when several are set. Basic authentication and a client certificate
// come in addition to them. The auth package decides which credentials win
// (auth.Choose) and loads the client certificate into a tls.Config.
package dsn
