// Package apierr is the emulator's Kintone error: an HTTP status, a Kintone
// code, a message in English and Japanese, and for input validation the
// "errors" map keyed by parameter path (REST-API.md §6).
//
// Every error the emulator sends is built by a constructor in catalog.go, so
// the codes, statuses and texts of the shared documents live in one place.
package apierr

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
)

// Text is a message in the two languages the emulator speaks. Kintone picks
// the language from the user's setting or Accept-Language; clients must match
// on codes, never on text.
type Text struct {
	En string
	Ja string
}

// In returns the message in lang ("ja" or anything else for English). A
// Japanese text that is unknown falls back to English.
func (t Text) In(lang string) string {
	if lang == "ja" && t.Ja != "" {
		return t.Ja
	}
	return t.En
}

// Error is a Kintone error response.
type Error struct {
	Status  int
	Code    string
	Message Text
	// Errors holds per-parameter messages for CB_VA01, keyed like
	// "records[3].price.value".
	Errors map[string][]Text
	// Header holds extra response headers (X-Cybozu-Error on 429, Retry-After).
	Header http.Header
	// Raw, when set, is sent as the body instead of the code/message object
	// (a failed bulkRequest answers {"results":[...]}).
	Raw []byte
}

// New returns an error with the given status, code and message.
func New(status int, code string, msg Text) *Error {
	return &Error{Status: status, Code: code, Message: msg}
}

// Error implements error with "[status] code: message".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Code)
	b.WriteString(": ")
	b.WriteString(e.Message.En)
	if len(e.Errors) > 0 {
		keys := e.Keys()
		b.WriteString(" (")
		for i, k := range keys {
			if i > 0 {
				b.WriteString("; ")
			}
			b.WriteString(k)
			b.WriteString(": ")
			for j, m := range e.Errors[k] {
				if j > 0 {
					b.WriteString(", ")
				}
				b.WriteString(m.En)
			}
		}
		b.WriteString(")")
	}
	return b.String()
}

// Add appends a message under key and returns e, for chaining.
func (e *Error) Add(key string, msg Text) *Error {
	if e.Errors == nil {
		e.Errors = map[string][]Text{}
	}
	for _, m := range e.Errors[key] {
		if m == msg {
			return e
		}
	}
	e.Errors[key] = append(e.Errors[key], msg)
	return e
}

// Merge adds every message of other to e, prefixing each key with prefix
// (for example "records[3]."). It is used to lift single-record validation
// errors into a bulk call.
func (e *Error) Merge(prefix string, other *Error) *Error {
	for k, msgs := range other.Errors {
		for _, m := range msgs {
			e.Add(prefix+k, m)
		}
	}
	return e
}

// Keys returns the keys of Errors in sorted order.
func (e *Error) Keys() []string {
	keys := make([]string, 0, len(e.Errors))
	for k := range e.Errors {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Body is the JSON object of an error response.
type Body struct {
	Code    string                    `json:"code"`
	ID      string                    `json:"id"`
	Message string                    `json:"message"`
	Errors  map[string]MessagesObject `json:"errors,omitempty"`
}

// MessagesObject is the value of one "errors" entry.
type MessagesObject struct {
	Messages []string `json:"messages"`
}

// Body returns the response body in lang with the request id.
func (e *Error) Body(lang, id string) Body {
	b := Body{Code: e.Code, ID: id, Message: e.Message.In(lang)}
	if len(e.Errors) > 0 {
		b.Errors = make(map[string]MessagesObject, len(e.Errors))
		for k, msgs := range e.Errors {
			out := make([]string, len(msgs))
			for i, m := range msgs {
				out[i] = m.In(lang)
			}
			b.Errors[k] = MessagesObject{Messages: out}
		}
	}
	return b
}

// Write sends e as a JSON error response in lang with the request id.
func (e *Error) Write(w http.ResponseWriter, lang, id string) {
	for k, vs := range e.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.Header().Set("X-Cybozu-Error", e.Code)
	w.WriteHeader(e.Status)
	if e.Raw != nil {
		_, _ = w.Write(e.Raw)
		return
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(e.Body(lang, id))
}

// As returns err as an *Error if it is one.
func As(err error) (*Error, bool) {
	e, ok := err.(*Error)
	return e, ok
}
