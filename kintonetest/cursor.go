package kintonetest

import (
	"crypto/rand"
	"fmt"
	"sync"
	"time"

	"github.com/kintone-sql/kintone/kintonetest/internal/apierr"
	"github.com/kintone-sql/kintone/kintonetest/internal/search"
	"github.com/kintone-sql/kintone/kintonetest/internal/store"
)

// Cursors follow REST-API.md §4.3: the set of matching records is fixed at
// creation, field values are read at each GET, the last page (next: false)
// deletes the cursor, an idle cursor expires, and at most a fixed number are
// open per domain (429 GAIA_TM12 beyond).

const (
	defaultCursorSize = 100
	maxCursorSize     = 500
)

type cursor struct {
	id       string
	app      int64
	guest    int64
	fields   []string
	ids      []int64
	pos      int
	size     int
	lastUsed time.Time
}

type cursorTable struct {
	mu    sync.Mutex
	limit int
	idle  time.Duration
	m     map[string]*cursor
	peak  int // the most open at once since the last resetPeak
}

func newCursorTable(limit int, idle time.Duration) *cursorTable {
	return &cursorTable{limit: limit, idle: idle, m: map[string]*cursor{}}
}

// expireLocked drops cursors idle for longer than the idle time.
func (t *cursorTable) expireLocked(now time.Time) {
	for id, c := range t.m {
		if now.Sub(c.lastUsed) > t.idle {
			delete(t.m, id)
		}
	}
}

func (t *cursorTable) count(now time.Time) int {
	open, _ := t.usage(now)
	return open
}

// usage returns how many cursors are open and the most that were open at
// once since the last resetPeak.
func (t *cursorTable) usage(now time.Time) (open, peak int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.expireLocked(now)
	return len(t.m), t.peak
}

// resetPeak starts the high-water mark again from the cursors open now.
func (t *cursorTable) resetPeak(now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.expireLocked(now)
	t.peak = len(t.m)
}

func (t *cursorTable) add(c *cursor, now time.Time) *apierr.Error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.expireLocked(now)
	if len(t.m) >= t.limit {
		return apierr.CursorLimit()
	}
	t.m[c.id] = c
	t.peak = max(t.peak, len(t.m))
	return nil
}

// get returns the cursor for its next page, or GAIA_CN01.
func (t *cursorTable) get(id string, now time.Time) (*cursor, *apierr.Error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.expireLocked(now)
	c, ok := t.m[id]
	if !ok {
		return nil, apierr.CursorNotFound()
	}
	return c, nil
}

func (t *cursorTable) remove(id string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	_, ok := t.m[id]
	delete(t.m, id)
	return ok
}

func (t *cursorTable) closeAll() {
	t.mu.Lock()
	defer t.mu.Unlock()
	clear(t.m)
}

type postCursorParams struct {
	App    Int      `json:"app"`
	Fields []string `json:"fields"`
	Query  Str      `json:"query"`
	Size   Int      `json:"size"`
}

func (s *Server) postCursor(c *call) (any, *apierr.Error) {
	var p postCursorParams
	if err := decodeParams(c.params, &p); err != nil {
		return nil, err
	}
	a, err := s.appFor(c, "app", p.App, permView)
	if err != nil {
		return nil, err
	}
	size := int64(defaultCursorSize)
	if p.Size.Set {
		switch {
		case p.Size.Bad:
			return nil, apierr.Invalid("size", apierr.MsgInteger)
		case p.Size.V < 1:
			return nil, apierr.Invalid("size", apierr.MsgMin1)
		case p.Size.V > maxCursorSize:
			return nil, apierr.Invalid("size", apierr.MsgCursorSize)
		}
		size = p.Size.V
	}
	if len(p.Fields) > maxFieldsParam {
		return nil, apierr.Invalid("fields", apierr.Text{En: "size must be between 0 and 1000", Ja: "サイズは0から1000の間でなければなりません。"})
	}
	records, form, serr := s.store.Records(a.ID)
	if serr != nil {
		return nil, asAPIError(serr)
	}
	plan, perr := search.Prepare(p.Query.V, form, s.searchEnv(c.p), true)
	if perr != nil {
		return nil, asAPIError(perr)
	}
	matched := plan.All(records)
	cur := &cursor{
		id: newCursorID(), app: a.ID, guest: c.route.guest, fields: p.Fields,
		ids: make([]int64, len(matched)), size: int(size), lastUsed: s.now(),
	}
	for i, r := range matched {
		cur.ids[i] = r.ID
	}
	if err := s.cursors.add(cur, s.now()); err != nil {
		return nil, err
	}
	return map[string]string{"id": cur.id, "totalCount": itoa(int64(len(cur.ids)))}, nil
}

type cursorIDParams struct {
	ID Str `json:"id"`
}

func (s *Server) cursorParam(c *call) (string, *apierr.Error) {
	var p cursorIDParams
	if err := decodeParams(c.params, &p); err != nil {
		return "", err
	}
	if !p.ID.Set || p.ID.V == "" {
		return "", apierr.Invalid("id", apierr.MsgRequiredParam)
	}
	return p.ID.V, nil
}

func (s *Server) getCursor(c *call) (any, *apierr.Error) {
	id, err := s.cursorParam(c)
	if err != nil {
		return nil, err
	}
	now := s.now()
	cur, err := s.cursors.get(id, now)
	if err != nil {
		return nil, err
	}
	a, err := s.app(c.route, cur.app)
	if err != nil {
		return nil, err
	}
	if err := c.p.authorize(a.ID, permView); err != nil {
		return nil, err
	}
	_, form, serr := s.store.Records(a.ID)
	if serr != nil {
		return nil, asAPIError(serr)
	}
	// The cursor is read by one client at a time; the table's lock is not
	// held while the page is built.
	s.cursors.mu.Lock()
	start := cur.pos
	end := min(start+cur.size, len(cur.ids))
	cur.pos = end
	cur.lastUsed = now
	next := end < len(cur.ids)
	s.cursors.mu.Unlock()
	page := make([]*store.Record, 0, end-start)
	for _, rid := range cur.ids[start:end] {
		// Values are read now; a record deleted since creation is skipped
		// (§4.3: "field values are read at each GET").
		if r, ok := s.store.Record(a.ID, rid); ok {
			page = append(page, r)
		}
	}
	if !next {
		s.cursors.remove(cur.id)
	}
	enc := newRecordEncoder(form, cur.fields)
	b := make([]byte, 0, 4096) // appendRecords grows it to fit the page
	b = append(b, `{"records":`...)
	b = enc.appendRecords(b, page)
	if next {
		b = append(b, `,"next":true}`...)
	} else {
		b = append(b, `,"next":false}`...)
	}
	return rawJSON(append(b, '\n')), nil
}

func (s *Server) deleteCursor(c *call) (any, *apierr.Error) {
	id, err := s.cursorParam(c)
	if err != nil {
		return nil, err
	}
	cur, err := s.cursors.get(id, s.now())
	if err != nil {
		return nil, err
	}
	if _, err := s.app(c.route, cur.app); err != nil {
		return nil, err
	}
	if err := c.p.authorize(cur.app, permView); err != nil {
		return nil, err
	}
	if !s.cursors.remove(id) {
		return nil, apierr.CursorNotFound()
	}
	return struct{}{}, nil
}

// newCursorID returns a UUID-shaped identifier like Kintone's.
func newCursorID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
