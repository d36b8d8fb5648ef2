package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// The durable store is a snapshot plus a journal in Options.Dir:
//
//	snapshot            the state at the last compaction (absent before it)
//	journal-<gen>.log   every change committed since that snapshot
//	files/              the bytes of uploads and attachments
//
// Both files are sequences of frames: a 4-byte little-endian payload
// length, the CRC-32C of the payload (4 bytes, little-endian), and the
// payload, one JSON entry. The snapshot starts with a "gen" entry naming
// the journal that continues it, so a crash between writing a snapshot and
// starting its journal can never replay old entries twice.
//
// A change is acknowledged only after its frame is written and fsynced.
// A crash can therefore leave at most the last frame of the journal
// incomplete: Open ignores (and truncates) a bad frame that reaches the end
// of the file. Any other damage is an error naming the file and offset.

// The journal entry kinds.
const (
	opGen    = "gen"    // snapshot header: Gen
	opApp    = "app"    // an app's metadata and forms (created or changed): App
	opDeploy = "deploy" // Deploy(Apps, Revert) at Time
	opWrite  = "write"  // record writes and their file changes: Recs, Files, Drop, Used
	opUpload = "upload" // new uploads: Uploads
	opFiles  = "files"  // snapshot: attachments (Files) and pending uploads (Uploads)
)

// entry is one journal frame's payload.
type entry struct {
	Op      string     `json:"op"`
	Gen     int64      `json:"gen,omitempty"`
	Time    time.Time  `json:"t"`
	App     *appJSON   `json:"app,omitempty"`
	Apps    []int64    `json:"apps,omitempty"`
	Revert  bool       `json:"revert,omitempty"`
	Recs    []recsJSON `json:"recs,omitempty"`
	Files   []fileJSON `json:"files,omitempty"`
	Drop    []string   `json:"drop,omitempty"`
	Used    []string   `json:"used,omitempty"`
	Uploads []fileJSON `json:"uploads,omitempty"`
}

const (
	frameHeader = 8
	// maxFrame bounds a frame's claimed length when reading, so that a
	// damaged length cannot make Open allocate gigabytes.
	maxFrame      = 1 << 30
	snapshotName  = "snapshot"
	snapshotTmp   = "snapshot.tmp"
	journalPrefix = "journal-"
	journalSuffix = ".log"
	snapshotChunk = 1000 // records per snapshot entry
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// journal is the open journal file.
type journal struct {
	dir  string
	gen  int64
	f    *os.File
	size int64
}

func journalPath(dir string, gen int64) string {
	return filepath.Join(dir, journalPrefix+strconv.FormatInt(gen, 10)+journalSuffix)
}

// frame encodes an entry as a frame.
func frame(e *entry) ([]byte, error) {
	payload, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("store: encode journal entry: %w", err)
	}
	b := make([]byte, frameHeader, frameHeader+len(payload))
	binary.LittleEndian.PutUint32(b[0:4], uint32(len(payload)))
	binary.LittleEndian.PutUint32(b[4:8], crc32.Checksum(payload, castagnoli))
	return append(b, payload...), nil
}

// append writes and fsyncs one entry.
func (j *journal) append(e *entry) error {
	b, err := frame(e)
	if err != nil {
		return err
	}
	if _, err := j.f.Write(b); err != nil {
		return fmt.Errorf("store: write %s: %w", j.f.Name(), err)
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("store: sync %s: %w", j.f.Name(), err)
	}
	j.size += int64(len(b))
	return nil
}

func (j *journal) close() error {
	if j.f == nil {
		return nil
	}
	err := j.f.Close()
	j.f = nil
	return err
}

// commitLocked journals e (when durable) and publishes next.
func (s *Store) commitLocked(e *entry, next *dbState) error {
	return s.commitWith(e, next, nil)
}

// commitWith journals e, runs apply (changes outside the state, such as
// the file maps), and publishes next. A journal failure publishes nothing
// and refuses every later change: the journal may end in a partial frame,
// and only a reopen can tell what it holds.
func (s *Store) commitWith(e *entry, next *dbState, apply func()) error {
	if s.jr != nil {
		if err := s.jr.append(e); err != nil {
			s.broken = fmt.Errorf("%w (the store accepts no further changes)", err)
			return s.broken
		}
	}
	if apply != nil {
		apply()
	}
	s.cur.Store(next)
	if s.jr != nil && s.jr.size > s.opts.CompactBytes {
		// A failed compaction leaves the journal in use; the next commit
		// tries again.
		_ = s.compactLocked()
	}
	return nil
}

// openDurable loads the snapshot and journal under Options.Dir and opens
// the journal for appending.
func (s *Store) openDurable() error {
	dir := s.opts.Dir
	if err := os.MkdirAll(filepath.Join(dir, "files"), 0o755); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	gen := int64(0)
	snap := filepath.Join(dir, snapshotName)
	if data, err := os.ReadFile(snap); err == nil {
		if gen, err = s.replaySnapshot(snap, data); err != nil {
			return err
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("store: %w", err)
	}
	jp := journalPath(dir, gen)
	size, err := s.replayJournal(jp)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(jp, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	s.jr = &journal{dir: dir, gen: gen, f: f, size: size}
	if err := syncDir(dir); err != nil {
		f.Close()
		return fmt.Errorf("store: %w", err)
	}
	removeStale(dir, gen)
	s.files.collect()
	return nil
}

// removeStale deletes journals of other generations and a half-written
// snapshot, all left by a crash during compaction.
func removeStale(dir string, gen int64) {
	names, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	keep := filepath.Base(journalPath(dir, gen))
	for _, n := range names {
		name := n.Name()
		if name == snapshotTmp || (strings.HasPrefix(name, journalPrefix) && strings.HasSuffix(name, journalSuffix) && name != keep) {
			_ = os.Remove(filepath.Join(dir, name))
		}
	}
}

// replaySnapshot applies a snapshot and returns its generation. A
// snapshot is written whole and renamed into place, so any damage in it
// is an error.
func (s *Store) replaySnapshot(path string, data []byte) (int64, error) {
	gen := int64(-1)
	off := 0
	for off < len(data) {
		e, n, err := readFrame(data[off:])
		if err != nil {
			return 0, fmt.Errorf("store: %s is corrupt at offset %d: %v", path, off, err)
		}
		if gen < 0 {
			if e.Op != opGen {
				return 0, fmt.Errorf("store: %s is corrupt at offset %d: the first entry is %q, not %q", path, off, e.Op, opGen)
			}
			gen = e.Gen
		} else if err := s.replay(e); err != nil {
			return 0, fmt.Errorf("store: %s is corrupt at offset %d: %v", path, off, err)
		}
		off += n
	}
	if gen < 0 {
		return 0, fmt.Errorf("store: %s is corrupt at offset 0: empty snapshot", path)
	}
	return gen, nil
}

// replayJournal applies a journal and returns the length of its good part,
// truncating a torn last frame away.
func (s *Store) replayJournal(path string) (int64, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("store: %w", err)
	}
	off := 0
	for off < len(data) {
		e, n, err := readFrame(data[off:])
		if err != nil {
			if torn(data[off:]) {
				if terr := os.Truncate(path, int64(off)); terr != nil {
					return 0, fmt.Errorf("store: truncate torn entry of %s at offset %d: %w", path, off, terr)
				}
				return int64(off), nil
			}
			return 0, fmt.Errorf("store: %s is corrupt at offset %d: %v", path, off, err)
		}
		if err := s.replay(e); err != nil {
			return 0, fmt.Errorf("store: %s is corrupt at offset %d: %v", path, off, err)
		}
		off += n
	}
	return int64(off), nil
}

// readFrame decodes the frame at the start of b and returns its size.
func readFrame(b []byte) (*entry, int, error) {
	if len(b) < frameHeader {
		return nil, 0, io.ErrUnexpectedEOF
	}
	n := binary.LittleEndian.Uint32(b[0:4])
	if n == 0 || n > maxFrame {
		return nil, 0, fmt.Errorf("bad entry length %d", n)
	}
	if uint64(len(b)-frameHeader) < uint64(n) {
		return nil, 0, io.ErrUnexpectedEOF
	}
	payload := b[frameHeader : frameHeader+int(n)]
	if crc32.Checksum(payload, castagnoli) != binary.LittleEndian.Uint32(b[4:8]) {
		return nil, 0, errors.New("checksum mismatch")
	}
	e := &entry{}
	if err := json.Unmarshal(payload, e); err != nil {
		return nil, 0, fmt.Errorf("undecodable entry: %v", err)
	}
	return e, frameHeader + int(n), nil
}

// torn reports whether a bad frame is the incomplete last write of a
// crash: it reaches the end of the file (its header or claimed payload is
// cut off, or it is the last frame), or everything from it on is zero
// bytes (a file extended but not yet written).
func torn(b []byte) bool {
	if len(b) < frameHeader {
		return true
	}
	n := uint64(binary.LittleEndian.Uint32(b[0:4]))
	if n != 0 && n <= maxFrame && uint64(len(b)) <= frameHeader+n {
		return true
	}
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// compactLocked writes the current state as a new snapshot and starts an
// empty journal after it. Until the snapshot is renamed into place the old
// snapshot and journal stay authoritative, so a failure (or crash) before
// that point loses nothing; after it, the old journal is no longer read.
func (s *Store) compactLocked() error {
	dir, gen := s.opts.Dir, s.jr.gen+1
	now := s.now()
	s.files.dropExpired(now)
	tmp := filepath.Join(dir, snapshotTmp)
	if err := s.writeSnapshot(tmp, gen, now); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	jp := journalPath(dir, gen)
	nf, err := os.OpenFile(jp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("store: %w", err)
	}
	fail := func(err error) error {
		nf.Close()
		_ = os.Remove(jp)
		_ = os.Remove(tmp)
		return fmt.Errorf("store: compaction: %w", err)
	}
	if err := nf.Sync(); err != nil {
		return fail(err)
	}
	if err := syncDir(dir); err != nil {
		return fail(err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, snapshotName)); err != nil {
		return fail(err)
	}
	// The new snapshot is in place: from here on only the new journal counts.
	old := s.jr.f.Name()
	_ = s.jr.f.Close()
	s.jr.f, s.jr.gen, s.jr.size = nf, gen, 0
	if err := syncDir(dir); err != nil {
		s.broken = fmt.Errorf("store: compaction: %w (the store accepts no further changes)", err)
		return s.broken
	}
	_ = os.Remove(old)
	s.files.collect()
	return nil
}

// writeSnapshot writes the whole state as frames to path and fsyncs it.
func (s *Store) writeSnapshot(path string, gen int64, now time.Time) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	w := &frameWriter{f: f}
	w.put(&entry{Op: opGen, Gen: gen, Time: now.UTC()})
	st := s.cur.Load()
	for _, a := range sortedApps(st) {
		w.put(&entry{Op: opApp, Time: now.UTC(), App: encodeAppHeader(a)})
		for start := 0; start < len(a.recs); start += snapshotChunk {
			chunk := a.recs[start:min(start+snapshotChunk, len(a.recs))]
			rj := recsJSON{App: a.meta.ID, NextID: a.nextID, NextRow: a.nextRow, Put: make([]recJSON, len(chunk))}
			for i, r := range chunk {
				rj.Put[i] = encodeRecord(r)
			}
			w.put(&entry{Op: opWrite, Time: now.UTC(), Recs: []recsJSON{rj}})
		}
	}
	attached, uploads := s.files.snapshot(now)
	w.put(&entry{Op: opFiles, Time: now.UTC(), Files: attached, Uploads: uploads})
	err = w.err
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("store: write snapshot: %w", err)
	}
	return nil
}

// frameWriter writes frames, keeping the first error.
type frameWriter struct {
	f   *os.File
	err error
}

func (w *frameWriter) put(e *entry) {
	if w.err != nil {
		return
	}
	b, err := frame(e)
	if err == nil {
		_, err = w.f.Write(b)
	}
	w.err = err
}

// sortedApps returns the apps in ID order.
func sortedApps(st *dbState) []*appState {
	out := make([]*appState, 0, len(st.apps))
	for id := int64(1); id < st.nextApp; id++ {
		if a := st.apps[id]; a != nil {
			out = append(out, a)
		}
	}
	return out
}
