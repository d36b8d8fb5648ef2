package store

import (
	"bufio"
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

// The durable store is a snapshot plus journals in Options.Dir:
//
//	snapshot            the state at the last compaction (absent before it)
//	journal-<gen>.log   every change committed since that snapshot: the
//	                    journal of the snapshot's generation and, while a
//	                    compaction runs, the next one (see compact.go)
//	files/              the bytes of uploads and attachments
//
// Both kinds of file are sequences of frames: a 4-byte little-endian
// payload length, the CRC-32C of the payload (4 bytes, little-endian), and
// the payload, one JSON entry. The snapshot starts with a "gen" entry
// naming the first journal that continues it, so a crash between writing a
// snapshot and deleting the journals it replaces can never replay old
// entries twice.
//
// A change is acknowledged only after its frame is written and fsynced.
// A crash can therefore leave at most the last frame of the last journal
// written to incomplete (empty journals may follow it, see openDurable):
// Open ignores (and truncates) a bad frame that reaches the end of that
// file. Any other damage is an error naming the file and offset.

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
	// The os errors name the file.
	if _, err := j.f.Write(b); err != nil {
		return fmt.Errorf("store: journal: %w", err)
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("store: journal: %w", err)
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
	s.maybeCompactLocked()
	return nil
}

// openDurable loads the snapshot and the journals under Options.Dir and
// opens the last journal for appending.
//
// The journals that count are those of the snapshot's generation and the
// ones after it, consecutively: a compaction starts journal gen+1 before
// it writes the snapshot of generation gen+1 in the background, so until
// that snapshot is in place, journals gen and gen+1 both continue the old
// snapshot. Only the last journal written to may end in a torn frame:
// every earlier one was complete, and synced, when the next one was first
// written to.
func (s *Store) openDurable() error {
	dir := s.opts.Dir
	if err := os.MkdirAll(filepath.Join(dir, "files"), 0o755); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	in := newInterner()
	gen, err := s.replaySnapshot(filepath.Join(dir, snapshotName), in)
	if errors.Is(err, os.ErrNotExist) {
		gen = 0
	} else if err != nil {
		return err
	}
	last := gen
	for exists(journalPath(dir, last+1)) {
		last++
	}
	// The journal a crash may have torn is the last one written to: empty
	// journals after it are left by compactions that failed to start (and
	// to remove the journal they had created) while writes went on in it.
	written := last
	for written > gen && emptyFile(journalPath(dir, written)) {
		written--
	}
	var size int64
	for g := gen; g <= last; g++ {
		if size, err = s.replayJournal(journalPath(dir, g), g >= written, in); err != nil {
			return err
		}
	}
	jp := journalPath(dir, last)
	f, err := os.OpenFile(jp, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	s.jr = &journal{dir: dir, gen: last, f: f, size: size}
	if err := syncDir(dir); err != nil {
		f.Close()
		return fmt.Errorf("store: %w", err)
	}
	removeStale(dir, gen, last)
	s.files.collect()
	return nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// emptyFile reports whether path is a file of no bytes.
func emptyFile(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Size() == 0
}

// removeStale deletes the journals outside generations first to last and a
// half-written snapshot, all left by a crash during compaction.
func removeStale(dir string, first, last int64) {
	names, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, n := range names {
		name := n.Name()
		g, isJournal := journalGen(name)
		if name == snapshotTmp || (isJournal && (g < first || g > last)) {
			_ = os.Remove(filepath.Join(dir, name))
		}
	}
}

// journalGen returns the generation of a journal file name.
func journalGen(name string) (int64, bool) {
	if !strings.HasPrefix(name, journalPrefix) || !strings.HasSuffix(name, journalSuffix) {
		return 0, false
	}
	g, err := strconv.ParseInt(name[len(journalPrefix):len(name)-len(journalSuffix)], 10, 64)
	return g, err == nil
}

// frameReader reads the frames of one file in order, without holding the
// file in memory: a snapshot of hundreds of thousands of records is
// hundreds of megabytes.
type frameReader struct {
	path string
	f    *os.File
	r    *bufio.Reader
	size int64 // the file's size when opened
	off  int64 // where the next frame starts
	at   int64 // where the frame last read (or failed) starts
	buf  []byte
	in   *interner
}

func openFrames(path string, in *interner) (*frameReader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	return &frameReader{path: path, f: f, r: bufio.NewReaderSize(f, 1<<20), size: st.Size(), in: in}, nil
}

// next returns the next entry, or io.EOF at the end of the file. Any
// other error is about the frame at fr.off.
func (fr *frameReader) next() (*entry, error) {
	fr.at = fr.off
	left := fr.size - fr.off
	if left == 0 {
		return nil, io.EOF
	}
	if left < frameHeader {
		return nil, io.ErrUnexpectedEOF
	}
	var h [frameHeader]byte
	if _, err := io.ReadFull(fr.r, h[:]); err != nil {
		return nil, err
	}
	n := binary.LittleEndian.Uint32(h[0:4])
	if n == 0 || n > maxFrame {
		return nil, fmt.Errorf("bad entry length %d", n)
	}
	if int64(n) > left-frameHeader {
		return nil, io.ErrUnexpectedEOF
	}
	if cap(fr.buf) < int(n) {
		fr.buf = make([]byte, n)
	}
	payload := fr.buf[:n]
	if _, err := io.ReadFull(fr.r, payload); err != nil {
		return nil, err
	}
	if crc32.Checksum(payload, castagnoli) != binary.LittleEndian.Uint32(h[4:8]) {
		return nil, errors.New("checksum mismatch")
	}
	e, err := decodeEntry(payload, fr.in)
	if err != nil {
		return nil, fmt.Errorf("undecodable entry: %v", err)
	}
	fr.off += frameHeader + int64(n)
	return e, nil
}

// torn reports whether the bad frame at fr.off is the incomplete last
// write of a crash: it reaches the end of the file (its header or claimed
// payload is cut off, or it is the last frame), or everything from it on
// is zero bytes (a file extended but not yet written).
func (fr *frameReader) torn() bool {
	left := fr.size - fr.off
	if left < frameHeader {
		return true
	}
	var h [frameHeader]byte
	if _, err := fr.f.ReadAt(h[:], fr.off); err != nil {
		return false
	}
	n := int64(binary.LittleEndian.Uint32(h[0:4]))
	if n != 0 && n <= maxFrame && left <= frameHeader+n {
		return true
	}
	zeros := bufio.NewReaderSize(io.NewSectionReader(fr.f, fr.off, left), 64<<10)
	for {
		c, err := zeros.ReadByte()
		if err == io.EOF {
			return true
		}
		if err != nil || c != 0 {
			return false
		}
	}
}

func (fr *frameReader) close() { _ = fr.f.Close() }

// corrupt is the error for damage in the frame last read.
func (fr *frameReader) corrupt(err error) error {
	return fmt.Errorf("store: %s is corrupt at offset %d: %v", fr.path, fr.at, err)
}

// replaySnapshot applies a snapshot and returns its generation. A
// snapshot is written whole and renamed into place, so any damage in it
// is an error. A missing snapshot is an error wrapping os.ErrNotExist.
func (s *Store) replaySnapshot(path string, in *interner) (int64, error) {
	fr, err := openFrames(path, in)
	if errors.Is(err, os.ErrNotExist) {
		return 0, err
	}
	if err != nil {
		return 0, fmt.Errorf("store: %w", err)
	}
	defer fr.close()
	gen := int64(-1)
	for {
		e, err := fr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, fr.corrupt(err)
		}
		if gen < 0 {
			if e.Op != opGen {
				return 0, fr.corrupt(fmt.Errorf("the first entry is %q, not %q", e.Op, opGen))
			}
			gen = e.Gen
			continue
		}
		if err := s.replay(e); err != nil {
			return 0, fr.corrupt(err)
		}
	}
	if gen < 0 {
		return 0, fmt.Errorf("store: %s is corrupt at offset 0: empty snapshot", path)
	}
	return gen, nil
}

// replayJournal applies a journal and returns the length of its good
// part. In the last journal written to (last) a torn last frame is
// truncated away; in an earlier one it is damage.
func (s *Store) replayJournal(path string, last bool, in *interner) (int64, error) {
	fr, err := openFrames(path, in)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("store: %w", err)
	}
	defer fr.close()
	for {
		e, err := fr.next()
		if err == io.EOF {
			return fr.off, nil
		}
		if err != nil {
			if last && fr.torn() {
				if terr := os.Truncate(path, fr.off); terr != nil {
					return 0, fmt.Errorf("store: truncate torn entry of %s at offset %d: %w", path, fr.off, terr)
				}
				return fr.off, nil
			}
			return 0, fr.corrupt(err)
		}
		if err := s.replay(e); err != nil {
			return 0, fr.corrupt(err)
		}
	}
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
