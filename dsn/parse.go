package dsn

import (
	"net/url"
	"strings"
)

// Parse parses a DSN in the URL form or the key=value form and returns its
// Config, checked and normalized by Validate. A DSN that starts with a scheme
// and "://" is in the URL form; any other DSN that contains '=' is in the
// key=value form. Keys not set take the defaults of NewConfig.
//
// Every error is an *Error that wraps ErrInvalidDSN, names the key, and
// quotes nothing from the DSN except key names that cannot be part of a
// secret.
func Parse(dsn string) (*Config, error) {
	s := strings.TrimSpace(dsn)
	var c *Config
	var err *Error
	switch {
	case s == "":
		err = &Error{Msg: "empty; use a URL such as https://login:password@example.cybozu.com/ " +
			"or key=value pairs such as Url=https://example.cybozu.com;User=login;Password=..."}
	case isURLForm(s):
		c, err = parseURLForm(s)
	case strings.Contains(s, "="):
		c, err = parseKeyValueForm(s)
	default:
		err = &Error{Msg: "neither a URL (https://example.cybozu.com/?key=value) " +
			"nor key=value pairs (Url=https://example.cybozu.com;User=...)"}
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}

// isURLForm reports whether s starts with "scheme://".
func isURLForm(s string) bool {
	i := strings.Index(s, "://")
	return i > 0 && isScheme(s[:i])
}

// reader applies the keys of one DSN to a Config and builds the errors. It
// knows what the user wrote so far, to refuse a key given twice and to hide a
// key name that may be a piece of a secret value.
type reader struct {
	form    Form
	p       parseState
	seen    map[*key]bool
	spelled map[string]string
	// after is the spelling of the last secret key read, or "": any item
	// after a secret value may be a piece of it that an unescaped '&' or ';'
	// cut off (the piece right after it, or a later one when an earlier
	// piece happens to read as a valid key=value item).
	after string
	// hideAll hides every unknown key name (see parseURLForm).
	hideAll bool
}

func newReader(f Form) *reader {
	return &reader{form: f, p: parseState{c: NewConfig()}, seen: map[*key]bool{}, spelled: map[string]string{}}
}

// fail returns an *Error about a key, named as the user wrote it.
func (r *reader) fail(spelling, msg string) *Error {
	return &Error{Form: r.form, Key: spelling, Msg: msg}
}

// apply sets key k, written as spelling, to the value v.
func (r *reader) apply(k *key, spelling, v string) *Error {
	if r.seen[k] {
		msg := "given twice"
		if strings.HasPrefix(k.typ, "list") {
			msg += "; give several values in one, separated by commas"
		}
		return r.fail(spelling, msg)
	}
	r.seen[k] = true
	if r.form == FormKeyValue {
		r.spelled[k.name] = spelling
	}
	if k.secret {
		r.after = spelling
	}
	if v == "" {
		return r.fail(spelling, "has an empty value; leave the key out to get its default")
	}
	if msg := k.set(&r.p, v); msg != "" {
		return r.fail(spelling, msg)
	}
	return nil
}

// showable reports whether an unknown key name may appear in an error: it
// must look like a key name and must not follow a secret value.
func (r *reader) showable(name string) bool {
	return !r.hideAll && r.after == "" && looksLikeKey(name)
}

// hidden returns the error for text that is not a known key and cannot be
// shown; what says what the text is ("an unknown key", "a part without '='").
func (r *reader) hidden(what string) *Error {
	switch {
	case r.after != "":
		hint := "percent-encode '&' as %26 inside values"
		if r.form == FormKeyValue {
			hint = "quote a value that contains ';', as in Password=\"a;b\""
		}
		return &Error{Form: r.form, Msg: what + " follows " + r.after +
			"; it is not shown because it may be a piece of that secret value (" + hint + ")"}
	case r.hideAll:
		return &Error{Form: r.form, Msg: what + " is not shown because it may be a piece of a password " +
			"(percent-encode '/', '?', '#' and '@' in the user name and password)"}
	}
	return &Error{Form: r.form, Msg: what + " is not shown because it is not a plain name (letters, digits, '_')"}
}

// unknown returns the error for an unknown key.
func (r *reader) unknown(name string) *Error {
	if hint, ok := cdataHint(name); ok && r.form == FormKeyValue {
		return r.fail(name, "is a property of CData's drivers that this driver does not take; "+hint)
	}
	if !r.showable(name) {
		err := r.hidden("an unknown key")
		if s, ok := closeKey(index, r.form, name); ok {
			err.Msg += "; did you mean " + s + "?"
		} else {
			err.Msg += "; valid keys are " + strings.Join(keyNames(index, r.form), ", ")
		}
		return err
	}
	return r.fail(name, "unknown key; "+suggestKey(index, r.form, name))
}

// finish validates the Config that the keys built.
func (r *reader) finish() (*Config, *Error) {
	c := r.p.c
	if err := c.validate(r.form, r.spelled); err != nil {
		return nil, err
	}
	return c, nil
}

// looksLikeKey reports whether s could be a key name: a letter, then up to 63
// letters, digits or '_'.
func looksLikeKey(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !('a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || i > 0 && ('0' <= b && b <= '9' || b == '_')) {
			return false
		}
	}
	return true
}

// parseURLForm parses scheme://[login[:password]@]host[:port][/path][?query].
func parseURLForm(s string) (*Config, *Error) {
	r := newReader(FormURL)
	u, _ := splitURL(s)
	if u.hasFragment {
		return nil, r.fail("fragment", "a DSN must not contain '#'; percent-encode it as %23 in a password or value")
	}
	// Check the domain before anything else: a password with an unencoded
	// '/', '?' or '#' lands in the host, and must be reported as a bad host
	// before a piece of it could be taken for a key.
	if _, p := parseBaseURL(rawURL{scheme: u.scheme, host: u.host, path: u.path}); p != nil {
		return nil, r.fail(p.part, p.msg)
	}
	r.p.c.BaseURL = u.scheme + "://" + u.host + u.path
	if u.hasUserinfo {
		if err := r.userinfo(u.userinfo); err != nil {
			return nil, err
		}
		r.after = "" // the userinfo ends at '@', not at a separator of the query
	}
	// A query that holds '@' while the URL has no userinfo means that a
	// password with an unencoded '?' may have been split into the query.
	r.hideAll = !u.hasUserinfo && strings.Contains(u.query, "@")
	for item := range strings.SplitSeq(u.query, "&") {
		if item == "" {
			continue
		}
		rawName, rawValue, hasValue := strings.Cut(item, "=")
		name, err := url.QueryUnescape(rawName)
		if err != nil {
			return nil, r.hidden("a key with an invalid percent-encoding")
		}
		k := index.lookup(FormURL, name)
		if k == nil {
			return nil, r.unknown(name)
		}
		if !hasValue {
			return nil, r.fail(k.name, "has no value; write "+k.name+"=value")
		}
		v, err := url.QueryUnescape(rawValue)
		if err != nil {
			return nil, r.fail(k.name, "the value has an invalid percent-encoding (write '%' as %25)")
		}
		if err := r.apply(k, k.name, v); err != nil {
			return nil, err
		}
	}
	return r.finish()
}

// userinfo applies the login and password of the URL.
func (r *reader) userinfo(s string) *Error {
	rawUser, rawPass, hasPass := strings.Cut(s, ":")
	user, err1 := url.PathUnescape(rawUser)
	pass, err2 := url.PathUnescape(rawPass)
	if err1 != nil || err2 != nil {
		return r.fail("userinfo", "the user name or password has an invalid percent-encoding (write '%' as %25)")
	}
	if user != "" {
		if err := r.apply(index.byURL["user"], "user", user); err != nil {
			return err
		}
	}
	if hasPass && pass != "" {
		if err := r.apply(index.byURL["password"], "password", pass); err != nil {
			return err
		}
	}
	return nil
}

// parseKeyValueForm parses Key=value pairs separated by ';' with CData's
// connection-property names or the URL form's names, in any case.
func parseKeyValueForm(s string) (*Config, *Error) {
	r := newReader(FormKeyValue)
	sc := kvScanner{s: s}
	for {
		name, v, st := sc.next()
		switch st {
		case kvEnd:
			return r.finish()
		case kvNoKey:
			return nil, &Error{Form: r.form, Msg: "a value has no key (a part starts with '=')"}
		}
		k := index.lookup(FormKeyValue, name)
		if k == nil && st != kvOK && !r.showable(name) {
			return nil, r.hidden(st.subject())
		}
		switch st {
		case kvNoEquals:
			if k != nil {
				return nil, r.fail(name, "has no value; write "+name+"=value")
			}
			return nil, r.fail(name, "has no '=' and is not a key; "+suggestKey(index, r.form, name))
		case kvUnclosedQuote:
			return nil, r.fail(name, "the quoted value has no closing quote (double a quote to put it inside a quoted value)")
		case kvTextAfterQuote:
			return nil, r.fail(name, "text follows the closing quote; end the value with ';'")
		}
		if k == nil {
			return nil, r.unknown(name)
		}
		if err := r.apply(k, name, v); err != nil {
			return nil, err
		}
	}
}
