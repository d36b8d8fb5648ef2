package kintone

import (
	"fmt"
	"io"
	"log/slog"
)

// String describes the connector by its configuration with every secret
// masked (dsn.Config's String) and its configuration error, if any.
//
// fmt prints a struct's unexported fields without calling their methods,
// and prints a pointer met that way field by field for %s, %q, %x and %d;
// without these methods, fmt.Sprintf("%s", connector) would show the
// configuration's passwords and tokens.
func (c Connector) String() string {
	s := "<nil>"
	if c.cfg != nil {
		s = c.cfg.String()
	}
	if c.err != nil {
		s += "; invalid: " + c.err.Error()
	}
	return "kintone.Connector(" + s + ")"
}

// GoString is String, for %#v.
func (c Connector) GoString() string { return c.String() }

// Format writes String for every verb, so that no verb walks into the
// connector's fields.
func (c Connector) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// LogValue logs the configuration as dsn.Config's LogValue does, secrets
// masked, and the configuration error, if any.
func (c Connector) LogValue() slog.Value {
	var attrs []slog.Attr
	if c.cfg != nil {
		attrs = append(attrs, slog.Any("config", c.cfg.LogValue()))
	}
	if c.err != nil {
		attrs = append(attrs, slog.String("invalid", c.err.Error()))
	}
	return slog.GroupValue(attrs...)
}
