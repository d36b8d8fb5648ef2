// Package auth turns the credentials of a dsn.Config into what Kintone
// expects on the wire: headers on every request (an Authenticator) and a
// client certificate for cybozu.com Secure Access (a *tls.Config).
//
// # Schemes
//
// Kintone accepts one of three credentials per request, optionally behind a
// Basic layer:
//
//   - password: X-Cybozu-Authorization: base64(login ":" password)
//   - API tokens: X-Cybozu-API-Token: token1,token2 (at most 9, each opens
//     its own app)
//   - OAuth: Authorization: Bearer <access token>
//   - Basic: Authorization: Basic base64(user ":" password), sent in
//     addition to one of the above when the domain has cybozu.com Basic
//     authentication. It cannot be combined with OAuth, which uses the same
//     header.
//
// # Precedence
//
// When a Config holds several credentials, exactly one is sent, chosen by
// Choose and nowhere else:
//
//   - AuthScheme password, apiToken or oauth: that scheme; its credentials
//     must be set.
//   - AuthScheme auto (or empty): the password when user and password are
//     both set, else the OAuth token, else the API tokens.
//
// Password first follows the official clients (@kintone/rest-api-client and
// cli-kintone send only the password header when both are configured) and
// Kintone's own rule that password authentication outranks session
// authentication. The Basic layer is added to whichever scheme wins.
//
// # Secrets
//
// No error, String, GoString, Format or LogValue of this package contains a
// password, token or inline key material. Errors name the DSN key at fault
// (clientCert, clientCertPassword, apiToken, ...) in the URL form's spelling.
package auth
