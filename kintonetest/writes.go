package kintonetest

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"

	"github.com/kintone-sql/kintone/internal/jsonwrite"
	"github.com/kintone-sql/kintone/kintonetest/internal/apierr"
	"github.com/kintone-sql/kintone/kintonetest/internal/store"
)

// Record writes are prepared (parameters checked, app found, caller
// authorized) before the store transaction starts, then applied inside it.
// The direct endpoints run one prepared write per transaction; bulkRequest
// runs up to 20 in one, so that all of them apply or none does.

// maxWriteRecords is Kintone's limit on records per POST, PUT or DELETE of
// records.json (REST-API.md §5).
const maxWriteRecords = 100

// preparedWrite is a write ready to run in a store transaction. It
// returns its answer's JSON, without the final newline, so that
// bulkRequest can put the answers of its writes together as they are.
type preparedWrite func(tx *store.Tx) ([]byte, error)

// writeKind names a write endpoint: resource and method.
type writeKind struct{ resource, method string }

// prepareWrite checks the parameters of a record write and returns the
// function that applies it.
func (s *Server) prepareWrite(c *call, k writeKind, params []byte) (preparedWrite, *apierr.Error) {
	switch k {
	case writeKind{"record", http.MethodPost}:
		return s.prepareAddRecord(c, params)
	case writeKind{"record", http.MethodPut}:
		return s.prepareUpdateRecord(c, params)
	case writeKind{"records", http.MethodPost}:
		return s.prepareAddRecords(c, params)
	case writeKind{"records", http.MethodPut}:
		return s.prepareUpdateRecords(c, params)
	case writeKind{"records", http.MethodDelete}:
		return s.prepareDeleteRecords(c, params)
	}
	return nil, apierr.MethodNotAllowed()
}

// runWrite applies one prepared write in its own transaction.
func (s *Server) runWrite(c *call, k writeKind) (any, *apierr.Error) {
	w, err := s.prepareWrite(c, k, c.params)
	if err != nil {
		return nil, err
	}
	var resp []byte
	if werr := s.store.Write(s.actor(c.p), func(tx *store.Tx) error {
		var err error
		resp, err = w(tx)
		return err
	}); werr != nil {
		return nil, asAPIError(werr)
	}
	return rawJSON(append(resp, '\n')), nil
}

// asAPIError converts a store error; anything that is not a Kintone error
// is an emulator fault, reported as a 500 so that tests notice.
func asAPIError(err error) *apierr.Error {
	if e, ok := apierr.As(err); ok {
		return e
	}
	return apierr.New(http.StatusInternalServerError, "EMULATOR_ERROR", apierr.Text{En: "emulator: " + err.Error()})
}

type addRecordParams struct {
	App    Int             `json:"app"`
	Record json.RawMessage `json:"record"`
}

func (s *Server) prepareAddRecord(c *call, params []byte) (preparedWrite, *apierr.Error) {
	var p addRecordParams
	if err := decodeParams(params, &p); err != nil {
		return nil, err
	}
	a, err := s.appFor(c, "app", p.App, permAdd)
	if err != nil {
		return nil, err
	}
	in, err := decodeRecordInput(p.Record, "record", nil)
	if err != nil {
		return nil, err
	}
	return func(tx *store.Tx) ([]byte, error) {
		res, err := tx.Add(a.ID, []store.Input{in}, true)
		if err != nil {
			return nil, err
		}
		b := appendQuotedInt(append(make([]byte, 0, 48), `{"id":`...), res[0].ID)
		b = appendQuotedInt(append(b, `,"revision":`...), res[0].Revision)
		return append(b, '}'), nil
	}, nil
}

type addRecordsParams struct {
	App     Int               `json:"app"`
	Records []json.RawMessage `json:"records"`
}

func (s *Server) prepareAddRecords(c *call, params []byte) (preparedWrite, *apierr.Error) {
	var p addRecordsParams
	if err := decodeParams(params, &p); err != nil {
		return nil, err
	}
	a, err := s.appFor(c, "app", p.App, permAdd)
	if err != nil {
		return nil, err
	}
	if len(p.Records) > maxWriteRecords {
		return nil, apierr.Invalid("records", apierr.MsgMaxAdd)
	}
	ins := make([]store.Input, len(p.Records))
	codes := codeSet{}
	for i, raw := range p.Records {
		if ins[i], err = decodeRecordInput(raw, "records["+strconv.Itoa(i)+"]", codes); err != nil {
			return nil, err
		}
	}
	return func(tx *store.Tx) ([]byte, error) {
		var res []store.IDRev
		if len(ins) > 0 {
			var err error
			if res, err = tx.Add(a.ID, ins, false); err != nil {
				return nil, err
			}
		}
		// {"ids":["1",...],"revisions":["1",...]}, as encoding/json writes
		// map[string][]string.
		b := make([]byte, 0, 32+len(res)*16)
		b = append(b, `{"ids":[`...)
		for i, r := range res {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendQuotedInt(b, r.ID)
		}
		b = append(b, `],"revisions":[`...)
		for i, r := range res {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendQuotedInt(b, r.Revision)
		}
		return append(b, "]}"...), nil
	}, nil
}

type updateKeyParam struct {
	Field Str `json:"field"`
	Value Str `json:"value"`
}

type updateItemParams struct {
	ID        Int             `json:"id"`
	UpdateKey *updateKeyParam `json:"updateKey"`
	Record    json.RawMessage `json:"record"`
	Revision  Int             `json:"revision"`
}

type updateRecordParams struct {
	App Int `json:"app"`
	updateItemParams
}

func (s *Server) prepareUpdateRecord(c *call, params []byte) (preparedWrite, *apierr.Error) {
	var p updateRecordParams
	if err := decodeParams(params, &p); err != nil {
		return nil, err
	}
	a, err := s.appFor(c, "app", p.App, permEdit)
	if err != nil {
		return nil, err
	}
	item, err := updateItem(p.updateItemParams, "", "record", nil)
	if err != nil {
		return nil, err
	}
	return func(tx *store.Tx) ([]byte, error) {
		res, err := tx.Update(a.ID, []store.UpdateItem{item}, false, true)
		if err != nil {
			return nil, err
		}
		b := appendQuotedInt(append(make([]byte, 0, 32), `{"revision":`...), res[0].Revision)
		return append(b, '}'), nil
	}, nil
}

type updateRecordsParams struct {
	App     Int                `json:"app"`
	Upsert  Bool               `json:"upsert"`
	Records []updateItemParams `json:"records"`
}

func (s *Server) prepareUpdateRecords(c *call, params []byte) (preparedWrite, *apierr.Error) {
	var p updateRecordsParams
	if err := decodeParams(params, &p); err != nil {
		return nil, err
	}
	if p.Upsert.Bad {
		return nil, apierr.Invalid("upsert", apierr.MsgBoolean)
	}
	a, err := s.appFor(c, "app", p.App, permEdit)
	if err != nil {
		return nil, err
	}
	if p.Upsert.V {
		// Upsert may insert: it needs the add permission too (§4.2).
		if err := c.p.authorize(a.ID, permAdd); err != nil {
			return nil, err
		}
	}
	if len(p.Records) > maxWriteRecords {
		return nil, apierr.Invalid("records", apierr.MsgMaxUpdate)
	}
	items := make([]store.UpdateItem, len(p.Records))
	codes := codeSet{}
	for i, rp := range p.Records {
		prefix := "records[" + strconv.Itoa(i) + "]."
		if items[i], err = updateItem(rp, prefix, prefix+"record", codes); err != nil {
			return nil, err
		}
	}
	return func(tx *store.Tx) ([]byte, error) {
		var res []store.UpdateResult
		if len(items) > 0 {
			var err error
			if res, err = tx.Update(a.ID, items, p.Upsert.V, false); err != nil {
				return nil, err
			}
		}
		// {"records":[{"id":"1","revision":"2","operation":"UPDATE"},...]},
		// the operation left out when not upserting.
		b := make([]byte, 0, 16+len(res)*48)
		b = append(b, `{"records":[`...)
		for i, r := range res {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendQuotedInt(append(b, `{"id":`...), r.ID)
			b = appendQuotedInt(append(b, `,"revision":`...), r.Revision)
			if r.Operation != "" {
				b = jsonwrite.String(append(b, `,"operation":`...), r.Operation)
			}
			b = append(b, '}')
		}
		return append(b, "]}"...), nil
	}, nil
}

// updateItem checks one record of an update: an id or an updateKey (not
// both), an optional revision of -1 or more.
func updateItem(p updateItemParams, prefix, recordKey string, codes codeSet) (store.UpdateItem, *apierr.Error) {
	e := apierr.Validation()
	item := store.UpdateItem{Revision: -1}
	switch {
	case p.UpdateKey != nil && p.ID.Set:
		e.Add(prefix+"id", apierr.Text{En: "Specify either id or updateKey.", Ja: "idとupdateKeyのどちらか一方を指定してください。"})
	case p.UpdateKey != nil:
		if !p.UpdateKey.Field.Set || p.UpdateKey.Field.V == "" {
			e.Add(prefix+"updateKey.field", apierr.MsgRequiredParam)
		}
		if !p.UpdateKey.Value.Set {
			e.Add(prefix+"updateKey.value", apierr.MsgRequiredParam)
		}
		item.Key = &store.UpdateKey{Field: p.UpdateKey.Field.V, Value: p.UpdateKey.Value.V}
	default:
		requireID(e, prefix+"id", p.ID)
		item.ID = p.ID.V
	}
	if p.Revision.Set {
		switch {
		case p.Revision.Bad:
			e.Add(prefix+"revision", apierr.MsgInteger)
		case p.Revision.V < -1:
			e.Add(prefix+"revision", apierr.MsgRevisionMin)
		default:
			item.Revision = p.Revision.V
		}
	}
	if err := orNil(e); err != nil {
		return item, err
	}
	in, err := decodeRecordInput(p.Record, recordKey, codes)
	if err != nil {
		return item, err
	}
	item.Record = in
	return item, nil
}

type deleteRecordsParams struct {
	App       Int   `json:"app"`
	IDs       []Int `json:"ids"`
	Revisions []Int `json:"revisions"`
}

func (s *Server) prepareDeleteRecords(c *call, params []byte) (preparedWrite, *apierr.Error) {
	var p deleteRecordsParams
	if err := decodeParams(params, &p); err != nil {
		return nil, err
	}
	a, err := s.appFor(c, "app", p.App, permDelete)
	if err != nil {
		return nil, err
	}
	e := apierr.Validation()
	if len(p.IDs) == 0 {
		e.Add("ids", apierr.MsgRequiredParam)
	}
	if len(p.IDs) == 0 || len(p.IDs) > maxWriteRecords {
		e.Add("ids", apierr.MsgDeleteRange)
	}
	if len(p.Revisions) > maxWriteRecords {
		e.Add("revisions", apierr.MsgRevisionsSize)
	}
	ids := make([]int64, len(p.IDs))
	for i, id := range p.IDs {
		requireID(e, fmt.Sprintf("ids[%d]", i), id)
		ids[i] = id.V
	}
	var revs []int64
	if len(p.Revisions) > 0 {
		revs = make([]int64, len(ids))
		for i := range revs {
			revs[i] = -1
			if i >= len(p.Revisions) {
				continue
			}
			// null entries (sent by the JS client's deleteAllRecords) mean
			// "no check" (§4.2).
			r := p.Revisions[i]
			switch {
			case !r.Set:
			case r.Bad:
				e.Add(fmt.Sprintf("revisions[%d]", i), apierr.MsgInteger)
			case r.V < -1:
				e.Add(fmt.Sprintf("revisions[%d]", i), apierr.MsgRevisionMin)
			default:
				revs[i] = r.V
			}
		}
	}
	if err := orNil(e); err != nil {
		return nil, err
	}
	return func(tx *store.Tx) ([]byte, error) {
		if err := tx.Delete(a.ID, ids, revs); err != nil {
			return nil, err
		}
		return []byte("{}"), nil
	}, nil
}

// decodeRecordInput turns {"code":{"value":V},...} into a store.Input. An
// absent or null record is an empty one (POST creates a record of
// defaults, §4.1).
//
// codes, when not nil, shares field codes between the records of a
// request (see plainRecordInput).
func decodeRecordInput(raw json.RawMessage, key string, codes codeSet) (store.Input, *apierr.Error) {
	if len(raw) == 0 || string(raw) == "null" {
		return store.Input{}, nil
	}
	if in, ok := plainRecordInput(raw, codes); ok {
		return in, nil
	}
	// One pass over the record; only a malformed one is decoded again,
	// field by field, to name the field at fault.
	var fields map[string]struct {
		Value json.RawMessage `json:"value"`
	}
	if json.Unmarshal(raw, &fields) != nil {
		return nil, badRecordInput(raw, key)
	}
	in := make(store.Input, len(fields))
	for code, fv := range fields {
		if fv.Value == nil {
			// {"code":{}} carries no value: the field is left alone.
			continue
		}
		in[code] = fv.Value
	}
	return in, nil
}

// badRecordInput names the part of a record that is not
// {"code":{"value":V},...}.
func badRecordInput(raw json.RawMessage, key string) *apierr.Error {
	var fields map[string]json.RawMessage
	if json.Unmarshal(raw, &fields) != nil {
		return apierr.Invalid(key, apierr.MsgInvalidJSONVal)
	}
	for _, code := range slices.Sorted(maps.Keys(fields)) {
		var fv struct {
			Value json.RawMessage `json:"value"`
		}
		if json.Unmarshal(fields[code], &fv) != nil {
			return apierr.Invalid(key+"."+code, apierr.MsgInvalidJSONVal)
		}
	}
	return apierr.Invalid(key, apierr.MsgInvalidJSONVal)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// appendQuotedInt appends n as a JSON string, as Kintone writes IDs and
// revisions.
func appendQuotedInt(b []byte, n int64) []byte {
	b = append(b, '"')
	b = strconv.AppendInt(b, n, 10)
	return append(b, '"')
}
