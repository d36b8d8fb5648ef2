package dsn

import "strings"

// part says where a key is written in the URL form.
type part int

const (
	inQuery    part = iota // ?key=value
	inUserinfo             // login:password@host, or ?key=value
	inBase                 // the URL itself; a key only in the key=value form
)

// key is one setting: its names, its documentation, and the functions that
// read it from a DSN, write it back and check it. Every setting is declared
// once, in the keys table; Parse, FormatDSN, String, LogValue, Validate, the
// error messages and the documentation all work from that table.
type key struct {
	// name is the URL-form name (lowerCamelCase, case-sensitive). The
	// key=value form accepts it too, in any case.
	name string
	// kv are more names for the key=value form, compared case-insensitively;
	// the first, if any, is CData's connection-property name and is the
	// canonical key=value spelling.
	kv []string
	// field is the Config field the key sets.
	field string
	// typ, def and doc document the key.
	typ, def, doc string
	// secret marks values that String, LogValue and errors must not show.
	secret bool
	// part is where FormatDSN writes the key.
	part part

	// set parses v into p.c. It returns "" or a message that says what is
	// wrong without quoting v.
	set func(p *parseState, v string) string
	// get returns the field as DSN text and whether it differs from the
	// default (FormatDSN writes only those).
	get func(c *Config) (string, bool)
	// mask redacts a secret value from get; nil means mask it whole.
	mask func(v string) string
	// check validates the field of v.c, fills a zero field that means "the
	// default" with the default, and canonicalizes it.
	check func(v *validator) *Error
}

// kvName is the key's canonical name in the key=value form.
func (k *key) kvName() string {
	if len(k.kv) > 0 {
		return k.kv[0]
	}
	return k.name
}

// masked is what String and LogValue show in place of a secret.
const masked = "xxxxx"

// redact returns v with its secret parts masked.
func (k *key) redact(v string) string {
	switch {
	case !k.secret:
		return v
	case k.mask != nil:
		return k.mask(v)
	}
	return masked
}

// parseState is the state of one Parse.
type parseState struct {
	c *Config
	// certBlob records that SSLClientCertType named a *BLOB type, whose
	// SSLClientCert is base64 text rather than a file name.
	certBlob bool
}

// keyIndex finds keys by name.
type keyIndex struct {
	all   []*key
	byURL map[string]*key // exact URL-form names
	byKV  map[string]*key // lower-cased URL-form and key=value names
}

// newKeyIndex indexes keys. It panics on a name used twice, which is a bug in
// the table that the tests catch.
func newKeyIndex(keys []*key) *keyIndex {
	x := &keyIndex{all: keys, byURL: map[string]*key{}, byKV: map[string]*key{}}
	for _, k := range keys {
		if x.byURL[k.name] != nil {
			panic("dsn: key " + k.name + " declared twice")
		}
		x.byURL[k.name] = k
		for _, n := range append([]string{k.name}, k.kv...) {
			l := strings.ToLower(n)
			if other := x.byKV[l]; other != nil && other != k {
				panic("dsn: key=value name " + n + " used by two keys")
			}
			x.byKV[l] = k
		}
	}
	return x
}

// lookup finds the key named name in form f.
func (x *keyIndex) lookup(f Form, name string) *key {
	if f == FormURL {
		if k := x.byURL[name]; k != nil && k.part != inBase {
			return k
		}
		return nil
	}
	return x.byKV[strings.ToLower(name)]
}

// index is the index of the keys table.
var index = newKeyIndex(keys)

// validator carries what the checks of Validate need: the Config, the form
// it came from, and how to name a key in that form.
type validator struct {
	c    *Config
	form Form
	idx  *keyIndex
	// spelled maps URL-form names to the spelling the user wrote, for keys
	// given in the key=value form.
	spelled map[string]string
}

// name returns how the key with URL-form name urlName is called in v's form.
func (v *validator) name(urlName string) string {
	k := v.idx.byURL[urlName]
	switch {
	case k == nil:
		panic("dsn: no key " + urlName)
	case v.form == FormConfig:
		return k.field
	case v.spelled[urlName] != "":
		return v.spelled[urlName]
	case v.form == FormKeyValue:
		return k.kvName()
	}
	return k.name
}

// fail returns an *Error about the key with URL-form name urlName.
func (v *validator) fail(urlName, msg string) *Error {
	return &Error{Form: v.form, Key: v.name(urlName), Msg: msg}
}
