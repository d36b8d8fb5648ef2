package kintonetest

import (
	"encoding/json"
	"io"
	"net/http"
	"time"
)

// controlPrefix is where the emulator's own test controls live, outside
// Kintone's /k/ paths:
//
//	GET    /_emulator/stats     counters (Stats) as JSON
//	DELETE /_emulator/stats     reset counters and the request log
//	GET    /_emulator/requests  the request log as JSON
//	GET    /_emulator/faults    the faults in force
//	POST   /_emulator/faults    add a fault (a Fault as JSON)
//	DELETE /_emulator/faults    clear every fault
//	PUT    /_emulator/clock     set the clock: {"time":"2026-01-02T03:04:05Z"}
//	POST   /_emulator/tokens    issue an API token: {"app":1,"permissions":
//	                            {"view":true,"add":true,...}} -> {"token":"..."}
//	POST   /_emulator/users     add a user (a User as JSON, TimeZone by IANA name)
//	GET    /_emulator/health    "ok"
//
// They need no Kintone credentials: the emulator listens on loopback for
// tests. They are not counted in the stats.
const controlPrefix = "/_emulator/"

func (s *Server) serveControl(w http.ResponseWriter, r *http.Request) {
	switch r.Method + " " + r.URL.Path {
	case "GET /_emulator/health":
		_, _ = io.WriteString(w, "ok\n")
	case "GET /_emulator/stats":
		writeJSON(w, http.StatusOK, s.Stats())
	case "DELETE /_emulator/stats":
		s.ResetStats()
		writeJSON(w, http.StatusOK, struct{}{})
	case "GET /_emulator/requests":
		writeJSON(w, http.StatusOK, s.Requests())
	case "GET /_emulator/faults":
		writeJSON(w, http.StatusOK, s.faults.list())
	case "POST /_emulator/faults":
		var f Fault
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&f); err != nil {
			http.Error(w, "bad fault: "+err.Error(), http.StatusBadRequest)
			return
		}
		s.InjectFault(f)
		writeJSON(w, http.StatusOK, f)
	case "DELETE /_emulator/faults":
		s.ClearFaults()
		writeJSON(w, http.StatusOK, struct{}{})
	case "PUT /_emulator/clock":
		var body struct {
			Time time.Time `json:"time"`
		}
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&body); err != nil || body.Time.IsZero() {
			http.Error(w, `bad clock: send {"time":"2006-01-02T15:04:05Z"}`, http.StatusBadRequest)
			return
		}
		fixed := body.Time
		s.SetClock(func() time.Time { return fixed })
		writeJSON(w, http.StatusOK, body)
	case "POST /_emulator/tokens":
		var body struct {
			App         int64       `json:"app"`
			Permissions Permissions `json:"permissions"`
		}
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&body); err != nil || body.App <= 0 {
			http.Error(w, `bad token request: send {"app":1,"permissions":{"view":true}}`, http.StatusBadRequest)
			return
		}
		if _, ok := s.store.App(body.App); !ok {
			http.Error(w, "no such app", http.StatusNotFound)
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"token": s.AddAPIToken(body.App, body.Permissions)})
	case "POST /_emulator/users":
		var body struct {
			User
			TimeZone string `json:"timeZone"`
		}
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&body); err != nil || body.Login == "" {
			http.Error(w, `bad user: send {"login":"sato","password":"...","name":"Sato"}`, http.StatusBadRequest)
			return
		}
		u := body.User
		if body.TimeZone != "" {
			loc, err := time.LoadLocation(body.TimeZone)
			if err != nil {
				http.Error(w, "bad timeZone: "+err.Error(), http.StatusBadRequest)
				return
			}
			u.TimeZone = loc
		}
		s.AddUser(u)
		writeJSON(w, http.StatusOK, struct{}{})
	default:
		http.NotFound(w, r)
	}
}
