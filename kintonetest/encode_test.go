package kintonetest

import (
	"strconv"
	"testing"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/internal/jsonwrite"
	"github.com/kintone-sql/kintone/kintonetest/internal/store"
)

// refAppendRecord is the record encoder as it was before it worked its
// fields out once per page: the reference the encoder must match byte
// for byte.
func refAppendRecord(b []byte, props []*field.Property, id, rev bool, r *store.Record) []byte {
	b = append(b, '{')
	first := true
	for _, p := range props {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = refAppendField(b, p, r.Values[p.Code])
	}
	if rev {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, `"$revision":{"type":"__REVISION__","value":"`...)
		b = strconv.AppendInt(b, r.Revision, 10)
		b = append(b, `"}`...)
	}
	if id {
		if !first {
			b = append(b, ',')
		}
		b = append(b, `"$id":{"type":"__ID__","value":"`...)
		b = strconv.AppendInt(b, r.ID, 10)
		b = append(b, `"}`...)
	}
	return append(b, '}')
}

func refAppendField(b []byte, p *field.Property, v any) []byte {
	b = jsonwrite.String(b, p.Code)
	b = append(b, `:{"type":"`...)
	b = append(b, p.Type...)
	b = append(b, `","value":`...)
	info := p.Type.Info()
	switch info.Shape {
	case field.Scalar:
		s, _ := v.(string)
		if s == "" && info.NullWhenEmpty {
			b = append(b, "null"...)
		} else {
			b = jsonwrite.String(b, s)
		}
	case field.Strings:
		ss, _ := v.([]string)
		b = append(b, '[')
		for i, s := range ss {
			if i > 0 {
				b = append(b, ',')
			}
			b = jsonwrite.String(b, s)
		}
		b = append(b, ']')
	case field.Entity:
		en, _ := v.(store.Entity)
		b = appendEntity(b, en)
	case field.Entities:
		es, _ := v.([]store.Entity)
		b = append(b, '[')
		for i, en := range es {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendEntity(b, en)
		}
		b = append(b, ']')
	case field.Files:
		fs, _ := v.([]store.FileRef)
		b = append(b, '[')
		for i, f := range fs {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"contentType":`...)
			b = jsonwrite.String(b, f.ContentType)
			b = append(b, `,"fileKey":`...)
			b = jsonwrite.String(b, f.FileKey)
			b = append(b, `,"name":`...)
			b = jsonwrite.String(b, f.Name)
			b = append(b, `,"size":"`...)
			b = strconv.AppendInt(b, f.Size, 10)
			b = append(b, `"}`...)
		}
		b = append(b, ']')
	case field.Rows:
		rows, _ := v.([]store.Row)
		b = append(b, '[')
		for i, row := range rows {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"id":"`...)
			b = strconv.AppendInt(b, row.ID, 10)
			b = append(b, `","value":{`...)
			for j, inner := range innerOrder(p) {
				if j > 0 {
					b = append(b, ',')
				}
				b = refAppendField(b, inner, row.Values[inner.Code])
			}
			b = append(b, "}}"...)
		}
		b = append(b, ']')
	default:
		b = append(b, "null"...)
	}
	return append(b, '}')
}

// TestRecordEncoderBytes checks the encoder against the reference on
// records of every value shape, with and without the fields parameter.
func TestRecordEncoderBytes(t *testing.T) {
	p := func(code string, typ field.Type) *field.Property { return &field.Property{Code: code, Type: typ} }
	table := p("items", field.Subtable)
	table.Fields = map[string]*field.Property{
		"qty": p("qty", field.Number), "name": p("name", field.SingleLineText), "when": p("when", field.Date),
		"who": p("who", field.UserSelect), "doc": p("doc", field.File), "pick": p("pick", field.DropDown),
	}
	status := p("Status", field.Status)
	status.Enabled = true
	off := p("Category", field.Category)
	props := []*field.Property{
		p("レコード番号", field.RecordNumber), p("作成者", field.Creator), p("更新日時", field.UpdatedTime),
		p("title", field.SingleLineText), p(`a"b<&>\`, field.SingleLineText), p("num", field.Number),
		p("pick", field.DropDown), p("radio", field.RadioButton), p("day", field.Date), p("time", field.Time),
		p("tags", field.CheckBox), p("multi", field.MultiSelect), p("users", field.UserSelect),
		p("orgs", field.OrganizationSelect), p("files", field.File), p("calc", field.Calc), table, status, off,
		p("label", field.Label), p("作業者", field.StatusAssignee),
	}
	form := &store.Form{Fields: map[string]*field.Property{}}
	for _, pr := range props {
		form.Fields[pr.Code] = pr
		form.Order = append(form.Order, pr.Code)
	}
	recs := []*store.Record{
		{ID: 1, Revision: 3, Values: map[string]any{}},
		{ID: 2, Revision: 1, Values: map[string]any{
			"レコード番号": "APP-2", "作成者": store.Entity{Code: "u\"1", Name: "名前"}, "更新日時": "2024-01-01T00:00:00Z",
			"title": "x\n\u2028<y>", `a"b<&>\`: "z", "num": "-1.5", "pick": "", "radio": "r1", "day": "", "time": "10:00",
			"tags": []string{"a", "b\""}, "multi": []string{}, "users": []store.Entity{{Code: "a", Name: "A"}, {Code: "b"}},
			"orgs": []store.Entity{}, "files": []store.FileRef{{ContentType: "text/plain", FileKey: "k1", Name: "n.txt", Size: 12}},
			"calc": "3", "Status": "Done", "Category": []string{"c"}, "作業者": []store.Entity{{Code: "w"}},
			"items": []store.Row{
				{ID: 7, Values: map[string]any{"qty": "2", "name": "", "when": "", "who": []store.Entity{{Code: "u"}}, "pick": ""}},
				{ID: 8, Values: map[string]any{"doc": []store.FileRef{{FileKey: "k2"}, {FileKey: "k3", Size: 1}}, "pick": "p"}},
			},
		}},
		{ID: 3, Revision: 2, Values: map[string]any{"title": 5, "tags": "wrong", "items": []store.Row{}}},
	}
	for _, fields := range [][]string{nil, {}, {"$id"}, {"title", "items", "$revision", "nope", "qty"}, {"pick", "$id", "$revision"}} {
		enc := newRecordEncoder(form, fields)
		want := map[string]bool{}
		for _, f := range fields {
			want[f] = true
		}
		var refProps []*field.Property
		for _, pr := range props {
			if pr.Type.HasValue() && present(pr) && (fields == nil || want[pr.Code]) {
				refProps = append(refProps, pr)
			}
		}
		id, rev := fields == nil || want["$id"], fields == nil || want["$revision"]
		got := enc.appendRecords(nil, recs)
		ref := []byte{'['}
		for i, r := range recs {
			if i > 0 {
				ref = append(ref, ',')
			}
			ref = refAppendRecord(ref, refProps, id, rev, r)
		}
		ref = append(ref, ']')
		if string(got) != string(ref) {
			t.Errorf("fields %q:\n got %s\nwant %s", fields, got, ref)
		}
	}
}
