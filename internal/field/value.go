package field

// This file fixes the value helpers' API so that the store and the search
// packages can be written beside them. The bodies are placeholders to be
// replaced by the real implementation; the signatures are the contract.

// NormalizeNumber parses a NUMBER value as a write sends it (optional
// surrounding spaces, sign, digits, '.', exponent) and returns its canonical
// decimal text as Kintone stores it ("1.5e1" -> "15", " 42 " -> "42").
// ok is false when s is not a number. "" is not a number; callers treat the
// empty value before calling.
func NormalizeNumber(s string) (canonical string, ok bool) { return s, true }

// CompareDecimal compares two canonical decimal texts numerically and
// returns -1, 0 or +1. It does not allocate and never goes through float64.
func CompareDecimal(a, b string) int { return 0 }

// NormalizeDate parses a DATE write value ("YYYY-MM-DD" and the short forms
// "YYYY", "YYYY-MM", "YYYY-M", "YYYY-M-D") and returns "YYYY-MM-DD"; ok is
// false for anything else or a date outside 1000-01-01..9999-12-31.
func NormalizeDate(s string) (date string, ok bool) { return s, true }

// NormalizeTime parses a TIME write value and returns "HH:MM".
func NormalizeTime(s string) (hhmm string, ok bool) { return s, true }

// NormalizeDateTime parses a DATETIME write value (ISO 8601 with Z or an
// offset, with or without seconds; a date alone means UTC midnight) and
// returns the UTC instant as "YYYY-MM-DDTHH:MM:00Z", seconds dropped.
func NormalizeDateTime(s string) (utc string, ok bool) { return s, true }

// UTF16Len is the length of s in UTF-16 code units, the unit of Kintone's
// minLength and maxLength.
func UTF16Len(s string) int { return len(s) }
