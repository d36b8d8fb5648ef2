package auth

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"strings"
)

// keyAndCerts is a private key and the certificates found beside it.
type keyAndCerts struct {
	key   crypto.PrivateKey
	certs []*x509.Certificate
}

// certificate picks the leaf for k.key (see ClientCertificate) and returns it
// with the other certificates as its chain.
func (k *keyAndCerts) certificate(subject string) (*tls.Certificate, error) {
	signer, ok := k.key.(crypto.Signer)
	if !ok {
		return nil, newError(keyClientCert, "the private key is of a type TLS cannot sign with")
	}
	switch signer.(type) {
	case *rsa.PrivateKey, *ecdsa.PrivateKey, ed25519.PrivateKey:
	default:
		return nil, newError(keyClientCert, "the private key is of a type TLS cannot sign with")
	}
	pub, ok := signer.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok {
		return nil, newError(keyClientCert, "the private key is of a type TLS cannot sign with")
	}
	var matching []*x509.Certificate
	for _, c := range k.certs {
		if pub.Equal(c.PublicKey) {
			matching = append(matching, c)
		}
	}
	if len(matching) == 0 {
		return nil, newError(keyClientCert, "no certificate matches the private key")
	}
	leaf := matching[0]
	if subject != "" && subject != "*" {
		leaf = nil
		want := strings.ToLower(subject)
		for _, c := range matching {
			if strings.Contains(strings.ToLower(c.Subject.String()), want) {
				leaf = c
				break
			}
		}
		if leaf == nil {
			subjects := make([]string, len(matching))
			for i, c := range matching {
				subjects[i] = quoteShort(c.Subject.String())
			}
			return nil, newError(keyClientCertSubject, "no certificate for the private key has a subject containing "+
				quoteShort(subject)+"; subjects found: "+strings.Join(subjects, ", "))
		}
	}
	chain := [][]byte{leaf.Raw}
	for _, c := range k.certs {
		if c != leaf && !pub.Equal(c.PublicKey) {
			chain = append(chain, c.Raw)
		}
	}
	return &tls.Certificate{Certificate: chain, PrivateKey: k.key, Leaf: leaf}, nil
}
