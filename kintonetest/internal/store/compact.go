package store

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Compaction replaces the journals with a snapshot of the state, without
// stopping writers. Under the write lock, and only for as long as it takes
// to create a file, it starts journal gen+1, to which every later write
// goes, and takes the state (an immutable dbState) and the file maps as
// they are at that point. Then, in the background, it writes that state as
// the snapshot of generation gen+1, renames it into place, and deletes the
// journals before gen+1.
//
// A crash at any point loses nothing acknowledged: before the rename, the
// old snapshot and journals gen and gen+1 hold everything (Open replays
// the consecutive journals from the snapshot's generation); after it, the
// new snapshot holds what journal gen held and journal gen+1 the rest. A
// failed compaction leaves both journals; the next one, of generation
// gen+2, replaces them all. A compaction that fails to start leaves the
// journal in use, and the next write tries again; when the new journal
// could not be removed either, that attempt takes it, as it is empty.
// Every failure is told to Options.Logf, and Close returns its own.

// compaction is a snapshot being written in the background.
type compaction struct {
	done chan struct{}
	err  error
}

// snapshotJob is what one compaction writes: the state and the files at
// the moment its journal started.
type snapshotJob struct {
	gen               int64
	st                *dbState
	attached, uploads []fileJSON
	now               time.Time
}

// maybeCompactLocked starts a compaction when the journal has outgrown
// Options.CompactBytes and none is running. The caller holds s.wmu.
func (s *Store) maybeCompactLocked() {
	if s.jr == nil || s.jr.size <= s.opts.CompactBytes {
		return
	}
	if c := s.compacting; c != nil {
		select {
		case <-c.done:
			s.compacting = nil
		default:
			return // the journal grows on until the running one ends
		}
	}
	old := s.jr.f.Name()
	job, err := s.switchJournalLocked()
	var fe *foreignJournalError
	switch {
	case errors.As(err, &fe):
		s.broken = err
		s.logf("%v", err)
		return
	case err != nil:
		// The journal stays in use; the next commit tries again.
		s.startFailures++
		if s.startFailures == 1 {
			s.logf("%v; writes go on in %s, and each tries again to start a compaction (only the first failure is reported)", err, old)
		}
		return
	case s.startFailures > 0:
		s.logf("store: compaction: started after %d failed attempts", s.startFailures)
		s.startFailures = 0
	}
	c := &compaction{done: make(chan struct{})}
	s.compacting = c
	go func() {
		defer close(c.done)
		c.err = s.finishCompaction(job)
		if c.err != nil {
			s.logf("%v; the journals stay, every acknowledged write is in them, and the next compaction replaces them", c.err)
		}
	}()
}

// foreignJournalError is a journal of the next generation, with content,
// found where a compaction starts it: the store did not write it (it
// writes to a new journal only once its start is durable), so another
// process may be using the directory, and Open would replay the file
// after the current journal.
type foreignJournalError struct {
	path string
	size int64
}

func (e *foreignJournalError) Error() string {
	return fmt.Sprintf("store: compaction: %s already exists with %d bytes this store did not write (is another process using %s?); "+
		"the next start would replay it after the current journal, so the store accepts no further changes: stop it, move the file away and start again",
		e.path, e.size, filepath.Dir(e.path))
}

// awaitCompactionLocked waits for a running compaction. It does not need
// the write lock, so the caller may hold it.
func (s *Store) awaitCompactionLocked() error {
	c := s.compacting
	if c == nil {
		return nil
	}
	<-c.done
	s.compacting = nil
	return c.err
}

// switchJournalLocked starts the journal of the next generation, makes it
// the one writes go to, and returns the state to snapshot. The new file is
// fsynced and so is the directory before any write can be acknowledged in
// it. The caller holds s.wmu.
func (s *Store) switchJournalLocked() (*snapshotJob, error) {
	dir, gen := s.opts.Dir, s.jr.gen+1
	now := s.now()
	jp := journalPath(dir, gen)
	nf, err := os.OpenFile(jp, os.O_CREATE|os.O_EXCL|os.O_WRONLY|os.O_APPEND, 0o644)
	if errors.Is(err, fs.ErrExist) {
		nf, err = openEmptyJournal(jp)
	}
	if err != nil {
		var fe *foreignJournalError
		if errors.As(err, &fe) {
			return nil, err
		}
		return nil, fmt.Errorf("store: compaction: %w", err)
	}
	if err = s.fsFault("sync", jp); err == nil {
		err = nf.Sync()
	}
	if err == nil {
		if err = s.fsFault("syncdir", dir); err == nil {
			err = syncDir(dir)
		}
	}
	if err != nil {
		nf.Close()
		rerr := s.fsFault("remove", jp)
		if rerr == nil {
			rerr = os.Remove(jp)
		}
		if rerr != nil {
			// Nothing is written to it before its start is durable: the
			// next attempt takes it as it is, empty.
			err = fmt.Errorf("%w; and it stays, empty, as removing it failed too: %v", err, rerr)
		}
		return nil, fmt.Errorf("store: compaction: %w", err)
	}
	_ = s.jr.f.Close() // every frame in it was fsynced by append
	s.jr.f, s.jr.gen, s.jr.size = nf, gen, 0
	s.files.dropExpired(now)
	attached, uploads := s.files.snapshot(now)
	return &snapshotJob{gen: gen, st: s.cur.Load(), attached: attached, uploads: uploads, now: now}, nil
}

// openEmptyJournal opens for appending a journal that already exists,
// when it is empty: one that a compaction which failed to start could
// not remove (see switchJournalLocked). Any other is a
// *foreignJournalError.
func openEmptyJournal(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err == nil && st.Size() != 0 {
		err = &foreignJournalError{path: path, size: st.Size()}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// finishCompaction writes job's snapshot, renames it into place and
// deletes the journals it replaces. It runs without the write lock.
func (s *Store) finishCompaction(job *snapshotJob) error {
	dir := s.opts.Dir
	tmp := filepath.Join(dir, snapshotTmp)
	s.at("switched")
	if err := s.writeSnapshot(tmp, job); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	s.at("written")
	err := s.fsFault("rename", tmp)
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, snapshotName))
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("store: compaction: %w", err)
	}
	// Until the rename is durable the old journals may still be the ones
	// Open reads.
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("store: compaction: %w", err)
	}
	s.at("renamed")
	removeStale(dir, job.gen, 1<<62)
	s.files.collect()
	return nil
}

// fsFault returns the failure a test injects into file operation op
// ("sync", "syncdir", "remove", "rename") on path, or nil.
func (s *Store) fsFault(op, path string) error {
	if s.fsHook == nil {
		return nil
	}
	return s.fsHook(op, path)
}

// at calls the test hook, if any, at a stage of a compaction.
func (s *Store) at(stage string) {
	if s.compactHook != nil {
		s.compactHook(stage)
	}
}

// writeSnapshot writes job's state as frames to path and fsyncs it.
func (s *Store) writeSnapshot(path string, job *snapshotJob) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	w := &frameWriter{w: bufio.NewWriterSize(f, 1<<20)}
	now := job.now.UTC()
	w.put(&entry{Op: opGen, Gen: job.gen, Time: now})
	if w.err == nil {
		w.err = w.w.Flush()
	}
	s.at("writing")
	var payload []byte
	for _, a := range sortedApps(job.st) {
		w.put(&entry{Op: opApp, Time: now, App: encodeAppHeader(a)})
		for start := 0; start < len(a.recs) && w.err == nil; start += snapshotChunk {
			chunk := a.recs[start:min(start+snapshotChunk, len(a.recs))]
			payload, w.err = appendWriteEntry(payload[:0], now, a, chunk)
			w.putPayload(payload)
		}
	}
	w.put(&entry{Op: opFiles, Time: now, Files: job.attached, Uploads: job.uploads})
	err = w.err
	if err == nil {
		err = w.w.Flush()
	}
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
	w   *bufio.Writer
	err error
}

func (w *frameWriter) put(e *entry) {
	if w.err != nil {
		return
	}
	b, err := frame(e)
	if err == nil {
		_, err = w.w.Write(b)
	}
	w.err = err
}

// putPayload writes an encoded entry as a frame.
func (w *frameWriter) putPayload(payload []byte) {
	if w.err != nil {
		return
	}
	var h [frameHeader]byte
	binary.LittleEndian.PutUint32(h[0:4], uint32(len(payload)))
	binary.LittleEndian.PutUint32(h[4:8], crc32.Checksum(payload, castagnoli))
	if _, err := w.w.Write(h[:]); err != nil {
		w.err = err
		return
	}
	_, w.err = w.w.Write(payload)
}
