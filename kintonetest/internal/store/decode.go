package store

import (
	"encoding/json"
	"sort"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/kintonetest/internal/apierr"
)

// decode turns the raw JSON of a writable field's value into the Go value
// a Record holds (see Record), normalized as Kintone stores it, and reports
// malformed values under the field's keys (QUERY-AND-FIELDS.md B.1, B.2,
// B.5). old is the field's current value (nil on add): options that were
// removed from the settings may still be written when the record already
// holds them, and attachments and subtable rows are kept by their keys
// and ids. A value that fails to decode becomes the field's empty value,
// so that "required" reports it too where it applies.
func (w *recordWriter) decode(p *field.Property, raw []byte, pl place, old any) any {
	switch p.Type {
	case field.SingleLineText, field.MultiLineText, field.RichText, field.Link:
		s, ok := jsonScalar(raw)
		if !ok {
			w.fail(pl, ".value", apierr.MsgInvalidJSONVal)
		}
		return s
	case field.Number:
		return w.decodeNumber(p, raw, pl)
	case field.RadioButton, field.DropDown:
		return w.decodeOption(p, raw, pl, old)
	case field.CheckBox, field.MultiSelect:
		return w.decodeOptions(p, raw, pl, old)
	case field.Date, field.Time, field.DateTime:
		return w.decodeTemporal(p, raw, pl)
	case field.UserSelect, field.OrganizationSelect, field.GroupSelect:
		return w.decodeEntities(p, raw, pl)
	case field.File:
		return w.decodeFiles(raw, pl)
	case field.Subtable:
		oldRows, _ := old.([]Row)
		return w.decodeRows(p, raw, pl, oldRows)
	}
	return nil
}

// decodeNumber normalizes a NUMBER ("1.5e1" -> "15"). A non-number is
// "Only numbers are allowed." under the bracket key at top level; inside a
// table it is stored as "" without a message (B.1).
func (w *recordWriter) decodeNumber(p *field.Property, raw []byte, pl place) string {
	s, ok := jsonScalar(raw)
	if !ok {
		w.fail(pl, ".value", apierr.MsgInvalidJSONVal)
		return ""
	}
	if s == "" {
		return ""
	}
	n, ok := field.NormalizeNumber(s)
	if !ok {
		if b := pl.bracket(); b != "" {
			w.errs.Add(b+".value", apierr.MsgNotNumber)
		}
		return ""
	}
	return n
}

// decodeOption reads RADIO_BUTTON and DROP_DOWN. An empty RADIO_BUTTON
// value stores the field's default option (B.1: radio buttons cannot be
// emptied).
func (w *recordWriter) decodeOption(p *field.Property, raw []byte, pl place, old any) string {
	s, ok := jsonScalar(raw)
	if !ok {
		w.fail(pl, ".value", apierr.MsgInvalidJSONVal)
		return ""
	}
	if s == "" {
		if p.Type == field.RadioButton {
			d, _ := p.DefaultValue.(string)
			return d
		}
		return ""
	}
	if _, isOption := p.Options[s]; !isOption && old != s {
		w.fail(pl, ".value", apierr.NotInOptions(s))
	}
	return s
}

// decodeOptions reads CHECK_BOX and MULTI_SELECT: an array of option keys.
func (w *recordWriter) decodeOptions(p *field.Property, raw []byte, pl place, old any) []string {
	list, ok := jsonStrings(raw)
	if !ok {
		w.fail(pl, ".values", apierr.MsgInvalidJSONVal)
		return []string{}
	}
	held := map[string]bool{}
	if o, ok := old.([]string); ok {
		for _, v := range o {
			held[v] = true
		}
	}
	for i, v := range list {
		if _, isOption := p.Options[v]; !isOption && !held[v] {
			w.fail(pl, ".values["+itoa(int64(i))+"].value", apierr.NotInOptions(v))
		}
	}
	return list
}

// decodeTemporal reads DATE, TIME and DATETIME (B.2). "" and null are the
// empty value for all three.
func (w *recordWriter) decodeTemporal(p *field.Property, raw []byte, pl place) string {
	s, ok := jsonScalar(raw)
	if !ok {
		w.fail(pl, ".value", apierr.MsgInvalidJSONVal)
		return ""
	}
	if s == "" {
		return ""
	}
	var (
		v   string
		msg apierr.Text
	)
	switch p.Type {
	case field.Date:
		v, ok = field.NormalizeDate(s)
		msg = apierr.MsgInvalidDate
	case field.Time:
		v, ok = field.NormalizeTime(s)
		msg = apierr.MsgInvalidTime
	default:
		v, ok = field.NormalizeDateTime(s)
		msg = apierr.MsgInvalidDTime
	}
	if !ok {
		w.fail(pl, ".value", msg)
		return ""
	}
	return v
}

// decodeEntities reads the selection fields: [{"code":"..."}]. Names come
// from the store's NameFunc. Codes are not checked against a directory:
// the store has none, and the NameFunc cannot say "unknown".
func (w *recordWriter) decodeEntities(p *field.Property, raw []byte, pl place) []Entity {
	items, ok := jsonObjects(raw)
	if !ok {
		w.fail(pl, ".values", apierr.MsgInvalidJSONVal)
		return []Entity{}
	}
	out := make([]Entity, 0, len(items))
	for i, m := range items {
		code, ok := jsonMemberString(m, "code")
		if !ok || code == "" {
			w.fail(pl, ".values["+itoa(int64(i))+"].code", apierr.MsgRequiredParam)
			continue
		}
		typ, _ := jsonMemberString(m, "type")
		out = append(out, Entity{Code: code, Name: w.tx.s.entityName(entityKind(p.Type, typ), code)})
	}
	return out
}

// decodeFiles reads a FILE value: [{"fileKey":"..."}]. A key is either an
// attachment the record already holds (kept as it is) or an upload key
// from Upload, which the write consumes into a new attachment with a new
// key. Any other key fails the call with GAIA_BL01.
func (w *recordWriter) decodeFiles(raw []byte, pl place) []FileRef {
	items, ok := jsonObjects(raw)
	if !ok {
		w.fail(pl, ".values", apierr.MsgInvalidJSONVal)
		return []FileRef{}
	}
	out := make([]FileRef, 0, len(items))
	for i, m := range items {
		key, ok := jsonMemberString(m, "fileKey")
		if !ok || key == "" {
			w.fail(pl, ".values["+itoa(int64(i))+"].fileKey", apierr.MsgRequiredParam)
			continue
		}
		if f, held := w.oldFiles[key]; held {
			delete(w.oldFiles, key)
			out = append(out, f)
			continue
		}
		f, err := w.tx.attach(key)
		if err != nil {
			if w.fatal == nil {
				w.fatal = err
			}
			continue
		}
		out = append(out, f)
	}
	w.files = w.files || len(out) > 0
	return out
}

// decodeRows reads a SUBTABLE (B.3): the rows sent replace the table, in
// request order. A row whose id is a row of the stored table keeps that id
// and its inner values, with the sent inner fields written over them
// (whether Kintone merges or replaces is unconfirmed; merging is what a
// PUT does to the record itself). Any other row is new: it gets a fresh id
// and the defaults of the inner fields it leaves out.
func (w *recordWriter) decodeRows(p *field.Property, raw []byte, pl place, old []Row) []Row {
	items, ok := jsonObjects(raw)
	if !ok {
		w.fail(pl, ".value", apierr.MsgInvalidJSONVal)
		return []Row{}
	}
	oldByID := make(map[int64]Row, len(old))
	for _, r := range old {
		oldByID[r.ID] = r
	}
	out := make([]Row, 0, len(items))
	for i, item := range items {
		var row Row
		if id, ok := jsonID(item["id"]); ok {
			if o, held := oldByID[id]; held {
				delete(oldByID, id) // an id sent twice makes the second row new
				row = Row{ID: id, Values: make(map[string]any, len(o.Values))}
				for k, v := range o.Values {
					row.Values[k] = v
				}
			}
		}
		isNew := row.Values == nil
		if isNew {
			row = w.newRow()
		}
		cells, ok := jsonObject(item["value"])
		if !ok {
			w.errs.Add(pl.base()+".value["+itoa(int64(i))+"].value", apierr.MsgInvalidJSONVal)
			cells = nil
		}
		sent := w.decodeCells(p, cells, pl, i, row.Values)
		if isNew {
			w.rowDefaults(p, row.Values, sent)
		}
		out = append(out, row)
	}
	return out
}

// decodeCells decodes the inner fields sent for one row into vals and
// returns the codes it set.
func (w *recordWriter) decodeCells(p *field.Property, cells map[string]json.RawMessage, table place, row int, vals map[string]any) map[string]bool {
	sent := map[string]bool{}
	codes := make([]string, 0, len(cells))
	for c := range cells {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		ip := p.Fields[c]
		if ip == nil || ip.Type.Info().Write != field.Writable {
			continue
		}
		pl := inner(table, row, c)
		cell, ok := jsonObject(cells[c])
		if !ok {
			w.fail(pl, "", apierr.MsgInvalidJSONVal)
			continue
		}
		raw, present := cell["value"]
		if !present {
			continue
		}
		vals[c] = w.decode(ip, raw, pl, vals[c])
		sent[c] = true
	}
	return sent
}

// newRow returns an empty row with the next row ID.
func (w *recordWriter) newRow() Row {
	id := w.ta.nextRow
	w.ta.nextRow++
	return Row{ID: id, Values: map[string]any{}}
}

// rowDefaults fills the inner fields of a new row that were not sent.
func (w *recordWriter) rowDefaults(p *field.Property, vals map[string]any, sent map[string]bool) {
	for _, c := range sortedKeys(p.Fields) {
		if sent[c] {
			continue
		}
		if v, ok := w.defaultValue(p.Fields[c]); ok {
			vals[c] = v
		}
	}
}
