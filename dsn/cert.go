package dsn

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"strings"
)

// ClientCertMaterial returns the bytes of the client certificate that
// ClientCert names and their format: the decoded inline material or the
// content of the file, and CertPFX or CertPEM (ClientCertType, or for
// CertAuto the format found in the content). It returns nil, "" and no error
// when ClientCert is empty. The bytes are secret; turning them into a
// tls.Certificate (with ClientCertPassword and ClientCertSubject) is the
// auth package's job.
//
// Errors never contain the material. An error reading the file names neither
// the file nor its content, only what went wrong ("no such file or
// directory").
func (c *Config) ClientCertMaterial() ([]byte, CertType, error) {
	s := c.ClientCert
	var data []byte
	switch {
	case s == "":
		return nil, "", nil
	case strings.HasPrefix(s, inlineBase64Prefix):
		b, ok := decodeInlineBase64(s)
		if !ok {
			return nil, "", &Error{Form: FormConfig, Key: "ClientCert", Msg: "the material after base64: is not valid standard base64"}
		}
		data = b
	case strings.Contains(s, "-----BEGIN"):
		data = []byte(s)
	default:
		b, err := os.ReadFile(s)
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return nil, "", &Error{Form: FormConfig, Key: "ClientCert", Msg: "cannot read the certificate file: " + err.Error(), Err: err}
		}
		data = b
	}
	isPEM := bytes.Contains(data, []byte("-----BEGIN"))
	switch c.ClientCertType {
	case "", CertAuto:
		if isPEM {
			return data, CertPEM, nil
		}
		return data, CertPFX, nil
	case CertPEM:
		if !isPEM {
			return nil, "", &Error{Form: FormConfig, Key: "ClientCert", Msg: "is not PEM text (it has no -----BEGIN line), but ClientCertType is pem"}
		}
	case CertPFX:
		if isPEM {
			return nil, "", &Error{Form: FormConfig, Key: "ClientCert", Msg: "holds PEM text, but ClientCertType is pfx"}
		}
	default:
		return nil, "", &Error{Form: FormConfig, Key: "ClientCertType", Msg: "must be auto, pfx or pem"}
	}
	return data, c.ClientCertType, nil
}
