package store

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/kintone-sql/kintone/internal/readlimit"
	"github.com/kintone-sql/kintone/kintonetest/internal/apierr"
)

// uploadTTL is how long an upload that no record took stays available.
// Kintone discards unattached files after about three days (REST-API.md
// §4.10, unconfirmed); the emulator does the same by its clock: an older
// upload key is GAIA_BL01 when a record names it, and it is dropped from
// the store at the next compaction.
const uploadTTL = 72 * time.Hour

// fileMeta describes a stored file: an upload waiting to be attached, or
// an attachment of a record. Blob names the bytes: the upload key under
// which they arrived (a file under Dir/files, or an entry of blobs).
type fileMeta struct {
	Name        string    `json:"name"`
	ContentType string    `json:"ct"`
	Size        int64     `json:"size"`
	Blob        string    `json:"blob"`
	Time        time.Time `json:"t"`
}

// fileJSON is a fileMeta with its key, as the journal holds it.
type fileJSON struct {
	Key string `json:"key"`
	fileMeta
}

// fileStore holds the uploads and attachments. Its maps change only under
// the store's write lock, after the change is journaled; mu lets Download
// read them without taking that lock.
type fileStore struct {
	dir string // Dir/files, or "" to keep the bytes in memory

	mu       sync.RWMutex
	uploads  map[string]fileMeta
	attached map[string]fileMeta
	blobs    map[string][]byte // memory mode only
	inflight map[string]bool   // blobs being written by Upload
}

func newFileStore(dir string) *fileStore {
	fs := &fileStore{uploads: map[string]fileMeta{}, attached: map[string]fileMeta{},
		blobs: map[string][]byte{}, inflight: map[string]bool{}}
	if dir != "" {
		fs.dir = filepath.Join(dir, "files")
	}
	return fs
}

// Upload stores a file in temporary storage and returns its upload key
// (POST file.json). The key is good for one FILE value of one record
// write, within uploadTTL; the record then holds a new key for the
// attachment, which Download serves. With Options.Dir the bytes are
// written and fsynced under Dir/files, and the upload is journaled, before
// Upload returns.
func (s *Store) Upload(name, contentType string, data []byte) (string, error) {
	key, err := newUploadKey()
	if err != nil {
		return "", err
	}
	fs := s.files
	meta := fileMeta{Name: name, ContentType: contentType, Size: int64(len(data)), Blob: key, Time: s.now().UTC()}
	if fs.dir != "" {
		fs.mu.Lock()
		fs.inflight[key] = true
		fs.mu.Unlock()
		defer func() {
			fs.mu.Lock()
			delete(fs.inflight, key)
			fs.mu.Unlock()
		}()
		if err := writeFileSync(filepath.Join(fs.dir, key), data); err != nil {
			return "", fmt.Errorf("store: save upload: %w", err)
		}
	} else {
		data = append([]byte(nil), data...)
	}
	if err := s.beginChange(); err != nil {
		if fs.dir != "" {
			_ = os.Remove(filepath.Join(fs.dir, key))
		}
		return "", err
	}
	defer s.wmu.Unlock()
	e := &entry{Op: opUpload, Time: meta.Time, Uploads: []fileJSON{{Key: key, fileMeta: meta}}}
	err = s.commitWith(e, s.cur.Load(), func() {
		fs.mu.Lock()
		fs.uploads[key] = meta
		if fs.dir == "" {
			fs.blobs[key] = data
		}
		fs.mu.Unlock()
	})
	if err != nil {
		return "", err
	}
	return key, nil
}

// Download returns an attachment by the key found in a record's FILE value.
// An upload key that no record took, an unknown key, and the key of an
// attachment that was removed are all GAIA_BL01.
func (s *Store) Download(key string) (FileRef, []byte, error) {
	fs := s.files
	fs.mu.RLock()
	meta, ok := fs.attached[key]
	var data []byte
	if ok && fs.dir == "" {
		data = fs.blobs[meta.Blob]
	}
	fs.mu.RUnlock()
	if !ok {
		return FileRef{}, nil, apierr.FileNotFound(key)
	}
	if fs.dir != "" {
		var err error
		// The blob was written with meta.Size bytes: read no more, and
		// serve no other length (a blob changed on disk is an error, not
		// an attachment).
		data, err = readlimit.File(filepath.Join(fs.dir, meta.Blob), meta.Size)
		if errors.Is(err, os.ErrNotExist) {
			return FileRef{}, nil, apierr.FileNotFound(key) // removed meanwhile
		}
		if err == nil && int64(len(data)) != meta.Size {
			err = fmt.Errorf("has %d bytes", len(data))
		}
		if err != nil {
			return FileRef{}, nil, fmt.Errorf("store: read attachment %s (%d bytes recorded): %w", key, meta.Size, err)
		}
	}
	return FileRef{ContentType: meta.ContentType, FileKey: key, Name: meta.Name, Size: meta.Size}, data, nil
}

// txFiles is what a transaction does to the files: uploads it consumed,
// attachments it created, attachments it removed.
type txFiles struct {
	used    map[string]bool
	added   map[string]fileMeta
	dropped map[string]bool
}

// attach consumes an upload key into a new attachment.
func (tx *Tx) attach(key string) (FileRef, error) {
	fs := tx.s.files
	fs.mu.RLock()
	meta, ok := fs.uploads[key]
	fs.mu.RUnlock()
	if !ok || tx.files.used[key] || tx.now().Sub(meta.Time) > uploadTTL {
		return FileRef{}, apierr.FileNotFound(key)
	}
	fk, err := newFileKey(tx.now())
	if err != nil {
		return FileRef{}, err
	}
	if tx.files.used == nil {
		tx.files.used, tx.files.added = map[string]bool{}, map[string]fileMeta{}
	}
	tx.files.used[key] = true
	tx.files.added[fk] = meta
	tx.undo = append(tx.undo, func() {
		delete(tx.files.used, key)
		delete(tx.files.added, fk)
	})
	return FileRef{ContentType: meta.ContentType, FileKey: fk, Name: meta.Name, Size: meta.Size}, nil
}

// dropFile removes an attachment when the transaction commits.
func (tx *Tx) dropFile(key string) {
	if tx.files.dropped == nil {
		tx.files.dropped = map[string]bool{}
	}
	if tx.files.dropped[key] {
		return
	}
	tx.files.dropped[key] = true
	tx.undo = append(tx.undo, func() { delete(tx.files.dropped, key) })
}

// journal returns the file changes in a stable order.
func (f *txFiles) journal() (added []fileJSON, dropped, used []string) {
	for _, k := range sortedKeys(f.added) {
		added = append(added, fileJSON{Key: k, fileMeta: f.added[k]})
	}
	return added, sortedKeys(f.dropped), sortedKeys(f.used)
}

// applyFiles publishes the transaction's file changes.
func (tx *Tx) applyFiles() {
	added, dropped, used := tx.files.journal()
	tx.s.files.apply(added, dropped, used, nil)
}

// apply changes the file maps: uploads consumed, attachments added and
// removed, uploads added. Bytes no file refers to any more are deleted
// (best effort on disk: a leftover is collected at the next compaction).
func (fs *fileStore) apply(added []fileJSON, dropped, used []string, uploads []fileJSON) {
	var released []string
	fs.mu.Lock()
	for _, u := range uploads {
		fs.uploads[u.Key] = u.fileMeta
	}
	for _, k := range used {
		if m, ok := fs.uploads[k]; ok {
			delete(fs.uploads, k)
			released = append(released, m.Blob)
		}
	}
	for _, f := range added {
		fs.attached[f.Key] = f.fileMeta
	}
	for _, k := range dropped {
		if m, ok := fs.attached[k]; ok {
			delete(fs.attached, k)
			released = append(released, m.Blob)
		}
	}
	keep := map[string]bool{}
	for _, f := range added {
		if _, ok := fs.attached[f.Key]; ok {
			keep[f.Blob] = true
		}
	}
	var remove []string
	for _, b := range released {
		if keep[b] {
			continue
		}
		if fs.dir == "" {
			delete(fs.blobs, b)
		} else {
			remove = append(remove, b)
		}
	}
	fs.mu.Unlock()
	for _, b := range remove {
		_ = os.Remove(filepath.Join(fs.dir, b))
	}
}

// snapshot returns the files to keep in a snapshot: every attachment and
// the uploads younger than uploadTTL at now.
func (fs *fileStore) snapshot(now time.Time) (attached, uploads []fileJSON) {
	fs.mu.RLock()
	defer fs.mu.RUnlock()
	for _, k := range sortedKeys(fs.attached) {
		attached = append(attached, fileJSON{Key: k, fileMeta: fs.attached[k]})
	}
	for _, k := range sortedKeys(fs.uploads) {
		if m := fs.uploads[k]; now.Sub(m.Time) <= uploadTTL {
			uploads = append(uploads, fileJSON{Key: k, fileMeta: m})
		}
	}
	return attached, uploads
}

// dropExpired forgets uploads older than uploadTTL at now.
func (fs *fileStore) dropExpired(now time.Time) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for k, m := range fs.uploads {
		if now.Sub(m.Time) > uploadTTL {
			delete(fs.uploads, k)
			delete(fs.blobs, m.Blob)
		}
	}
}

// collect deletes the files under Dir/files that no upload or attachment
// refers to (left over by a crash or by removals), except blobs Upload is
// writing.
func (fs *fileStore) collect() {
	if fs.dir == "" {
		return
	}
	names, err := os.ReadDir(fs.dir)
	if err != nil {
		return
	}
	fs.mu.RLock()
	live := make(map[string]bool, len(fs.uploads)+len(fs.attached)+len(fs.inflight))
	for _, m := range fs.uploads {
		live[m.Blob] = true
	}
	for _, m := range fs.attached {
		live[m.Blob] = true
	}
	for k := range fs.inflight {
		live[k] = true
	}
	fs.mu.RUnlock()
	for _, n := range names {
		if !live[strings.TrimSuffix(n.Name(), ".tmp")] {
			_ = os.Remove(filepath.Join(fs.dir, n.Name()))
		}
	}
}

// newUploadKey returns a random UUID-like key, as POST file.json answers.
func newUploadKey() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("store: random key: %w", err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], nil
}

// newFileKey returns an attachment key in the long hex-like form records
// show (a time stamp and random hex).
func newFileKey(now time.Time) (string, error) {
	var b [17]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("store: random key: %w", err)
	}
	return now.UTC().Format("20060102150405") + strings.ToUpper(hex.EncodeToString(b[:])), nil
}

// writeFileSync writes data to path through a temporary file, fsyncing the
// file and its directory, so that the file is either absent or complete.
func writeFileSync(path string, data []byte) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	return syncDir(filepath.Dir(path))
}

// syncDir fsyncs a directory, making renames and creations in it durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
