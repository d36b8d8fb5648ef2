package dsn

import "errors"

// ErrInvalidDSN is wrapped by every error that Parse and (*Config).Validate
// return, so callers can test for a configuration problem with errors.Is.
var ErrInvalidDSN = errors.New("invalid DSN")

// Form names where a configuration came from. It appears in error messages so
// that key names can be read in the spelling the user wrote.
type Form string

const (
	// FormURL is the URL form, https://login:password@example.cybozu.com/?key=value.
	FormURL Form = "URL"
	// FormKeyValue is the key=value form with CData connection-property names,
	// Url=...;User=...;Password=...
	FormKeyValue Form = "key=value"
	// FormConfig is a Config built in Go code and checked with Validate; keys
	// are then named by their Config field.
	FormConfig Form = "Config"
)

// Error describes one invalid setting. Its message names the key (in the
// spelling of Form) and what is wrong with it, but never contains a value
// from the input: a misplaced quote or ampersand can shift part of a
// password into any position, so no part of the input is echoed except key
// names that look like key names and do not follow a secret.
type Error struct {
	// Form is the form the setting was given in, or empty when the form
	// could not be told.
	Form Form
	// Key is the key as written in that form (the Config field for
	// FormConfig), or in the URL form a part of the URL ("scheme", "host",
	// "path", "userinfo", "fragment") for structural problems, or empty when
	// the problem concerns the configuration as a whole or the key cannot be
	// shown.
	Key string
	// Msg says what is wrong, and how to fix it when that is not obvious.
	Msg string
	// Err is the underlying error, such as a file-system error, or nil. It
	// never holds a secret.
	Err error
}

// Error implements the error interface.
func (e *Error) Error() string {
	s := "kintone: invalid DSN (" + string(e.Form) + " form)"
	switch e.Form {
	case FormConfig:
		s = "kintone: invalid Config"
	case "":
		s = "kintone: invalid DSN"
	}
	if e.Key != "" {
		s += ": " + e.Key
	}
	return s + ": " + e.Msg
}

// Unwrap returns ErrInvalidDSN and Err, so that errors.Is matches both.
func (e *Error) Unwrap() []error {
	if e.Err != nil {
		return []error{ErrInvalidDSN, e.Err}
	}
	return []error{ErrInvalidDSN}
}
