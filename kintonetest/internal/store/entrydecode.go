package store

import "encoding/json"

// decodeEntry decodes a frame's payload into an entry.
//
// Nearly every frame of a journal or snapshot is a record write, and
// decoding those with encoding/json (reflection, then recJSON and valJSON
// turned into records) was most of the time Open takes. fastDecoder reads
// exactly the JSON that json.Marshal writes for an entry and builds the
// records directly (recsJSON.recs); the rare parts (app metadata, files)
// go through encoding/json. Anything it does not expect (a key it does not
// know or sees twice, a number written as 1e3, a null where a value
// belongs) makes it give up, and the whole payload is decoded by
// encoding/json, which stays the reference: the fast path either gives
// the records encoding/json would give, or nothing.
func decodeEntry(payload []byte, in *interner) (*entry, error) {
	d := fastDecoder{b: payload, in: in}
	if e, ok := d.entry(); ok {
		return e, nil
	}
	e := &entry{}
	if err := json.Unmarshal(payload, e); err != nil {
		return nil, err
	}
	return e, nil
}

// entry reads a whole payload.
func (d *fastDecoder) entry() (*entry, bool) {
	e := &entry{}
	var seen uint32
	ok := d.object(func(k []byte) bool {
		switch string(k) {
		case "op", "gen", "t", "recs", "app", "apps", "revert", "files", "drop", "used", "uploads":
			if !once(&seen, 1<<keyBit(k)) {
				return false
			}
		}
		switch string(k) {
		case "op":
			s, ok := d.internStr()
			e.Op = s
			return ok
		case "gen":
			n, ok := d.int()
			e.Gen = n
			return ok
		case "t":
			b, ok := d.strBytes()
			return ok && e.Time.UnmarshalText(b) == nil
		case "recs":
			return d.array(func() bool {
				rj, ok := d.recs()
				e.Recs = append(e.Recs, rj)
				return ok
			})
		case "app":
			return d.rawInto(&e.App)
		case "apps":
			return d.rawInto(&e.Apps)
		case "revert":
			return d.rawInto(&e.Revert)
		case "files":
			return d.rawInto(&e.Files)
		case "drop":
			return d.rawInto(&e.Drop)
		case "used":
			return d.rawInto(&e.Used)
		case "uploads":
			return d.rawInto(&e.Uploads)
		}
		return false // a key this decoder does not know
	})
	d.ws()
	return e, ok && d.i == len(d.b)
}

// keyBit numbers the keys of the fixed-key objects for once.
func keyBit(k []byte) uint {
	switch string(k) {
	case "op", "id", "k", "code":
		return 0
	case "app":
		return 10
	case "gen", "nextId", "rev", "s", "name":
		return 1
	case "t", "nextRow", "v", "l":
		return 2
	case "recs", "put", "e":
		return 3
	case "apps", "del", "es":
		return 4
	case "revert", "f":
		return 5
	case "files", "r":
		return 6
	case "drop":
		return 7
	case "used":
		return 8
	case "uploads":
		return 9
	}
	return 31
}

// fields reads an object as object does, but fails on a key that comes
// twice: the entry is then left to encoding/json, whose rule for a
// repeated key (see once) this decoder does not copy.
func (d *fastDecoder) fields(f func(k []byte) bool) bool {
	var seen uint32
	return d.object(func(k []byte) bool { return once(&seen, 1<<keyBit(k)) && f(k) })
}

// recs reads one recsJSON, its records decoded into recs.
func (d *fastDecoder) recs() (recsJSON, bool) {
	var rj recsJSON
	ok := d.fields(func(k []byte) bool {
		var ok bool
		switch string(k) {
		case "app":
			rj.App, ok = d.int()
		case "nextId":
			rj.NextID, ok = d.int()
		case "nextRow":
			rj.NextRow, ok = d.int()
		case "put":
			ok = d.array(func() bool {
				r, ok := d.record()
				rj.recs = append(rj.recs, r)
				return ok
			})
			rj.decoded = true
		case "del":
			ok = d.array(func() bool {
				n, ok := d.int()
				rj.Del = append(rj.Del, n)
				return ok
			})
		}
		return ok
	})
	return rj, ok
}

// record reads a recJSON as the Record its decode method returns.
func (d *fastDecoder) record() (*Record, bool) {
	if d.null() {
		return nil, false // recJSON.decode of a null would be a zero record; leave it to encoding/json
	}
	r := &Record{}
	ok := d.fields(func(k []byte) bool {
		var ok bool
		switch string(k) {
		case "id":
			r.ID, ok = d.int()
		case "rev":
			r.Revision, ok = d.int()
		case "v":
			r.Values, ok = d.values(&d.recHint)
		}
		return ok
	})
	if r.Values == nil {
		r.Values = map[string]any{} // decodeValues of a missing or null map
	}
	return r, ok
}

// values reads a map[string]valJSON as decodeValues returns it; hint
// holds the size of the last such map, and is updated.
func (d *fastDecoder) values(hint *int) (map[string]any, bool) {
	out := make(map[string]any, *hint)
	defer func() { *hint = len(out) }()
	if d.null() {
		return out, true
	}
	ok := d.object(func(k []byte) bool {
		code := d.in.str(k)
		if _, dup := out[code]; dup {
			return false
		}
		v, _, ok := d.value()
		out[code] = v
		return ok
	})
	return out, ok
}

// value reads one valJSON and returns what decodeValues makes of it, and
// whether decodeValues keeps it (an unknown kind is dropped).
func (d *fastDecoder) value() (any, bool, bool) {
	var (
		kind string
		s    string
		l    []string
		e    *Entity
		es   []Entity
		f    []FileRef
		r    []Row
		hasR bool
	)
	ok := d.fields(func(k []byte) bool {
		switch string(k) {
		case "k":
			var ok bool
			kind, ok = d.internStr()
			return ok
		case "s":
			var ok bool
			s, ok = d.str()
			return ok
		case "l":
			l = nil
			return d.array(func() bool {
				v, ok := d.internStr()
				l = append(l, v)
				return ok
			})
		case "e":
			if d.null() {
				e = nil
				return true
			}
			ent, ok := d.entity()
			e = &ent
			return ok
		case "es":
			es = nil
			return d.array(func() bool {
				ent, ok := d.entity()
				es = append(es, ent)
				return ok
			})
		case "f":
			f = nil
			return d.rawInto(&f)
		case "r":
			r, hasR = nil, true
			return d.array(func() bool {
				row, ok := d.row()
				r = append(r, row)
				return ok
			})
		}
		return false
	})
	if !ok {
		return nil, false, false
	}
	switch kind {
	case "s":
		return s, true, true
	case "l":
		return append([]string{}, l...), true, true
	case "e":
		if e != nil {
			return *e, true, true
		}
		return Entity{}, true, true
	case "es":
		return append([]Entity{}, es...), true, true
	case "f":
		return append([]FileRef{}, f...), true, true
	case "r":
		if !hasR || r == nil {
			return []Row{}, true, true
		}
		return r, true, true
	}
	return nil, false, false // a kind decodeValues drops: leave it to encoding/json
}

// entity reads an Entity as encoding/json does (other keys ignored).
func (d *fastDecoder) entity() (Entity, bool) {
	var ent Entity
	ok := d.fields(func(k []byte) bool {
		var ok bool
		switch string(k) {
		case "code":
			ent.Code, ok = d.internStr()
		case "name":
			ent.Name, ok = d.internStr()
		}
		return ok
	})
	return ent, ok
}

// row reads a rowJSON as decodeValues turns it into a Row.
func (d *fastDecoder) row() (Row, bool) {
	var row Row
	seenV := false
	ok := d.fields(func(k []byte) bool {
		var ok bool
		switch string(k) {
		case "id":
			row.ID, ok = d.int()
		case "v":
			row.Values, ok = d.values(&d.rowHint)
			seenV = true
		}
		return ok
	})
	if !seenV {
		row.Values = map[string]any{}
	}
	return row, ok
}
