package dsn

import (
	"strings"

	"github.com/kintone-sql/kintone/internal/suggest"
)

// suggestKey tells the user what they may have meant by the unknown key name in
// form f: the key with the same name in another case or form, the nearest
// key by edit distance, or else the list of keys.
func suggestKey(x *keyIndex, f Form, name string) string {
	lower := strings.ToLower(name)
	if f == FormURL {
		if k := x.byKV[lower]; k != nil {
			switch {
			case k.part == inBase:
				return "in the URL form the Kintone domain is the URL itself, as in https://example.cybozu.com/?key=value"
			case k.name != name && strings.EqualFold(k.name, name):
				return "keys are case-sensitive: did you mean " + k.name + "?"
			}
			return "that is a key=value name; the URL form calls it " + k.name
		}
	}
	if best, ok := closeKey(x, f, name); ok {
		return "did you mean " + best + "?"
	}
	return "valid keys are " + strings.Join(keyNames(x, f), ", ")
}

// closeKey returns the key of form f nearest to name by edit distance
// (ignoring case), if it is near enough to be a likely typo.
func closeKey(x *keyIndex, f Form, name string) (string, bool) {
	lower := strings.ToLower(name)
	best, bestDist := "", len(name)+1
	for _, k := range x.all {
		names := []string{k.name}
		if f == FormURL {
			if k.part == inBase {
				continue
			}
		} else {
			names = append(names, k.kv...)
		}
		for _, n := range names {
			if d := suggest.Distance(lower, strings.ToLower(n)); d < bestDist {
				best, bestDist = n, d
				if f != FormURL {
					best = k.kvName()
				}
			}
		}
	}
	return best, best != "" && suggest.Close(bestDist, best)
}

// keyNames lists the keys of form f in table order.
func keyNames(x *keyIndex, f Form) []string {
	var names []string
	for _, k := range x.all {
		switch {
		case f != FormURL:
			names = append(names, k.kvName())
		case k.part != inBase:
			names = append(names, k.name)
		}
	}
	return names
}
