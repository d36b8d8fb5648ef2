package store

// This file fixes the store's API so that the HTTP layer and the store can be
// written side by side. The bodies are placeholders to be replaced by the
// real implementation (in files of their own); the signatures are the
// contract.

import (
	"errors"
	"time"

	"github.com/kintone-sql/kintone/internal/field"
)

var errTODO = errors.New("store: not implemented yet")

// Options configure a Store.
type Options struct {
	// Dir, when set, makes the store durable: every acknowledged write is in
	// a journal under Dir (fsynced before the write returns) and is replayed
	// by Open.
	Dir string
	// Clock returns the current time; nil means time.Now.
	Clock func() time.Time
}

// Store is the emulator's database. Its methods are safe for concurrent use.
type Store struct{}

// Open returns a store; with opts.Dir it replays the journal found there.
func Open(opts Options) (*Store, error) { return nil, errTODO }

// Close flushes and closes the journal, if any.
func (s *Store) Close() error { return errTODO }

// CreateApp creates an app and deploys spec.Fields at once (for fixtures and
// the Go API). It returns the new app's metadata.
func (s *Store) CreateApp(spec AppSpec) (*App, error) { return nil, errTODO }

// CreatePreviewApp creates an app the way POST preview/app.json does: only
// the system fields, not yet deployed (Live is nil).
func (s *Store) CreatePreviewApp(spec AppSpec) (*App, error) { return nil, errTODO }

// App returns a copy of the app's metadata.
func (s *Store) App(id int64) (*App, bool) { return nil, false }

// Apps returns copies of all apps in ascending ID order.
func (s *Store) Apps() []*App { return nil }

// AddPreviewFields adds fields to the preview form. revision is the expected
// settings revision, or -1. It returns the new settings revision.
func (s *Store) AddPreviewFields(app int64, props map[string]*field.Property, revision int64) (int64, error) {
	return 0, errTODO
}

// UpdatePreviewFields changes preview fields keyed by their current codes
// (a different Code inside renames the field).
func (s *Store) UpdatePreviewFields(app int64, props map[string]*field.Property, revision int64) (int64, error) {
	return 0, errTODO
}

// DeletePreviewFields removes preview fields by code.
func (s *Store) DeletePreviewFields(app int64, codes []string, revision int64) (int64, error) {
	return 0, errTODO
}

// Deploy makes the preview forms of apps live (or, with revert, discards the
// preview changes). All listed apps succeed or none do.
func (s *Store) Deploy(apps []int64, revert bool) error { return errTODO }

// Records returns the app's records in ascending ID order and its live form.
// The slice and the records are a snapshot: later writes do not change them.
func (s *Store) Records(app int64) ([]*Record, *Form, error) { return nil, nil, errTODO }

// Record returns one record of the app.
func (s *Store) Record(app, id int64) (*Record, bool) { return nil, false }

// Write runs fn as one atomic write: if fn returns an error nothing of it is
// applied; otherwise every change is journaled (when durable) and published
// before Write returns nil.
func (s *Store) Write(actor Actor, fn func(tx *Tx) error) error { return errTODO }

// Tx is a write in progress; see Store.Write.
type Tx struct{}

// Add adds records. single selects the error-key prefix: "record." for
// record.json, "records[i]." for records.json.
func (tx *Tx) Add(app int64, recs []Input, single bool) ([]IDRev, error) { return nil, errTODO }

// Update updates records by ID or update key; with upsert, an item that
// matches nothing is inserted (with a new ID).
func (tx *Tx) Update(app int64, items []UpdateItem, upsert, single bool) ([]UpdateResult, error) {
	return nil, errTODO
}

// Delete deletes records; revisions is nil or parallel to ids, -1 meaning no check.
func (tx *Tx) Delete(app int64, ids []int64, revisions []int64) error { return errTODO }

// Upload stores a file in temporary storage and returns its upload key.
func (s *Store) Upload(name, contentType string, data []byte) (string, error) { return "", errTODO }

// Download returns an attached file by the key found in a record's FILE value.
func (s *Store) Download(key string) (FileRef, []byte, error) { return FileRef{}, nil, errTODO }
