package auth

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io/fs"

	"github.com/kintone-sql/kintone/dsn"
	"github.com/kintone-sql/kintone/internal/readlimit"
)

// TLSConfig returns the TLS settings for cfg's connections: TLS 1.2 or
// later, certificate verification on, the roots of cfg.CAFile instead of the
// system's when it is set, and the client certificate of cfg.ClientCert when
// it is set (cybozu.com Secure Access).
//
// The client certificate is always presented when the server asks for one,
// whatever CA names the server lists, as curl and browsers do; a server
// that rejects it says so in the handshake.
func TLSConfig(cfg *dsn.Config) (*tls.Config, error) {
	if cfg == nil {
		return nil, errors.New("kintone: auth: nil *dsn.Config")
	}
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if cfg.CAFile != "" {
		pool, err := loadCAFile(cfg.CAFile)
		if err != nil {
			return nil, err
		}
		tc.RootCAs = pool
	}
	if cfg.ClientCert != "" {
		cert, err := ClientCertificate(cfg)
		if err != nil {
			return nil, err
		}
		tc.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
			return cert, nil
		}
	} else if cfg.ClientCertPassword != "" || cfg.ClientCertSubject != "" {
		key := keyClientCertPassword
		if cfg.ClientCertPassword == "" {
			key = keyClientCertSubject
		}
		return nil, newError(key, "is set but clientCert is not")
	}
	return tc, nil
}

// loadCAFile reads a PEM bundle of root certificates.
func loadCAFile(path string) (*x509.CertPool, error) {
	data, err := readFile(keyCAFile, path)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(data) {
		return nil, newError(keyCAFile, "the file holds no PEM certificate")
	}
	return pool, nil
}

// readFile reads a file named by a DSN key, at most dsn.MaxFileBytes of it.
// The error names the key and, when it looks like a path rather than
// pasted material, the path.
func readFile(key, path string) ([]byte, error) {
	data, err := readlimit.File(path, dsn.MaxFileBytes)
	if err == nil {
		return data, nil
	}
	where := "the file"
	if looksLikePath(path) {
		where += " " + quoteShort(path)
	}
	var tl *readlimit.TooLargeError
	if errors.As(err, &tl) {
		return nil, newError(key, where+" "+tl.Error()+", the limit for "+key+" files")
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err // the bare cause; PathError would repeat the path
	}
	return nil, &Error{Key: key, Msg: "cannot read " + where, Err: err}
}

// looksLikePath reports whether s can be echoed in an error: short and on
// one line. Pasted certificate or key material is neither.
func looksLikePath(s string) bool {
	if len(s) > 256 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' {
			return false
		}
	}
	return true
}
