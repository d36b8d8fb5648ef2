package auth

import (
	"crypto/x509"
	"errors"
	"strings"

	"software.sslmate.com/src/go-pkcs12"
)

// parsePKCS12 decodes a PFX archive with password.
func parsePKCS12(data []byte, password string) (*keyAndCerts, error) {
	key, leaf, chain, err := pkcs12.DecodeChain(data, password)
	if err != nil {
		return nil, pkcs12Error(err, password)
	}
	return &keyAndCerts{key: key, certs: append([]*x509.Certificate{leaf}, chain...)}, nil
}

// pkcs12Error names the key at fault for a decoding failure.
func pkcs12Error(err error, password string) error {
	switch {
	case errors.Is(err, pkcs12.ErrIncorrectPassword), errors.Is(err, pkcs12.ErrDecryption):
		if password == "" {
			return newError(keyClientCertPassword, "the PKCS#12 archive is encrypted and no password is set")
		}
		return newError(keyClientCertPassword, "wrong password for the PKCS#12 archive")
	case strings.Contains(err.Error(), "exactly one key bag"):
		return newError(keyClientCert, "the PKCS#12 archive holds more than one private key, which is not supported; "+
			"export the one certificate to use with its key")
	}
	// go-pkcs12's messages describe the structure (ASN.1 tags, missing
	// bags, unsupported algorithms), never the archive's bytes.
	return &Error{Key: keyClientCert, Msg: "not a usable PKCS#12 (PFX) archive", Err: err}
}
