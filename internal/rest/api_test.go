package rest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kintone-sql/kintone/dsn"
	"github.com/kintone-sql/kintone/internal/field"
)

func values(kv ...string) Values {
	v := Values{}
	for i := 0; i < len(kv); i += 2 {
		v[kv[i]] = json.RawMessage(kv[i+1])
	}
	return v
}

func TestAddRecords(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		reply(w, 200, `{"ids":["3001","3002"],"revisions":["1","1"]}`)
	})
	c, _ := newClient(t, s, nil)
	got, err := c.AddRecords(context.Background(), 1, []Values{
		values("title", `"plain-00001"`, "num", `"1"`, "tags", `["a","<b>&"]`),
		values("title", `"plain-00002"`),
	})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got.IDs, got.Revisions) != "[3001 3002] [1 1]" {
		t.Errorf("result %+v", got)
	}
	r := s.last(t)
	want := `{"app":"1","records":[{"num":{"value":"1"},"tags":{"value":["a","<b>&"]},"title":{"value":"plain-00001"}},{"title":{"value":"plain-00002"}}]}`
	if r.Method != "POST" || r.Path != "/k/v1/records.json" || r.Body != want {
		t.Errorf("%s %s %s\nwant body %s", r.Method, r.Path, r.Body, want)
	}
}

func TestWriteLimits(t *testing.T) {
	s := newServer(t, okPage)
	c, p := newClient(t, s, nil)
	ctx := context.Background()
	many := make([]Values, MaxRecordsPerWrite+1)
	ids := make([]int64, MaxRecordsPerWrite+1)
	ups := make([]RecordUpdate, MaxRecordsPerWrite+1)
	for i := range ups {
		ups[i].ID = int64(i + 1)
	}
	checks := []struct {
		name string
		err  error
		want string
	}{
		{"add 101", func() error { _, err := c.AddRecords(ctx, 1, many); return err }(), "101 records"},
		{"update 101", func() error {
			_, err := c.UpdateRecords(ctx, UpdateRecordsRequest{App: 1, Records: ups})
			return err
		}(), "101 records"},
		{"delete 101", c.DeleteRecords(ctx, 1, ids, nil), "101 ids"},
		{"bulk 21", func() error { _, err := c.Bulk(ctx, make([]BulkRequest, 21)); return err }(), "21 requests"},
		{"bulk with 101 records", func() error {
			_, err := c.Bulk(ctx, []BulkRequest{BulkAddRecords(1, many)})
			return err
		}(), "requests[0] (POST records.json): 101 records"},
		{"bulk delete 101", func() error {
			_, err := c.Bulk(ctx, []BulkRequest{BulkDeleteRecords(1, ids, nil)})
			return err
		}(), "101 ids"},
	}
	for _, ch := range checks {
		if !errors.Is(ch.err, ErrTooMany) || !strings.Contains(ch.err.Error(), ch.want) {
			t.Errorf("%s: error %v, want ErrTooMany naming %q", ch.name, ch.err, ch.want)
		}
	}
	others := []struct {
		name string
		err  error
		want string
	}{
		{"update with id and key", func() error {
			_, err := c.UpdateRecords(ctx, UpdateRecordsRequest{App: 1, Records: []RecordUpdate{{ID: 1, UpdateKey: &UpdateKey{"k", "v"}}}})
			return err
		}(), "records[0]: give exactly one"},
		{"update with neither", func() error {
			_, err := c.UpdateRecords(ctx, UpdateRecordsRequest{App: 1, Records: []RecordUpdate{{ID: 1}, {}}})
			return err
		}(), "records[1]"},
		{"delete revisions mismatch", c.DeleteRecords(ctx, 1, []int64{1, 2}, []int64{1}), "revisions must be"},
		{"bulk delete revisions mismatch", func() error {
			_, err := c.Bulk(ctx, []BulkRequest{BulkDeleteRecords(1, []int64{1, 2}, []int64{1})})
			return err
		}(), "revisions must be"},
		{"bulk bad method", func() error {
			_, err := c.Bulk(ctx, []BulkRequest{{Method: "GET", Resource: "records.json", Payload: map[string]string{}}})
			return err
		}(), "method must be"},
		{"bulk no payload", func() error {
			_, err := c.Bulk(ctx, []BulkRequest{{Method: "POST", Resource: "records.json"}})
			return err
		}(), "no payload"},
		{"invalid value JSON", func() error { _, err := c.AddRecords(ctx, 1, []Values{values("a", `{"x"`)}); return err }(), `field "a"`},
		{"cursor size", func() error { _, err := c.CreateCursor(ctx, CreateCursorRequest{App: 1, Size: 501}); return err }(), "size 501"},
		{"apps limit", func() error { _, err := c.Apps(ctx, AppsQuery{Limit: 101}); return err }(), "limit 101"},
		{"apps ids", func() error { _, err := c.Apps(ctx, AppsQuery{IDs: make([]int64, 101)}); return err }(), "more than 100"},
		{"apps offset", func() error { _, err := c.Apps(ctx, AppsQuery{Offset: -1}); return err }(), "negative"},
	}
	for _, o := range others {
		if o.err == nil || !strings.Contains(o.err.Error(), o.want) {
			t.Errorf("%s: error %v, want one naming %q", o.name, o.err, o.want)
		}
		// A body that cannot be built says so: it was never sent.
		switch o.name {
		case "bulk bad method", "bulk no payload", "invalid value JSON":
			if !errors.Is(o.err, ErrNotEncoded) {
				t.Errorf("%s: error %v does not wrap ErrNotEncoded", o.name, o.err)
			}
		}
	}
	// Empty writes make no request.
	if r, err := c.AddRecords(ctx, 1, nil); err != nil || len(r.IDs) != 0 {
		t.Errorf("empty add: %v %v", r, err)
	}
	if r, err := c.UpdateRecords(ctx, UpdateRecordsRequest{App: 1}); err != nil || len(r) != 0 {
		t.Errorf("empty update: %v %v", r, err)
	}
	if err := c.DeleteRecords(ctx, 1, nil, nil); err != nil {
		t.Errorf("empty delete: %v", err)
	}
	if r, err := c.Bulk(ctx, nil); err != nil || len(r) != 0 {
		t.Errorf("empty bulk: %v %v", r, err)
	}
	if p.attempts() != 0 || len(s.requests()) != 0 {
		t.Errorf("refused calls sent %d requests", len(s.requests()))
	}
}

func TestUpdateRecords(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		reply(w, 200, `{"records":[{"id":"3","revision":"5","operation":"UPDATE"},{"id":"3001","revision":"1","operation":"INSERT"}]}`)
	})
	c, _ := newClient(t, s, nil)
	got, err := c.UpdateRecords(context.Background(), UpdateRecordsRequest{App: 1, Upsert: true, Records: []RecordUpdate{
		{UpdateKey: &UpdateKey{Field: "title", Value: "seed-00003"}, Record: values("memo", `"upserted (update)"`), Revision: 4},
		{ID: 9007199254740991, Record: values("memo", `"new"`)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != "[{3 5 UPDATE} {3001 1 INSERT}]" {
		t.Errorf("result %v", got)
	}
	want := `{"app":"1","upsert":true,"records":[{"updateKey":{"field":"title","value":"seed-00003"},"record":{"memo":{"value":"upserted (update)"}},"revision":4},{"id":9007199254740991,"record":{"memo":{"value":"new"}}}]}`
	if r := s.last(t); r.Method != "PUT" || r.Body != want {
		t.Errorf("%s body %s\nwant %s", r.Method, r.Body, want)
	}
	s2 := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, 200, `{"records":[]}`) })
	c2, _ := newClient(t, s2, nil)
	if _, err := c2.UpdateRecords(context.Background(), UpdateRecordsRequest{App: 1, Records: []RecordUpdate{{ID: 1}}}); err == nil {
		t.Error("a short answer was accepted")
	}
}

func TestCursor(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch {
		case r.Method == "POST":
			reply(w, 200, `{"id":"c8c7d05d","totalCount":"1105"}`)
		case r.Method == "GET":
			reply(w, 200, `{"records":[{"$id":{"type":"__ID__","value":"96"}}],"next":true}`)
		default:
			kintoneError(w, 404, CodeCursorNotFound)
		}
	})
	c, p := newClient(t, s, nil)
	ctx := context.Background()
	cur, err := c.CreateCursor(ctx, CreateCursorRequest{App: 1, Fields: []string{"$id", "num"}, Query: "num >= 10 order by num desc, $id asc", Size: 500})
	if err != nil || cur.ID != "c8c7d05d" || cur.TotalCount != 1105 {
		t.Fatalf("cursor %+v, %v", cur, err)
	}
	page, err := c.GetCursorPage(ctx, cur.ID)
	if err != nil || !page.Next || len(page.Records) != 1 {
		t.Fatalf("page %+v, %v", page, err)
	}
	if err := c.DeleteCursor(ctx, cur.ID); err != nil {
		t.Errorf("DeleteCursor of a gone cursor: %v", err)
	}
	if p.attempts() != 3 {
		t.Errorf("attempts = %d", p.attempts())
	}
	s2 := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, 200, `{"totalCount":"1"}`) })
	c2, _ := newClient(t, s2, nil)
	if _, err := c2.CreateCursor(ctx, CreateCursorRequest{App: 1}); err == nil {
		t.Error("a cursor without id was accepted")
	}
	s3 := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { kintoneError(w, 403, CodeNoPermission) })
	c3, _ := newClient(t, s3, nil)
	if err := c3.DeleteCursor(ctx, "x"); err == nil {
		t.Error("DeleteCursor hid a 403")
	}
}

func TestBulk(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		reply(w, 200, `{"results":[{"ids":["1","2"],"revisions":["1","1"]},{"records":[{"id":"5","revision":"3"}]},{}]}`)
	})
	c, _ := newClient(t, s, nil)
	res, err := c.Bulk(context.Background(), []BulkRequest{
		BulkAddRecords(1, []Values{values("t", `"a"`), values("t", `"b"`)}),
		BulkUpdateRecords(UpdateRecordsRequest{App: 1, Records: []RecordUpdate{{ID: 5, Revision: 2, Record: values("t", `"c"`)}}}),
		BulkDeleteRecords(1, []int64{7, 8}, []int64{3, 0}),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 3 || fmt.Sprint(res[0].Added.IDs) != "[1 2]" || fmt.Sprint(res[1].Updated) != "[{5 3 }]" || string(res[2].Raw) != "{}" {
		t.Errorf("results %+v", res)
	}
	want := `{"requests":[` +
		`{"method":"POST","api":"/k/v1/records.json","payload":{"app":"1","records":[{"t":{"value":"a"}},{"t":{"value":"b"}}]}},` +
		`{"method":"PUT","api":"/k/v1/records.json","payload":{"app":"1","records":[{"id":5,"record":{"t":{"value":"c"}},"revision":2}]}},` +
		`{"method":"DELETE","api":"/k/v1/records.json","payload":{"app":"1","ids":[7,8],"revisions":[3,-1]}}]}`
	if got := s.last(t).Body; got != want {
		t.Errorf("body %s\nwant %s", got, want)
	}
}

func TestBulkFailure(t *testing.T) {
	failAt2 := `{"results":[{},{},{"code":"GAIA_CO02","id":"e1","message":"The revision is not the latest."},{}]}`
	validation := `{"results":[{},{"code":"CB_VA01","id":"e2","message":"Missing or invalid input.","errors":{"records[3].num.value":{"messages":["Only numbers are allowed."]}}}]}`
	reqs := []BulkRequest{
		BulkAddRecords(1, []Values{values("t", `"a"`)}), BulkAddRecords(1, []Values{values("t", `"a"`)}),
		BulkAddRecords(1, []Values{values("t", `"a"`)}), BulkAddRecords(1, []Values{values("t", `"a"`)}),
	}
	for _, tt := range []struct {
		name     string
		status   int
		body     string
		index    int
		code     string
		apiState int
	}{
		{"409 at index 2", 409, failAt2, 2, "GAIA_CO02", 409},
		{"validation at index 1", 400, validation, 1, "CB_VA01", 400},
		{"failure under a 200", 200, failAt2, 2, "GAIA_CO02", 400},
		{"not a bulk answer", 401, `{"code":"CB_WA01","id":"x","message":"m"}`, -1, "CB_WA01", 401},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, tt.status, tt.body) })
			c, p := newClient(t, s, nil)
			_, err := c.Bulk(context.Background(), reqs)
			var ae *APIError
			if !errors.As(err, &ae) || ae.Code != tt.code || ae.Status != tt.apiState {
				t.Fatalf("error %v, want an APIError %d %s", err, tt.apiState, tt.code)
			}
			var be *BulkError
			if tt.index < 0 {
				if errors.As(err, &be) {
					t.Errorf("a plain error became a BulkError: %v", err)
				}
			} else if !errors.As(err, &be) || be.Index != tt.index ||
				!strings.Contains(err.Error(), "request "+strconv.Itoa(tt.index)+" failed, nothing was applied") {
				t.Errorf("error %v, want a BulkError at %d", err, tt.index)
			}
			if p.attempts() != 1 {
				t.Errorf("attempts = %d", p.attempts())
			}
		})
	}
	t.Run("validation details kept", func(t *testing.T) {
		s := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, 400, validation) })
		c, _ := newClient(t, s, nil)
		_, err := c.Bulk(context.Background(), reqs)
		var ae *APIError
		if !errors.As(err, &ae) || ae.Errors["records[3].num.value"][0] != "Only numbers are allowed." {
			t.Errorf("error %v", err)
		}
	})
	t.Run("wrong number of results", func(t *testing.T) {
		s := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, 200, `{"results":[{}]}`) })
		c, _ := newClient(t, s, nil)
		if _, err := c.Bulk(context.Background(), reqs); err == nil || !strings.Contains(err.Error(), "1 results for 4 requests") {
			t.Errorf("error %v", err)
		}
	})
}

func appJSON(id int, space string) string {
	return fmt.Sprintf(`{"appId":"%d","code":"C%d","name":"App %d","description":"","spaceId":%s,"threadId":%s,`+
		`"createdAt":"2024-01-01T00:00:00.000Z","creator":{"code":"u","name":"U"},"modifiedAt":"2024-02-01T10:20:30.000Z","modifier":{"code":"m","name":"M"}}`,
		id, id, id, space, space)
}

func TestApps(t *testing.T) {
	const total = 250
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		if r.URL.Path == "/k/v1/app.json" {
			reply(w, 200, appJSON(2, `"5"`))
			return
		}
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		if limit == 0 {
			limit = 100
		}
		var apps []string
		for i := offset; i < min(offset+limit, total); i++ {
			apps = append(apps, appJSON(i+1, "null"))
		}
		reply(w, 200, `{"apps":[`+strings.Join(apps, ",")+`]}`)
	})
	c, p := newClient(t, s, nil)
	ctx := context.Background()
	all, err := c.AllApps(ctx, AppsQuery{Name: "App"})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != total || all[0].AppID != 1 || all[total-1].AppID != total || p.attempts() != 3 {
		t.Errorf("%d apps in %d calls", len(all), p.attempts())
	}
	if q := s.requests()[2].RawQuery; q != "name=App&limit=100&offset=200" {
		t.Errorf("third page query %q", q)
	}
	a := all[0]
	if a.Code != "C1" || a.Name != "App 1" || a.SpaceID != 0 || a.Creator.Code != "u" ||
		!a.CreatedAt.Equal(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)) || a.Modifier.Name != "M" {
		t.Errorf("app %+v", a)
	}
	one, err := c.App(ctx, 2)
	if err != nil || one.AppID != 2 || one.SpaceID != 5 || one.ThreadID != 5 {
		t.Errorf("App(2) = %+v, %v", one, err)
	}
}

func TestFormFields(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		reply(w, 200, `{"properties":{
			"title":{"type":"SINGLE_LINE_TEXT","code":"title","label":"Title","noLabel":false,"required":true,"unique":true,"maxLength":"64","minLength":"","defaultValue":""},
			"tags":{"type":"CHECK_BOX","code":"tags","label":"Tags","options":{"a":{"label":"a","index":"0"}},"defaultValue":["a"]},
			"table":{"type":"SUBTABLE","code":"table","fields":{"inner":{"type":"NUMBER","code":"inner","label":"Inner"}}}
		},"revision":"5"}`)
	})
	c, _ := newClient(t, s, nil)
	ff, err := c.FormFields(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if ff.Revision != 5 || len(ff.Properties) != 3 {
		t.Fatalf("form %+v", ff)
	}
	title := ff.Properties["title"]
	if title.Type != field.SingleLineText || !title.Required || !title.Unique || title.MaxLength != "64" {
		t.Errorf("title %+v", title)
	}
	if ff.Properties["tags"].Options["a"].Index != "0" || ff.Properties["table"].Fields["inner"].Type != field.Number {
		t.Errorf("tags/table %+v %+v", ff.Properties["tags"], ff.Properties["table"])
	}
}

func TestFormLayout(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		reply(w, 200, `{"layout":[
			{"type":"ROW","fields":[{"type":"SINGLE_LINE_TEXT","code":"title"},{"type":"LABEL","label":"x"},{"type":"NUMBER","code":"num"}]},
			{"type":"SUBTABLE","code":"items","fields":[{"type":"SINGLE_LINE_TEXT","code":"product"}]},
			{"type":"GROUP","code":"g","layout":[{"type":"ROW","fields":[{"type":"DATE","code":"day"}]}]},
			{"type":"ROW","fields":[{"type":"SPACER","elementId":"s"},{"type":"RECORD_NUMBER","code":"Record_number"}]}
		],"revision":"3"}`)
	})
	c, _ := newClient(t, s, nil)
	codes, err := c.FormLayout(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if want := "title num items product day Record_number"; strings.Join(codes, " ") != want {
		t.Fatalf("layout order %v, want %s", codes, want)
	}
	if q := s.requests()[0]; q.Path != "/k/v1/app/form/layout.json" || q.RawQuery != "app=1" {
		t.Fatalf("request %s?%s", q.Path, q.RawQuery)
	}
}

func TestPing(t *testing.T) {
	tests := []struct {
		name    string
		creds   func(*dsn.Config)
		app     int64
		answer  func(w http.ResponseWriter)
		request string // path?query
		code    string // "" for success
	}{
		{"password", func(c *dsn.Config) { c.APITokens, c.User, c.Password = nil, "alice", "pw" }, 0,
			func(w http.ResponseWriter) { reply(w, 200, `{"apps":[]}`) }, "/k/v1/apps.json?limit=1", ""},
		{"password ignores the app", func(c *dsn.Config) { c.APITokens, c.User, c.Password = nil, "alice", "pw" }, 7,
			func(w http.ResponseWriter) { reply(w, 200, `{"apps":[]}`) }, "/k/v1/apps.json?limit=1", ""},
		{"oauth without settings scope", func(c *dsn.Config) { c.APITokens, c.OAuthToken = nil, "tok" }, 0,
			func(w http.ResponseWriter) { kintoneError(w, 403, CodeNoPrivilege) }, "/k/v1/apps.json?limit=1", ""},
		{"token with an app", nil, 7,
			func(w http.ResponseWriter) { reply(w, 200, appJSON(7, "null")) }, "/k/v1/app.json?id=7", ""},
		{"token without an app: refused API proves the token", nil, 0,
			func(w http.ResponseWriter) { kintoneError(w, 403, CodeNoPermission) }, "/k/v1/apps.json?limit=1", ""},
		{"wrong password", func(c *dsn.Config) { c.APITokens, c.User, c.Password = nil, "alice", "pw" }, 0,
			func(w http.ResponseWriter) { kintoneError(w, 401, "CB_WA01") }, "/k/v1/apps.json?limit=1", "CB_WA01"},
		{"unknown token", nil, 7,
			func(w http.ResponseWriter) { kintoneError(w, 400, "GAIA_IA02") }, "/k/v1/app.json?id=7", "GAIA_IA02"},
		{"unknown token, no app", nil, 0,
			func(w http.ResponseWriter) { kintoneError(w, 400, "GAIA_IA02") }, "/k/v1/apps.json?limit=1", "GAIA_IA02"},
		{"unknown app", nil, 7,
			func(w http.ResponseWriter) { kintoneError(w, 404, "GAIA_AP01") }, "/k/v1/app.json?id=7", "GAIA_AP01"},
		{"proxy 403 page", nil, 0,
			func(w http.ResponseWriter) { w.WriteHeader(403) }, "/k/v1/apps.json?limit=1", "403"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { tt.answer(w) })
			c, _ := newClient(t, s, func(cfg *dsn.Config, _ *Options) {
				if tt.creds != nil {
					tt.creds(cfg)
				}
			})
			err := c.Ping(context.Background(), tt.app)
			r := s.last(t)
			if got := r.Path + "?" + r.RawQuery; got != tt.request || r.Method != "GET" {
				t.Errorf("request %s %s, want GET %s", r.Method, got, tt.request)
			}
			switch {
			case tt.code == "" && err != nil:
				t.Errorf("Ping: %v", err)
			case tt.code != "" && (err == nil || !strings.Contains(err.Error(), tt.code)):
				t.Errorf("Ping error %v, want %s", err, tt.code)
			}
		})
	}
}

// TestAnswersThatAreNotKintonesAreMalformed: a 200 whose content the
// call does not need (Ping, a cursor DELETE, a records DELETE) must still
// be Kintone's JSON object, and a bulkRequest's result must answer its
// request; a gateway's sign-in page or a short answer is no proof of
// anything.
func TestAnswersThatAreNotKintonesAreMalformed(t *testing.T) {
	page := func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, "<html><form>Sign in</form></html>")
	}
	for name, body := range map[string]func(w http.ResponseWriter, r *http.Request, n int){
		"sign-in page": page,
		"null":         func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, 200, `null`) },
		"array":        func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, 200, `[]`) },
	} {
		for _, kind := range []string{"DELETE records", "DELETE cursor"} {
			t.Run(name+"/"+kind, func(t *testing.T) {
				s := newServer(t, body)
				c, p := newClient(t, s, nil)
				err := calls[kind](c)
				// A cursor DELETE is idempotent: asked once more.
				want := map[string]int{"DELETE records": 1, "DELETE cursor": 2}[kind]
				if err == nil || !strings.Contains(err.Error(), "malformed response") || p.attempts() != want {
					t.Fatalf("error %v after %d attempts, want a malformed response after %d", err, p.attempts(), want)
				}
			})
		}
		t.Run(name+"/Ping", func(t *testing.T) {
			s := newServer(t, body)
			c, _ := newClient(t, s, nil)
			if err := c.Ping(context.Background(), 0); err == nil || !strings.Contains(err.Error(), "malformed response") {
				t.Fatalf("error %v, want a malformed response", err)
			}
		})
	}
	for name, answer := range map[string]string{
		"too few ids":          `{"results":[{"ids":["1"],"revisions":["1"]},{"records":[{"id":"5","revision":"3"}]},{}]}`,
		"too few updates":      `{"results":[{"ids":["1","2"],"revisions":["1","1"]},{"records":[]},{}]}`,
		"delete not an object": `{"results":[{"ids":["1","2"],"revisions":["1","1"]},{"records":[{"id":"5","revision":"3"}]},[]]}`,
		"ids and revisions":    `{"results":[{"ids":["1","2"],"revisions":["1"]},{"records":[{"id":"5","revision":"3"}]},{}]}`,
	} {
		t.Run("bulkRequest/"+name, func(t *testing.T) {
			s := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, 200, answer) })
			c, _ := newClient(t, s, nil)
			_, err := c.Bulk(context.Background(), []BulkRequest{
				BulkAddRecords(1, []Values{values("t", `"a"`), values("t", `"b"`)}),
				BulkUpdateRecords(UpdateRecordsRequest{App: 1, Records: []RecordUpdate{{ID: 5, Record: values("t", `"c"`)}}}),
				BulkDeleteRecords(1, []int64{7}, nil),
			})
			if err == nil || !strings.Contains(err.Error(), "malformed result") || !MayHaveApplied(err) {
				t.Fatalf("error %v, want a malformed result of unknown outcome", err)
			}
		})
	}
	t.Run("GET cursor without records", func(t *testing.T) {
		s := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, 200, `{"next":false}`) })
		c, _ := newClient(t, s, nil)
		if _, err := c.GetCursorPage(context.Background(), "c"); err == nil {
			t.Fatal(`{"next":false} read as the last, empty page`)
		}
	})
}
