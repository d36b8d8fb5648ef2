package store

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
)

// TestConcurrentReadersAndWriters runs writers and readers together; with
// -race it checks that readers never see a record or slice being changed.
func TestConcurrentReadersAndWriters(t *testing.T) {
	s := openMem(t)
	app := mustApp(t, s, keyedSpec())
	key := upload(t, s, "f", "data")
	fileApp := mustApp(t, s, fileSpec())
	add(t, s, user, fileApp, in("f", keys(key)))
	attachment := filesOfRecord(t, s, fileApp, 1, "f")[0].FileKey

	var stop atomic.Bool
	var writers, readers sync.WaitGroup
	errs := make(chan error, 16)
	for w := 0; w < 3; w++ {
		writers.Add(1)
		go func(w int) {
			defer writers.Done()
			for i := 0; i < 60; i++ {
				sku := fmt.Sprintf("w%d-%d", w, i)
				err := s.Write(user, func(tx *Tx) error {
					res, err := tx.Add(app, []Input{in("sku", jsonOf(sku), "rows", `[{"value":{"x":{"value":"a"}}}]`)}, false)
					if err != nil {
						return err
					}
					id := res[0].ID
					if _, err := tx.Update(app, []UpdateItem{{ID: id, Revision: 1, Record: in("qty", `"2"`)}}, false, false); err != nil {
						return err
					}
					if i%3 == 0 {
						return tx.Delete(app, []int64{id}, nil)
					}
					return nil
				})
				if err != nil {
					errs <- err
					return
				}
			}
		}(w)
	}
	for r := 0; r < 3; r++ {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for !stop.Load() {
				recs, form, err := s.Records(app)
				if err != nil || form == nil {
					errs <- fmt.Errorf("Records: %v", err)
					return
				}
				for i, rec := range recs {
					if i > 0 && recs[i-1].ID >= rec.ID {
						errs <- fmt.Errorf("records out of order")
						return
					}
					if rec.Revision != 2 || rec.Values["qty"] != "2" {
						errs <- fmt.Errorf("record %d seen half-written: rev %d", rec.ID, rec.Revision)
						return
					}
					_ = rec.Values["rows"].([]Row)[0].Values["x"]
				}
				if _, _, err := s.Download(attachment); err != nil {
					errs <- err
					return
				}
				_ = s.Apps()
			}
		}()
	}
	writers.Wait()
	stop.Store(true)
	readers.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	recs, _, _ := s.Records(app)
	if len(recs) != 120 {
		t.Fatalf("%d records, want 120", len(recs))
	}
}
