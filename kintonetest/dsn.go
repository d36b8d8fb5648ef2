package kintonetest

import (
	"net/url"
	"strings"
)

// DSN returns a data source name for the kintone-sql driver that signs in
// to this server as its first user with a password.
func (s *Server) DSN() string {
	u, _ := s.dir.firstUser()
	return s.DSNFor(u.Login, u.Password)
}

// DSNFor returns a data source name that signs in with login and password.
func (s *Server) DSNFor(login, password string) string {
	u := s.baseURL()
	u.User = url.UserPassword(login, password)
	return u.String()
}

// TokenDSN returns a data source name that authenticates with API tokens.
func (s *Server) TokenDSN(tokens ...string) string {
	u := s.baseURL()
	q := url.Values{}
	q.Set("apiToken", strings.Join(tokens, ","))
	u.RawQuery = q.Encode()
	return u.String()
}

func (s *Server) baseURL() *url.URL {
	u, _ := url.Parse(s.URL)
	u.Path = "/"
	return u
}
