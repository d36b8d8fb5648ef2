package kintonetest

import (
	"github.com/kintone-sql/kintone/internal/field"
	"net/http"
	"strconv"

	"github.com/kintone-sql/kintone/kintonetest/internal/apierr"
	"github.com/kintone-sql/kintone/kintonetest/internal/search"
	"github.com/kintone-sql/kintone/kintonetest/internal/store"
)

// maxFieldsParam is the documented limit of the fields parameter in a JSON
// body (REST-API.md §3: 1,000 codes; a query string can carry 100).
const maxFieldsParam = 1000

type getRecordParams struct {
	App Int `json:"app"`
	ID  Int `json:"id"`
}

func (s *Server) getRecord(c *call) (any, *apierr.Error) {
	var p getRecordParams
	if err := decodeParams(c.params, &p); err != nil {
		return nil, err
	}
	a, err := s.appFor(c, "app", p.App, permView)
	if err != nil {
		return nil, err
	}
	e := apierr.Validation()
	requireID(e, "id", p.ID)
	if err := orNil(e); err != nil {
		return nil, err
	}
	r, ok := s.store.Record(a.ID, p.ID.V)
	if !ok {
		return nil, apierr.RecordNotFound(strconv.FormatInt(p.ID.V, 10))
	}
	_, form, serr := s.store.Records(a.ID)
	if serr != nil {
		return nil, asAPIError(serr)
	}
	enc := newRecordEncoder(form, nil)
	b := append([]byte(`{"record":`), enc.appendRecord(nil, r)...)
	return rawJSON(append(b, "}\n"...)), nil
}

func (s *Server) postRecord(c *call) (any, *apierr.Error) {
	return s.runWrite(c, writeKind{"record", http.MethodPost})
}

func (s *Server) putRecord(c *call) (any, *apierr.Error) {
	return s.runWrite(c, writeKind{"record", http.MethodPut})
}

func (s *Server) postRecords(c *call) (any, *apierr.Error) {
	return s.runWrite(c, writeKind{"records", http.MethodPost})
}

func (s *Server) putRecords(c *call) (any, *apierr.Error) {
	return s.runWrite(c, writeKind{"records", http.MethodPut})
}

func (s *Server) deleteRecords(c *call) (any, *apierr.Error) {
	return s.runWrite(c, writeKind{"records", http.MethodDelete})
}

type getRecordsParams struct {
	App        Int      `json:"app"`
	Query      Str      `json:"query"`
	Fields     []string `json:"fields"`
	TotalCount Bool     `json:"totalCount"`
}

func (s *Server) getRecords(c *call) (any, *apierr.Error) {
	var p getRecordsParams
	if err := decodeParams(c.params, &p); err != nil {
		return nil, err
	}
	a, err := s.appFor(c, "app", p.App, permView)
	if err != nil {
		return nil, err
	}
	if p.TotalCount.Bad {
		return nil, apierr.Invalid("totalCount", apierr.MsgBoolean)
	}
	if len(p.Fields) > maxFieldsParam {
		return nil, apierr.Invalid("fields", apierr.Text{En: "size must be between 0 and 1000", Ja: "サイズは0から1000の間でなければなりません。"})
	}
	records, form, version, serr := s.store.RecordsVersion(a.ID)
	if serr != nil {
		return nil, asAPIError(serr)
	}
	plan, perr := search.Prepare(p.Query.V, form, s.searchEnv(c.p), false)
	if perr != nil {
		return nil, asAPIError(perr)
	}
	page, total := plan.FindCached(&s.sorted, a.ID, version, records, p.TotalCount.V)
	enc := newRecordEncoder(form, p.Fields)
	b := make([]byte, 0, 4096) // appendRecords grows it to fit the page
	b = append(b, `{"records":`...)
	b = enc.appendRecords(b, page)
	b = append(b, `,"totalCount":`...)
	if p.TotalCount.V {
		b = append(b, '"')
		b = strconv.AppendInt(b, total, 10)
		b = append(b, '"')
	} else {
		b = append(b, "null"...)
	}
	return rawJSON(append(b, "}\n"...)), nil
}

// searchEnv is the context the caller's queries run in.
func (s *Server) searchEnv(p *principal) search.Env {
	env := search.Env{Now: s.now(), Loc: s.location(p), UserOrder: s.dir.userOrder}
	if p.user != nil {
		env.LoginUser = p.user.Login
		env.PrimaryOrganization = p.user.PrimaryOrganization
	} else {
		env.LoginUser = tokenUser.Code
	}
	return env
}

// liveForm returns the app's live form. An app that was never deployed has
// the system fields only: what it was created with, as records see it.
func (s *Server) liveForm(a *store.App) *store.Form {
	if a.Live != nil {
		return a.Live
	}
	if f, ok := s.store.LiveForm(a.ID); ok {
		return f
	}
	return &store.Form{Fields: map[string]*field.Property{}}
}
