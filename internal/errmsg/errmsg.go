// Package errmsg keeps the driver's error messages naming it once.
//
// Every error of the driver begins with "kintone: ", so that a log line
// says where it came from. An error that wraps another one adds its own
// context in front ("kintone: commit: ..."), and the wrapped error's
// "kintone: " would then stand in the middle of the line, once per layer.
// Inner drops it from the wrapped error's message and keeps the error
// itself in the chain, so errors.Is and errors.As still find it.
package errmsg

import "strings"

// Prefix begins every error message of the driver.
const Prefix = "kintone: "

// Inner returns err for wrapping in a message that already begins with
// Prefix: its message is err's without a leading Prefix, and it unwraps to
// err. A nil err stays nil.
//
//	fmt.Errorf("kintone: commit: %w", errmsg.Inner(err))
func Inner(err error) error {
	if err == nil {
		return nil
	}
	return inner{err}
}

// Text is err's message without a leading Prefix, for a message that
// quotes an error it does not wrap.
func Text(err error) string { return strings.TrimPrefix(err.Error(), Prefix) }

type inner struct{ err error }

func (e inner) Error() string { return Text(e.err) }

func (e inner) Unwrap() error { return e.err }
