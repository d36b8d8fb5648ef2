package dsn

// Validate checks c as Parse checks a DSN, and normalizes it in place: zero
// fields that mean "the default" (PageSize, Concurrency, MaxCursors,
// UseCursor, AuthScheme, ClientCertType, Loc) get their defaults, BaseURL gets its
// canonical form (https, lower case, no default port, no path), a guest space
// in its path moves to GuestSpace, and empty slices and maps become nil. The
// error, if any, is an *Error that names the Config field.
//
// Validate enforces the limits: at most MaxAPITokens API tokens, PageSize up
// to MaxPageSize, Concurrency up to MaxConcurrency, MaxCursors up to
// MaxMaxCursors, MaxRetries up to
// MaxMaxRetries, no negative durations or counts, credentials present and
// consistent, and http:// only for loopback hosts unless AllowInsecureHTTP.
func (c *Config) Validate() error {
	if c == nil {
		return &Error{Form: FormConfig, Msg: "nil *Config"}
	}
	if err := c.validate(FormConfig, nil); err != nil {
		return err
	}
	return nil
}

// validate runs the check of every key, in table order, and then the checks
// of the whole Config, naming keys as form f does (spelled holds the
// spellings the user wrote in the key=value form).
func (c *Config) validate(f Form, spelled map[string]string) *Error {
	v := &validator{c: c, form: f, idx: index, spelled: spelled}
	for _, k := range index.all {
		if err := k.check(v); err != nil {
			return err
		}
	}
	return checkCredentials(v)
}
