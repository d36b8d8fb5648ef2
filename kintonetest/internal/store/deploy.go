package store

import (
	"time"

	"github.com/kintone-sql/kintone/internal/field"
)

// Deploy makes the preview forms of apps live (POST preview/app/deploy.json),
// or, with revert, discards the preview changes. Unknown apps are GAIA_AP01
// and change nothing.
//
// Deploying rewrites the app's records to the new form: a renamed field
// (top-level or inside a table) keeps its values under the new code; a
// deleted field's values are dropped, attachments included; a field added
// since the last deploy is empty in every record. Record revisions do not
// change.
//
// The emulator deploys synchronously. As in Kintone, all listed apps
// succeed or none do: when the new form makes a field unique that holds
// duplicate values, that app's DeployStatus becomes FAIL, the others'
// CANCEL, no form changes, and Deploy still returns nil (the deploy
// request itself is accepted; its outcome is the status, REST-API.md
// §4.7). Otherwise every listed app's status is SUCCESS.
//
// A revert makes the preview form a copy of the live one, at the next
// settings revision, so that a client holding the discarded preview's
// revision gets GAIA_CO03.
func (s *Store) Deploy(apps []int64, revert bool) error {
	if err := s.beginChange(); err != nil {
		return err
	}
	defer s.wmu.Unlock()
	if len(apps) == 0 {
		return nil
	}
	now := s.now().UTC()
	next, dropped, err := deployState(s.cur.Load(), apps, revert, now)
	if err != nil {
		return err
	}
	e := &entry{Op: opDeploy, Time: now, Apps: apps, Revert: revert}
	if err := s.commitWith(e, next, func() { s.files.apply(nil, dropped, nil, nil) }); err != nil {
		return err
	}
	for _, id := range apps {
		delete(s.indexes, id)
	}
	return nil
}

// deployState computes a deploy: the next state and the attachments it
// removes. It is deterministic, so that replay reaches the same state.
func deployState(st *dbState, ids []int64, revert bool, now time.Time) (*dbState, []string, error) {
	var order []int64
	seen := map[int64]bool{}
	for _, id := range ids {
		if st.apps[id] == nil {
			return nil, nil, appNotFound(id)
		}
		if !seen[id] {
			seen[id] = true
			order = append(order, id)
		}
	}
	changed := make(map[int64]*appState, len(order))
	if revert {
		for _, id := range order {
			a := st.apps[id]
			c := a.clone()
			f := *a.live
			f.Revision = a.preview.Revision + 1
			c.preview = &f
			c.renames = nil
			c.meta.DeployStatus = deploySuccess
			c.meta.ModifiedAt = now
			changed[id] = c
		}
		return st.withApps(changed), nil, nil
	}
	var dropped []string
	failed := int64(0)
	for _, id := range order {
		c, gone, ok := deployApp(st.apps[id], now)
		if !ok {
			failed = id
			break
		}
		changed[id] = c
		dropped = append(dropped, gone...)
	}
	if failed != 0 {
		for _, id := range order {
			c := st.apps[id].clone()
			c.meta.DeployStatus = deployCancel
			if id == failed {
				c.meta.DeployStatus = deployFail
			}
			changed[id] = c
		}
		return st.withApps(changed), nil, nil
	}
	return st.withApps(changed), dropped, nil
}

// deployApp returns a with its preview form live and its records
// rewritten, the attachments of deleted fields, and false when a unique
// field of the new form holds duplicates.
func deployApp(a *appState, now time.Time) (*appState, []string, bool) {
	c := a.clone()
	c.live = a.preview
	c.deployed = true
	c.renames = nil
	c.meta.DeployStatus = deploySuccess
	c.meta.ModifiedAt = now
	var dropped []string
	if a.live != a.preview || len(a.renames) > 0 {
		plan := remapPlan(a.live, a.preview, a.renames)
		c.recs = make([]*Record, len(a.recs))
		for i, r := range a.recs {
			nr := &Record{ID: r.ID, Revision: r.Revision, Values: plan.apply(r.Values)}
			c.recs[i] = nr
			dropped = append(dropped, lostFiles(r.Values, nr.Values)...)
		}
	}
	for _, code := range uniqueFields(c.live) {
		seen := make(map[string]bool, len(c.recs))
		for _, r := range c.recs {
			v, _ := r.Values[code].(string)
			if v == "" {
				continue
			}
			if seen[v] {
				return nil, nil, false
			}
			seen[v] = true
		}
	}
	return c, dropped, true
}

// fieldMove carries one field's values from a live code to a preview code;
// for a table, inner lists the moves of its inner fields.
type fieldMove struct {
	from, to string
	inner    []fieldMove
}

type remap []fieldMove

// remapPlan matches the preview fields to the live fields they come from:
// by renames (a preview code to its live code, "" for a new field), else
// by equal code. A live field with no preview field, or one of another
// type, carries nothing.
func remapPlan(live, preview *Form, renames map[string]string) remap {
	origin := func(code string) string {
		if o, ok := renames[code]; ok {
			return o
		}
		return code
	}
	var plan remap
	for _, code := range sortedKeys(preview.Fields) {
		p := preview.Fields[code]
		if !p.Type.HasValue() {
			continue
		}
		from := origin(code)
		lp := live.Fields[from]
		if from == "" || lp == nil || lp.Type != p.Type {
			continue
		}
		m := fieldMove{from: from, to: code}
		if p.Type == field.Subtable {
			m.inner = []fieldMove{}
			for _, ic := range sortedKeys(p.Fields) {
				ifrom := origin(ic)
				if lip := lp.Fields[ifrom]; ifrom != "" && lip != nil && lip.Type == p.Fields[ic].Type {
					m.inner = append(m.inner, fieldMove{from: ifrom, to: ic})
				}
			}
		}
		plan = append(plan, m)
	}
	return plan
}

// apply returns the values of a record under the new form.
func (plan remap) apply(vals map[string]any) map[string]any {
	out := make(map[string]any, len(vals))
	for _, m := range plan {
		v, ok := vals[m.from]
		if !ok {
			continue
		}
		if m.inner != nil {
			rows, _ := v.([]Row)
			nrows := make([]Row, len(rows))
			for i, r := range rows {
				nv := make(map[string]any, len(m.inner))
				for _, im := range m.inner {
					if iv, ok := r.Values[im.from]; ok {
						nv[im.to] = iv
					}
				}
				nrows[i] = Row{ID: r.ID, Values: nv}
			}
			v = nrows
		}
		out[m.to] = v
	}
	return out
}

// lostFiles returns the attachment keys of old that are not in new.
func lostFiles(old, new map[string]any) []string {
	var keys []string
	kept := map[string]bool{}
	forEachFile(new, func(f FileRef) { kept[f.FileKey] = true })
	forEachFile(old, func(f FileRef) {
		if !kept[f.FileKey] {
			keys = append(keys, f.FileKey)
		}
	})
	return keys
}
