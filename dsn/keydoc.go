package dsn

import (
	"slices"
	"strings"
)

// Key describes one setting of a DSN, as declared in the package's table of
// keys. Keys returns them all.
type Key struct {
	// Name is the key in the URL form (case-sensitive). The key named "url"
	// is the Kintone domain, which the URL form writes as the URL itself;
	// "user" and "password" are usually written in the URL's userinfo.
	Name string
	// KeyValueNames are further names accepted in the key=value form, which
	// also accepts Name; that form ignores case. The first, if any, is the
	// connection-property name of CData's Kintone drivers.
	KeyValueNames []string
	// Field is the Config field the key sets.
	Field string
	// Type describes the value.
	Type string
	// Default is the value when the key is left out.
	Default string
	// Doc says what the key does.
	Doc string
	// Secret reports whether String, LogValue and errors hide the value.
	Secret bool
}

// Keys returns every DSN key, in documentation order.
func Keys() []Key {
	out := make([]Key, len(index.all))
	for i, k := range index.all {
		out[i] = Key{
			Name: k.name, KeyValueNames: slices.Clone(k.kv), Field: k.field,
			Type: k.typ, Default: k.def, Doc: k.doc, Secret: k.secret,
		}
	}
	return out
}

// urlFormCell says how the URL form writes k.
func urlFormCell(k *key) string {
	switch k.part {
	case inBase:
		return "the URL itself"
	case inUserinfo:
		return "`" + k.name + "`, or in the userinfo"
	}
	return "`" + k.name + "`"
}

// MarkdownKeyTable returns a Markdown table of every key (URL-form name,
// key=value names, type, default, description), generated from the same
// table that Parse uses, for a README to include and a test to compare.
func MarkdownKeyTable() string {
	var b strings.Builder
	b.WriteString("| URL form | key=value form | Type | Default | Description |\n")
	b.WriteString("|---|---|---|---|---|\n")
	for _, k := range index.all {
		kv := "`" + k.kvName() + "`"
		for _, n := range k.kv[min(1, len(k.kv)):] {
			kv += ", `" + n + "`"
		}
		typ := k.typ
		if k.secret {
			typ += " (secret)"
		}
		b.WriteString("| " + urlFormCell(k) + " | " + kv + " | " + typ + " | " + k.def + " | " +
			strings.ReplaceAll(k.doc, "|", `\|`) + " |\n")
	}
	return b.String()
}

// docKeyList returns the list of keys in Go doc comment syntax, as doc.go
// holds it between its "# Keys" heading and the next heading.
func docKeyList() string {
	var b strings.Builder
	for _, k := range index.all {
		head := k.name
		var meta []string
		if len(k.kv) > 0 {
			meta = append(meta, "key=value: "+strings.Join(k.kv, ", "))
		}
		meta = append(meta, k.typ)
		switch k.def {
		case "":
		case "required":
			meta = append(meta, k.def)
		default:
			meta = append(meta, "default "+k.def)
		}
		if k.secret {
			meta = append(meta, "secret")
		}
		text := head + " (" + strings.Join(meta, "; ") + "): " + k.doc
		for i, line := range wrap(text, 72) {
			if i == 0 {
				b.WriteString("//   - " + line + "\n")
			} else {
				b.WriteString("//     " + line + "\n")
			}
		}
	}
	return b.String()
}

// wrap splits text into lines of at most width bytes where it can.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for w := range strings.FieldsSeq(text) {
		switch {
		case line == "":
			line = w
		case len(line)+1+len(w) > width:
			lines = append(lines, line)
			line = w
		default:
			line += " " + w
		}
	}
	return append(lines, line)
}
