package store

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kintone-sql/kintone/kintonetest/internal/apierr"
)

// Options configure a Store.
type Options struct {
	// Dir, when set, makes the store durable: every acknowledged write is in
	// a journal under Dir (fsynced before the write returns) and is replayed
	// by Open. Attached and uploaded files are kept under Dir/files.
	// One process at a time may open a directory; this is not checked.
	Dir string
	// Clock returns the current time; nil means time.Now. It stamps app
	// metadata, and records when an Actor carries no time.
	Clock func() time.Time
	// Names resolves the display name of a user, organization or group
	// written to a record by code; nil (or an empty result) uses the code as
	// the name. See also SetNames.
	Names NameFunc
	// CompactBytes is the journal size above which a write starts a
	// compaction of the journal into a snapshot, which runs in the
	// background while writes go on (see compact.go); 0 means 64 MiB.
	// Close always compacts.
	CompactBytes int64
	// Logf, when set, is told of the problems the store meets outside any
	// call, one message each: a compaction that failed to start or to
	// finish. Writes go on meanwhile (each is in the journal, fsynced,
	// before it returns) and every later write tries again; Logf is told
	// of the first failure of a run of them and of the compaction that
	// ends it. Close returns the error when its own compaction fails too.
	// Logf is called while the write lock may be held: it must not call
	// back into the store.
	Logf func(format string, args ...any)
}

// NameFunc returns the display name for an entity code. kind is "USER",
// "ORGANIZATION" or "GROUP". It is called while the store's write lock is
// held, so it must not call back into the store.
type NameFunc func(kind, code string) string

// The entity kinds passed to a NameFunc.
const (
	KindUser         = "USER"
	KindOrganization = "ORGANIZATION"
	KindGroup        = "GROUP"
)

// errClosed is returned by writes after Close.
var errClosed = errors.New("store: closed")

// Store is the emulator's database. Its methods are safe for concurrent use.
//
// Readers never wait for writers: the whole database is an immutable value
// (dbState) behind an atomic pointer, and a write publishes a new one when it
// commits. Writers are serialized by one mutex; the little state only writers
// use (unique-value indexes, the journal) lives beside it.
type Store struct {
	opts  Options
	clock func() time.Time
	names atomic.Pointer[NameFunc]

	cur atomic.Pointer[dbState]

	// wmu serializes every change. The fields below it are guarded by it.
	wmu     sync.Mutex
	indexes map[int64]*appIndex
	jr      *journal
	broken  error // a journal failure; no further writes are accepted
	closed  bool
	// compacting is the compaction running in the background, if any.
	compacting *compaction
	// startFailures counts the compactions that failed to start since the
	// last one that started.
	startFailures int

	// compactHook, set by tests before any write, is called by a
	// compaction at each stage ("switched", "writing", "written",
	// "renamed"); it may block to hold the compaction there.
	compactHook func(stage string)
	// fsHook, set by tests before any write, is called before some file
	// operations of a compaction (see fsFault); an error it returns is
	// that operation's failure, and the operation is not done.
	fsHook func(op, path string) error

	files *fileStore
}

// Open returns a store; with opts.Dir it replays the snapshot and journal
// found there (creating the directory if needed).
func Open(opts Options) (*Store, error) {
	s := &Store{opts: opts, clock: opts.Clock, indexes: map[int64]*appIndex{}}
	if s.clock == nil {
		s.clock = time.Now
	}
	if opts.Names != nil {
		f := opts.Names
		s.names.Store(&f)
	}
	if s.opts.CompactBytes <= 0 {
		s.opts.CompactBytes = 64 << 20
	}
	s.files = newFileStore(opts.Dir)
	st := &dbState{apps: map[int64]*appState{}, nextApp: 1}
	s.cur.Store(st)
	if opts.Dir != "" {
		if err := s.openDurable(); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Close waits for a compaction running in the background, compacts and
// closes the journal, if any. Writes after Close fail; reads keep
// answering from the last state.
//
// Close returns the failure of its own compaction (the journals then
// stay, and the next Open replays them), or, when the store stopped
// accepting changes, the failure that stopped it. An earlier compaction
// that failed was told to Options.Logf; a successful last one replaces it.
func (s *Store) Close() error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	if s.jr == nil {
		return nil
	}
	_ = s.awaitCompactionLocked() // told to Logf; this one replaces it
	err := s.broken
	if err == nil {
		var job *snapshotJob
		if job, err = s.switchJournalLocked(); err == nil {
			err = s.finishCompaction(job)
		}
		if err != nil {
			err = fmt.Errorf("%w; every acknowledged write is in the journals under %s, which the next start replays", err, s.opts.Dir)
		}
	}
	if cerr := s.jr.close(); err == nil {
		err = cerr
	}
	return err
}

// logf tells Options.Logf, if set, of a problem.
func (s *Store) logf(format string, args ...any) {
	if s.opts.Logf != nil {
		s.opts.Logf(format, args...)
	}
}

// waitCompaction waits for the compaction running in the background, if
// any, and returns its error.
func (s *Store) waitCompaction() error {
	s.wmu.Lock()
	c := s.compacting
	s.wmu.Unlock()
	if c == nil {
		return nil
	}
	<-c.done
	return c.err
}

// SetNames replaces the name resolver (see Options.Names); nil restores the
// default of using codes as names. Records already written keep their names.
func (s *Store) SetNames(f NameFunc) {
	if f == nil {
		s.names.Store(nil)
		return
	}
	s.names.Store(&f)
}

// entityName resolves a name with the current resolver.
func (s *Store) entityName(kind, code string) string {
	if p := s.names.Load(); p != nil {
		if n := (*p)(kind, code); n != "" {
			return n
		}
	}
	return code
}

// App returns a copy of the app's metadata. The forms are deep copies too.
func (s *Store) App(id int64) (*App, bool) {
	a := s.cur.Load().apps[id]
	if a == nil {
		return nil, false
	}
	return a.export(), true
}

// Apps returns copies of all apps in ascending ID order.
func (s *Store) Apps() []*App {
	st := s.cur.Load()
	ids := make([]int64, 0, len(st.apps))
	for id := range st.apps {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	out := make([]*App, len(ids))
	for i, id := range ids {
		out[i] = st.apps[id].export()
	}
	return out
}

// Records returns the app's records in ascending ID order and its live form.
// The slice and the records are a snapshot: later writes do not change them.
// Both are shared with other readers: callers must not modify the slice (copy
// it before sorting), the records or the form.
//
// An app that was created with CreatePreviewApp and never deployed answers
// like a fresh app whose live form has only the system fields; see
// CreatePreviewApp.
func (s *Store) Records(app int64) ([]*Record, *Form, error) {
	a := s.cur.Load().apps[app]
	if a == nil {
		return nil, nil, appNotFound(app)
	}
	n := len(a.recs)
	return a.recs[:n:n], a.live, nil
}

// RecordsVersion is Records with the app's version: a number that is the
// same for two calls exactly when no change to the app (its records, its
// forms or its settings) was published between them, so that a reader
// can keep what it derives from the records. Versions only grow.
func (s *Store) RecordsVersion(app int64) ([]*Record, *Form, uint64, error) {
	a := s.cur.Load().apps[app]
	if a == nil {
		return nil, nil, 0, appNotFound(app)
	}
	n := len(a.recs)
	return a.recs[:n:n], a.live, a.version, nil
}

// Record returns one record of the app.
func (s *Store) Record(app, id int64) (*Record, bool) {
	a := s.cur.Load().apps[app]
	if a == nil {
		return nil, false
	}
	r := a.find(id)
	return r, r != nil
}

// LiveForm returns the app's live form (shared; do not modify), as Records
// does, without the records.
func (s *Store) LiveForm(app int64) (*Form, bool) {
	a := s.cur.Load().apps[app]
	if a == nil {
		return nil, false
	}
	return a.live, true
}

func appNotFound(id int64) *apierr.Error { return apierr.AppNotFound(strconv.FormatInt(id, 10)) }

// beginChange takes the write lock for a change outside Write and reports
// whether changes are accepted. The caller unlocks s.wmu.
func (s *Store) beginChange() error {
	s.wmu.Lock()
	if s.closed {
		s.wmu.Unlock()
		return errClosed
	}
	if s.broken != nil {
		err := s.broken
		s.wmu.Unlock()
		return err
	}
	return nil
}

// now returns the store clock's time.
func (s *Store) now() time.Time { return s.clock() }
