package rest

import (
	"net/http"
	"strconv"
)

// Load is how many API requests the domain was running when Kintone
// answered, out of how many it admits at once: the X-ConcurrencyLimit-Running
// and X-ConcurrencyLimit-Limit headers of every REST answer (REST-API.md
// §2: 100 per domain, every client of the domain counted). The zero Load
// means the answer had no such headers.
type Load struct {
	// Running counts the requests running, this one included.
	Running int
	// Limit is how many may run at once; past it Kintone answers 429
	// GAIA_TO04.
	Limit int
}

// Known reports whether the answer carried the headers.
func (l Load) Known() bool { return l.Limit > 0 }

// loadOf reads the concurrency headers of an answer.
func loadOf(h http.Header) Load {
	limit, err1 := strconv.Atoi(h.Get("X-ConcurrencyLimit-Limit"))
	running, err2 := strconv.Atoi(h.Get("X-ConcurrencyLimit-Running"))
	if err1 != nil || err2 != nil || limit <= 0 || running < 0 {
		return Load{}
	}
	return Load{Running: running, Limit: limit}
}
