package store

import (
	"slices"
	"sort"
	"time"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/kintonetest/internal/apierr"
)

// callCtx is what every record of one Add or Update call shares: the app,
// its live form, and the CB_VA01 error that collects the messages of all
// records of the call.
type callCtx struct {
	tx      *Tx
	ta      *txApp
	form    *Form
	errs    *apierr.Error
	now     time.Time
	sys     sysCodes
	uniques []string
	// numberPrefix is "CODE-" for an app with an app code, else "".
	numberPrefix string
	// calcs caches the parsed formulas of the CALC fields.
	calcs map[*field.Property]calcNode
	// user and stamp are the values stamps returns, once made.
	user, stamp any
	// checkList is what checks returns, once made.
	checkList []fieldCheck
}

// sysCodes are the live codes of the built-in fields a write maintains.
type sysCodes struct {
	recordNumber, creator, createdTime, modifier, updatedTime string
}

func (tx *Tx) newCall(ta *txApp) *callCtx {
	c := &callCtx{tx: tx, ta: ta, form: ta.base.live, errs: apierr.Validation(), now: tx.now(),
		uniques: uniqueFields(ta.base.live)}
	for _, code := range c.form.Order {
		switch c.form.Fields[code].Type {
		case field.RecordNumber:
			c.sys.recordNumber = code
		case field.Creator:
			c.sys.creator = code
		case field.CreatedTime:
			c.sys.createdTime = code
		case field.Modifier:
			c.sys.modifier = code
		case field.UpdatedTime:
			c.sys.updatedTime = code
		}
	}
	if ta.base.meta.Code != "" {
		c.numberPrefix = ta.base.meta.Code + "-"
	}
	return c
}

// recordWriter builds one record of a call: a new one (old nil) or a new
// version of old.
type recordWriter struct {
	*callCtx
	// key is the error-key prefix of the record: "record", "records[3]" or
	// "records[3].record".
	key string
	id  int64
	old *Record
	// oldFiles are the attachments of old not yet kept by the new version,
	// by file key.
	oldFiles map[string]FileRef
	// files is set when old holds an attachment or the write decodes one:
	// the new values can hold one only then, and an update whose values
	// cannot skips the looks for a shared or a lost attachment.
	files bool
	// fatal is the first error that is not a validation message (an
	// unknown file key); it fails the call.
	fatal error
}

func (c *callCtx) writer(key string, id int64, old *Record) *recordWriter {
	w := &recordWriter{callCtx: c, key: key, id: id, old: old}
	if old != nil {
		forEachFile(old.Values, func(f FileRef) {
			if w.oldFiles == nil {
				w.oldFiles = map[string]FileRef{}
			}
			w.oldFiles[f.FileKey] = f
		})
		w.files = w.oldFiles != nil
	}
	return w
}

// place is where a value sits, for error keys: base is the key without
// suffix ("record.price", "record.items.value[0].value.qty"); bracket is
// the key of a NUMBER parse error ("record[price]"), "" inside a table,
// where Kintone stores a non-number as "" without a message (B.1). The
// keys are only built for a message: a write of 2,000 records of 20 fields
// would build 80,000 strings for none.
type place struct {
	// key is the record's key ("record", "records[3]"), code the top-level
	// field's code.
	key, code string
	// row is the row of the subtable code the value is in, -1 for a
	// top-level value; inner is then the inner field's code.
	row   int
	inner string
}

func (p place) base() string {
	if p.row < 0 {
		return p.key + "." + p.code
	}
	return p.key + "." + p.code + ".value[" + itoa(int64(p.row)) + "].value." + p.inner
}

func (p place) bracket() string {
	if p.row < 0 {
		return p.key + "[" + p.code + "]"
	}
	return ""
}

func (w *recordWriter) top(code string) place {
	return place{key: w.key, code: code, row: -1}
}

func inner(table place, row int, code string) place {
	return place{key: table.key, code: table.code, row: row, inner: code}
}

func (w *recordWriter) fail(pl place, suffix string, msg apierr.Text) {
	w.errs.Add(pl.base()+suffix, msg)
}

// build returns the values of the record: the old values (update) with
// the sent fields decoded over them, and on add the defaults of the
// fields not sent. sent reports which top-level codes the request set.
func (w *recordWriter) build(in Input) (vals map[string]any, sent sentCodes) {
	if w.old != nil {
		vals = make(map[string]any, len(w.old.Values))
		for k, v := range w.old.Values {
			vals[k] = v
		}
	} else {
		vals = make(map[string]any, len(w.form.Fields))
	}
	codes := make([]string, 0, len(in))
	for code := range in {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	sent = codes[:0] // the codes set, kept in place: still sorted
	for _, code := range codes {
		p := w.form.Fields[code]
		if p == nil {
			continue // unknown codes are ignored (REST-API.md §3)
		}
		switch p.Type.Info().Write {
		case field.CreateOnly:
			if w.fatal == nil {
				w.fatal = w.systemField(p, in[code], vals)
			}
			sent = append(sent, code)
		case field.Writable:
			vals[code] = w.decode(p, in[code], w.top(code), vals[code])
			sent = append(sent, code)
		}
		// Read-only fields (record number, CALC, status, ...) and $id or
		// $revision are ignored: cli-kintone sends the record number back
		// on import.
	}
	if w.old == nil {
		for _, code := range w.form.Order {
			if sent.has(code) {
				continue
			}
			if v, ok := w.defaultValue(w.form.Fields[code]); ok {
				vals[code] = v
			}
		}
	}
	return vals, sent
}

// sentCodes are the top-level codes a write sets, in ascending order: a
// sorted slice rather than a map, which cost a record more to build than
// the few lookups it serves.
type sentCodes []string

func (s sentCodes) has(code string) bool {
	_, ok := slices.BinarySearch(s, code)
	return ok
}

// systemField applies a creator, modifier, created-time or updated-time
// value sent by the request. On update these are GAIA_UN10; on add they
// need app-admin rights (GAIA_BF02), REST-API.md §7. An empty value leaves
// the field to the server.
func (w *recordWriter) systemField(p *field.Property, raw []byte, vals map[string]any) error {
	if w.old != nil {
		return apierr.CannotUpdateField(string(p.Type))
	}
	if !w.tx.actor.Admin {
		return apierr.CreatorFieldNeedsAdmin(p.Code)
	}
	pl := w.top(p.Code)
	switch p.Type {
	case field.Creator, field.Modifier:
		m, ok := jsonObject(raw)
		if !ok {
			w.fail(pl, ".value", apierr.MsgInvalidJSONVal)
			return nil
		}
		code, ok := jsonMemberString(m, "code")
		if !ok {
			w.fail(pl, ".value.code", apierr.MsgInvalidJSONVal)
			return nil
		}
		if code != "" {
			vals[p.Code] = Entity{Code: code, Name: w.tx.s.entityName(KindUser, code)}
		}
	case field.CreatedTime, field.UpdatedTime:
		s, ok := jsonScalar(raw)
		if !ok {
			w.fail(pl, ".value", apierr.MsgInvalidJSONVal)
			return nil
		}
		if s == "" {
			return nil
		}
		t, ok := field.NormalizeDateTime(s)
		switch {
		case !ok:
			w.fail(pl, ".value", apierr.MsgInvalidDTime)
		case p.Type == field.CreatedTime && t > stamp(w.now):
			w.fail(pl, ".value", msgFutureCreated)
		default:
			vals[p.Code] = t
		}
	}
	return nil
}

// stampSystem sets the fields the server maintains. On add the creator
// and times keep a value an admin sent.
func (w *recordWriter) stampSystem(vals map[string]any) {
	user, now := w.stamps()
	set := func(code string, v any, keep bool) {
		if code == "" {
			return
		}
		if _, has := vals[code]; has && keep {
			return
		}
		vals[code] = v
	}
	add := w.old == nil
	if add {
		set(w.sys.recordNumber, w.numberPrefix+itoa(w.id), false)
		set(w.sys.creator, user, true)
		set(w.sys.createdTime, now, true)
	}
	set(w.sys.modifier, user, add)
	set(w.sys.updatedTime, now, add)
}

// stamps returns the actor and the time a write stamps records with, as
// the values a record holds. They are the same for every record of the
// call, so they are made (and boxed) once.
func (c *callCtx) stamps() (user, now any) {
	if c.user == nil {
		c.user, c.stamp = c.tx.actor.User, stamp(c.now)
	}
	return c.user, c.stamp
}

// forEachFile calls fn for every attachment in a record's values, inner
// rows included.
func forEachFile(vals map[string]any, fn func(FileRef)) {
	for _, v := range vals {
		switch x := v.(type) {
		case []FileRef:
			for _, f := range x {
				fn(f)
			}
		case []Row:
			for _, r := range x {
				forEachFile(r.Values, fn)
			}
		}
	}
}
