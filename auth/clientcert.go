package auth

import (
	"crypto/tls"
	"encoding/base64"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/kintone-sql/kintone/dsn"
)

// inlineBase64Prefix marks inline PKCS#12 material in Config.ClientCert.
const inlineBase64Prefix = "base64:"

// ClientCertificate loads cfg.ClientCert, decrypted with
// cfg.ClientCertPassword and chosen by cfg.ClientCertSubject, as a TLS
// certificate with its chain.
//
// Supported material:
//   - PKCS#12 (PFX), from a file or inline as "base64:<standard base64>",
//     legacy (RC2, 3DES) or modern (AES, PBES2) encrypted, or unencrypted.
//   - PEM, from a file or inline text, holding the certificate (and any
//     chain) and one unencrypted private key: PKCS#8 ("PRIVATE KEY"),
//     PKCS#1 ("RSA PRIVATE KEY") or SEC 1 ("EC PRIVATE KEY"). Encrypted PEM
//     keys are refused with an error saying how to convert them: the
//     standard library's legacy PEM decryption is deprecated as insecure and
//     it has none for encrypted PKCS#8.
//
// The leaf is the certificate whose public key matches the private key; when
// several match, the first whose subject contains cfg.ClientCertSubject
// (case-insensitive; empty or "*" takes the first).
func ClientCertificate(cfg *dsn.Config) (*tls.Certificate, error) {
	m, err := readMaterial(cfg)
	if err != nil {
		return nil, err
	}
	var k *keyAndCerts
	if m.pem {
		k, err = parsePEM(m.data)
	} else {
		k, err = parsePKCS12(m.data, cfg.ClientCertPassword)
	}
	if err != nil {
		return nil, err
	}
	return k.certificate(cfg.ClientCertSubject)
}

// material is the client certificate's bytes and format.
type material struct {
	data []byte
	pem  bool
}

// readMaterial reads cfg.ClientCert from inline text or a file and decides
// its format from cfg.ClientCertType, the inline form, the file extension
// and, for other files, the content.
func readMaterial(cfg *dsn.Config) (material, error) {
	src := cfg.ClientCert
	typ := cfg.ClientCertType
	switch typ {
	case "", dsn.CertAuto, dsn.CertPEM, dsn.CertPFX:
	default:
		return material{}, newError(keyClientCertType, "unknown type; use auto, pfx or pem")
	}
	switch {
	case strings.Contains(src, "-----BEGIN"):
		if typ == dsn.CertPFX {
			return material{}, newError(keyClientCertType, "is pfx but clientCert holds inline PEM text")
		}
		return material{data: []byte(src), pem: true}, nil
	case strings.HasPrefix(src, inlineBase64Prefix):
		data, err := decodeBase64(src[len(inlineBase64Prefix):])
		if err != nil {
			return material{}, newError(keyClientCert, "the inline "+inlineBase64Prefix+" material is not valid standard base64")
		}
		return material{data: data, pem: typ == dsn.CertPEM}, nil
	}
	data, err := readFile(keyClientCert, src)
	if err != nil {
		return material{}, err
	}
	switch typ {
	case dsn.CertPEM:
		return material{data: data, pem: true}, nil
	case dsn.CertPFX:
		return material{data: data}, nil
	}
	switch strings.ToLower(filepath.Ext(src)) {
	case ".pfx", ".p12":
		return material{data: data}, nil
	case ".pem", ".crt", ".cer", ".key":
		return material{data: data, pem: true}, nil
	}
	// Another extension: PEM is text with a BEGIN line, PKCS#12 is DER.
	return material{data: data, pem: strings.Contains(string(data), "-----BEGIN")}, nil
}

// decodeBase64 decodes standard base64, padded or not, ignoring line breaks
// and spaces that survive copying the text around.
func decodeBase64(s string) ([]byte, error) {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\r', '\n':
			return -1
		}
		return r
	}, s)
	if strings.HasSuffix(s, "=") {
		return base64.StdEncoding.DecodeString(s)
	}
	return base64.RawStdEncoding.DecodeString(s)
}

// quoteShort quotes s for an error message.
func quoteShort(s string) string { return strconv.Quote(s) }
