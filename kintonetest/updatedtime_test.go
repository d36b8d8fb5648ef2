package kintonetest

import (
	"net/http"
	"sync"
	"testing"
	"time"
)

// The emulator keeps the update time as Kintone does: to the minute, set
// by every change of a record (even one that changes no value), and dates
// its answers (the Date header) by the same clock. A driver relies on both
// to find the records changed since a read began.
func TestUpdatedTimeIsStampedByEveryChangeToTheMinute(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 3, 2, 10, 30, 45, 0, time.UTC)
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return now
	}
	set := func(t time.Time) {
		mu.Lock()
		defer mu.Unlock()
		now = t
	}
	srv := newServer(t, WithClock(clock))
	app := testApp(t, srv)
	c := adminClient(t, srv)
	c.ok("POST", "/k/v1/record.json", map[string]any{"app": app, "record": map[string]any{"title": map[string]any{"value": "a"}}})
	get := func() (updated, revision string, date time.Time) {
		t.Helper()
		r := c.do("GET", "/k/v1/record.json?app="+itoa(app)+"&id=1", nil)
		if r.Status != http.StatusOK {
			t.Fatalf("GET record: %d %s", r.Status, r.Body)
		}
		rec := r.JSON(t)["record"].(map[string]any)
		date, err := http.ParseTime(r.Header.Get("Date"))
		if err != nil {
			t.Fatalf("Date header %q: %v", r.Header.Get("Date"), err)
		}
		return rec["Updated_datetime"].(map[string]any)["value"].(string), rec["$revision"].(map[string]any)["value"].(string), date
	}
	if upd, rev, date := get(); upd != "2026-03-02T10:30:00Z" || rev != "1" || !date.Equal(now) {
		t.Fatalf("added at 10:30:45: updated %s, revision %s, answer dated %v", upd, rev, date)
	}
	for i, tc := range []struct {
		at     time.Time
		record map[string]any
		upd    string
		rev    string
	}{
		{time.Date(2026, 3, 2, 10, 31, 59, 0, time.UTC), map[string]any{"title": map[string]any{"value": "b"}}, "2026-03-02T10:31:00Z", "2"},
		// The same value again, and no value at all: still a change.
		{time.Date(2026, 3, 2, 10, 40, 1, 0, time.UTC), map[string]any{"title": map[string]any{"value": "b"}}, "2026-03-02T10:40:00Z", "3"},
		{time.Date(2026, 3, 2, 11, 0, 30, 0, time.UTC), map[string]any{}, "2026-03-02T11:00:00Z", "4"},
	} {
		set(tc.at)
		c.ok("PUT", "/k/v1/record.json", map[string]any{"app": app, "id": 1, "record": tc.record})
		if upd, rev, date := get(); upd != tc.upd || rev != tc.rev || !date.Equal(tc.at) {
			t.Fatalf("update %d at %v: updated %s, revision %s, answer dated %v; want %s, %s", i, tc.at, upd, rev, date, tc.upd, tc.rev)
		}
	}
}
