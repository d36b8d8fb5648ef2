package main

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// historyEnv names the history file; "off" keeps no history.
const historyEnv = "KINTONE_SQL_HISTORY"

// historyMax is how many entries the history keeps.
const historyMax = 1000

// history is the shell's history of statements and commands, one entry
// per statement (a statement typed over several lines is one entry, its
// lines joined with spaces), kept in a file. It implements term.History
// for the line editor's up and down keys. Entries that may hold a secret
// are never kept: anything with a DSN's password or token in it, a URL
// with user info, or a password= or apiToken= setting.
type history struct {
	entries []string // oldest first
	path    string   // "" keeps the history in memory only
	red     redactor
	// writes counts the entries appended to the file since it was
	// last rewritten, to bound its growth.
	writes int
}

// historyPath returns where the history is kept: $KINTONE_SQL_HISTORY, or
// kintone-sql/history in the user's configuration directory; "" for none.
func historyPath(getenv func(string) string) string {
	switch p := getenv(historyEnv); p {
	case "off", "none", "/dev/null":
		return ""
	case "":
	default:
		return p
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "kintone-sql", "history")
}

// loadHistory reads the history at path (missing is empty).
func loadHistory(path string, red redactor) *history {
	h := &history{path: path, red: red}
	if path == "" {
		return h
	}
	f, err := os.Open(path)
	if err != nil {
		return h
	}
	defer f.Close()
	// Only the tail matters: the history keeps its last historyMax
	// entries. A larger file (written by something else, or a device
	// named in KINTONE_SQL_HISTORY) is read from its last
	// maxHistoryBytes, and never more than that.
	partial := false
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > maxHistoryBytes {
		_, err := f.Seek(st.Size()-maxHistoryBytes, io.SeekStart)
		partial = err == nil
	}
	sc := bufio.NewScanner(io.LimitReader(f, maxHistoryBytes))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		if partial {
			partial = false // the rest of a line cut by the seek
			continue
		}
		if e := sc.Text(); e != "" && !h.secret(e) {
			h.entries = append(h.entries, e)
		}
		if len(h.entries) >= 2*historyMax {
			h.entries = append(h.entries[:0], h.entries[historyMax:]...)
		}
	}
	if len(h.entries) > historyMax {
		h.entries = h.entries[len(h.entries)-historyMax:]
	}
	return h
}

// maxHistoryBytes bounds what loadHistory reads: 8 MiB, the last
// historyMax entries of any history the shell writes many times over.
const maxHistoryBytes = 8 << 20

// Add is called by the line editor for every line entered. The shell adds
// whole statements itself (see add), so the lines are dropped here.
func (h *history) Add(string) {}

// Len returns the number of entries.
func (h *history) Len() int { return len(h.entries) }

// At returns an entry; 0 is the most recent.
func (h *history) At(i int) string { return h.entries[len(h.entries)-1-i] }

// secretSetting matches settings that hold secrets, in either DSN form.
var secretSetting = regexp.MustCompile(`(?i)(password|passwd|apitoken|oauthtoken|api_token|secret)\s*=|://[^/\s@]+@`)

// secret reports whether e may hold a secret.
func (h *history) secret(e string) bool {
	return h.red.clean(e) != e || secretSetting.MatchString(e)
}

// add appends an entry, unless it repeats the last one or may hold a
// secret, and appends it to the file.
func (h *history) add(e string) {
	e = strings.Join(strings.Fields(e), " ")
	if e == "" || h.secret(e) || len(h.entries) > 0 && h.entries[len(h.entries)-1] == e {
		return
	}
	h.entries = append(h.entries, e)
	if len(h.entries) > historyMax {
		h.entries = h.entries[len(h.entries)-historyMax:]
	}
	h.save(e)
}

// save appends e to the file, rewriting the file from memory once it
// has grown by historyMax entries. Failures are ignored: a shell without
// a writable history still works.
func (h *history) save(e string) {
	if h.path == "" {
		return
	}
	if err := os.MkdirAll(filepath.Dir(h.path), 0o700); err != nil {
		return
	}
	h.writes++
	if h.writes >= historyMax {
		h.writes = 0
		tmp := h.path + ".tmp"
		if os.WriteFile(tmp, []byte(strings.Join(h.entries, "\n")+"\n"), 0o600) == nil {
			if os.Rename(tmp, h.path) == nil {
				return
			}
		}
	}
	f, err := os.OpenFile(h.path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return
	}
	defer f.Close()
	f.WriteString(e + "\n")
}
