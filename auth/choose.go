package auth

import (
	"errors"

	"github.com/kintone-sql/kintone/dsn"
)

// Choose returns the scheme whose credentials New sends for cfg. It is the
// only place where precedence between credentials is decided:
//
//   - AuthScheme password, apiToken or oauth selects that scheme, and its
//     credentials must be set (user and password; at least one API token;
//     an OAuth token). Other credentials in cfg are ignored.
//   - AuthScheme auto, or empty, selects password when user and password are
//     both set, else oauth when an OAuth token is set, else apiToken when
//     API tokens are set. A user without a password (or a password without a
//     user) is an error unless another credential is set.
//
// The Basic layer is not a scheme: New adds it to whichever scheme wins.
func Choose(cfg *dsn.Config) (dsn.AuthScheme, error) {
	if cfg == nil {
		return "", errors.New("kintone: auth: nil *dsn.Config")
	}
	hasPassword := cfg.User != "" && cfg.Password != ""
	hasOAuth := cfg.OAuthToken != ""
	hasTokens := len(cfg.APITokens) > 0

	switch cfg.AuthScheme {
	case dsn.AuthPassword:
		if !hasPassword {
			return "", missingPassword(cfg, "authScheme=password needs")
		}
		return dsn.AuthPassword, nil
	case dsn.AuthAPIToken:
		if !hasTokens {
			return "", newError(keyAPIToken, "authScheme=apiToken needs at least one API token")
		}
		return dsn.AuthAPIToken, nil
	case dsn.AuthOAuth:
		if !hasOAuth {
			return "", newError(keyOAuthToken, "authScheme=oauth needs an OAuth token")
		}
		return dsn.AuthOAuth, nil
	case dsn.AuthAuto, "":
		switch {
		case hasPassword:
			return dsn.AuthPassword, nil
		case hasOAuth:
			return dsn.AuthOAuth, nil
		case hasTokens:
			return dsn.AuthAPIToken, nil
		case cfg.User != "" || cfg.Password != "":
			return "", missingPassword(cfg, "password authentication needs")
		}
		return "", newError(keyUser, "no credentials: set user and password, apiToken, or oauthToken")
	}
	return "", newError(keyAuthScheme, "unknown scheme; use auto, password, apiToken or oauth")
}

// missingPassword names whichever half of the login/password pair is
// missing.
func missingPassword(cfg *dsn.Config, what string) error {
	if cfg.User == "" {
		return newError(keyUser, what+" a login name")
	}
	return newError(keyPassword, what+" a password")
}

// New returns the Authenticator for cfg: the scheme Choose selects, wrapped
// in a Basic layer when basicAuthUser or basicAuthPassword is set. A Basic
// layer in front of OAuth is an error (both use the Authorization header).
func New(cfg *dsn.Config) (Authenticator, error) {
	scheme, err := Choose(cfg)
	if err != nil {
		return nil, err
	}
	var a Authenticator
	switch scheme {
	case dsn.AuthPassword:
		a, err = NewPassword(cfg.User, cfg.Password)
	case dsn.AuthAPIToken:
		a, err = NewAPITokens(cfg.APITokens...)
	case dsn.AuthOAuth:
		a, err = NewOAuth(cfg.OAuthToken)
	}
	if err != nil {
		return nil, err
	}
	if cfg.BasicAuthUser == "" && cfg.BasicAuthPassword == "" {
		return a, nil
	}
	return NewBasic(cfg.BasicAuthUser, cfg.BasicAuthPassword, a)
}
