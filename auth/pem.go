package auth

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"strings"
)

// encryptedPEMHelp says what to do with an encrypted PEM key.
const encryptedPEMHelp = "the PEM private key is encrypted, which is not supported " +
	"(Go's standard library has no safe decryption for encrypted PEM keys); " +
	"use the certificate as a password-protected PKCS#12 file instead " +
	"(openssl pkcs12 -export -in cert.pem -inkey key.pem -out cert.pfx) " +
	"or decrypt the key (openssl pkey -in key.pem -out plain.pem)"

// parsePEM reads every block of data: CERTIFICATE blocks become the
// certificates, exactly one private-key block must be present, and blocks of
// other types (EC PARAMETERS, ...) are skipped.
func parsePEM(data []byte) (*keyAndCerts, error) {
	k := &keyAndCerts{}
	keys := 0
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		switch block.Type {
		case "CERTIFICATE":
			c, err := x509.ParseCertificate(block.Bytes)
			if err != nil {
				return nil, &Error{Key: keyClientCert, Msg: "a PEM CERTIFICATE block cannot be parsed", Err: err}
			}
			k.certs = append(k.certs, c)
		case "ENCRYPTED PRIVATE KEY":
			return nil, newError(keyClientCert, encryptedPEMHelp)
		case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY":
			if strings.Contains(block.Headers["Proc-Type"], "ENCRYPTED") {
				return nil, newError(keyClientCert, encryptedPEMHelp)
			}
			keys++
			if keys > 1 {
				return nil, newError(keyClientCert, "the PEM text holds more than one private key")
			}
			key, err := parsePEMKey(block)
			if err != nil {
				// The parser's message describes the structure, never the
				// key bytes; it is still left out to be safe.
				return nil, newError(keyClientCert, "the PEM "+block.Type+" block cannot be parsed")
			}
			k.key = key
		}
	}
	switch {
	case len(k.certs) == 0 && k.key == nil:
		return nil, newError(keyClientCert, "no PEM certificate or private key found")
	case len(k.certs) == 0:
		return nil, newError(keyClientCert, "the PEM text holds no CERTIFICATE block")
	case k.key == nil:
		return nil, newError(keyClientCert, "the PEM text holds no private key; put the certificate and its key in one PEM file")
	}
	return k, nil
}

// parsePEMKey parses an unencrypted private-key block.
func parsePEMKey(block *pem.Block) (crypto.PrivateKey, error) {
	switch block.Type {
	case "RSA PRIVATE KEY":
		return x509.ParsePKCS1PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		return x509.ParseECPrivateKey(block.Bytes)
	}
	return x509.ParsePKCS8PrivateKey(block.Bytes)
}
