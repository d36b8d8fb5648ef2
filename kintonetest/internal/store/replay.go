package store

import (
	"errors"
	"fmt"
	"sort"
)

// replay applies one journal or snapshot entry to the state, as the
// original change did but without validation: the entry holds the
// outcome (record versions, file keys), or, for a deploy, the inputs of a
// deterministic computation.
func (s *Store) replay(e *entry) error {
	st := s.cur.Load()
	switch e.Op {
	case opApp:
		if e.App == nil {
			return errors.New("app entry without an app")
		}
		a := e.App.decode()
		if old := st.apps[a.meta.ID]; old != nil {
			a.recs = old.recs
		}
		s.cur.Store(st.withApp(a))
		delete(s.indexes, a.meta.ID)
	case opDeploy:
		next, dropped, err := deployState(st, e.Apps, e.Revert, e.Time)
		if err != nil {
			return err
		}
		s.files.apply(nil, dropped, nil, nil)
		s.cur.Store(next)
		for _, id := range e.Apps {
			delete(s.indexes, id)
		}
	case opWrite:
		apps := map[int64]*appState{}
		for _, rj := range e.Recs {
			a := apps[rj.App]
			if a == nil {
				a = st.apps[rj.App]
			}
			if a == nil {
				return fmt.Errorf("records of app %d, which does not exist", rj.App)
			}
			apps[rj.App] = applyRecs(a, rj)
			delete(s.indexes, rj.App)
		}
		s.files.apply(e.Files, e.Drop, e.Used, nil)
		s.cur.Store(st.withApps(apps))
	case opUpload:
		s.files.apply(nil, nil, nil, e.Uploads)
	case opFiles:
		s.files.apply(e.Files, nil, nil, e.Uploads)
	default:
		return fmt.Errorf("unknown entry kind %q", e.Op)
	}
	return nil
}

// applyRecs returns a copy of a with the records of rj put and deleted.
func applyRecs(a *appState, rj recsJSON) *appState {
	c := a.clone()
	c.nextID, c.nextRow = rj.NextID, rj.NextRow
	puts := rj.recs
	if !rj.decoded {
		puts = make([]*Record, len(rj.Put))
		for i, p := range rj.Put {
			puts[i] = p.decode()
		}
	}
	sort.Slice(puts, func(i, j int) bool { return puts[i].ID < puts[j].ID })
	appendOnly := len(rj.Del) == 0
	last := int64(0)
	if n := len(a.recs); n > 0 {
		last = a.recs[n-1].ID
	}
	if appendOnly && (len(puts) == 0 || puts[0].ID > last) {
		// Appending in place, as a live commit does, keeps replaying a
		// journal of many small adds linear.
		c.recs = append(a.recs, puts...)
		return c
	}
	change := make(map[int64]*Record, len(puts)+len(rj.Del))
	for _, id := range rj.Del {
		change[id] = nil
	}
	for _, r := range puts {
		change[r.ID] = r
	}
	out := make([]*Record, 0, len(a.recs)+len(puts))
	for _, r := range a.recs {
		if n, ok := change[r.ID]; ok {
			delete(change, r.ID)
			if n != nil {
				out = append(out, n)
			}
			continue
		}
		out = append(out, r)
	}
	for _, r := range puts {
		if _, pending := change[r.ID]; pending {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	c.recs = out
	return c
}
