package store

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// referenceDecode decodes a payload the way Open did before decodeEntry:
// encoding/json, then recJSON.decode.
func referenceDecode(payload []byte) (*entry, [][]*Record, error) {
	e := &entry{}
	if err := json.Unmarshal(payload, e); err != nil {
		return nil, nil, err
	}
	recs := make([][]*Record, len(e.Recs))
	for i, rj := range e.Recs {
		for _, p := range rj.Put {
			recs[i] = append(recs[i], p.decode())
		}
	}
	return e, recs, nil
}

// decodedRecords returns the records of each recsJSON of e.
func decodedRecords(e *entry) [][]*Record {
	recs := make([][]*Record, len(e.Recs))
	for i, rj := range e.Recs {
		if rj.decoded {
			recs[i] = rj.recs
			continue
		}
		for _, p := range rj.Put {
			recs[i] = append(recs[i], p.decode())
		}
	}
	return recs
}

// compareDecoders reports how decodeEntry and referenceDecode differ on
// payload, or "".
func compareDecoders(payload []byte) string {
	want, wantRecs, wantErr := referenceDecode(payload)
	got, err := decodeEntry(payload, newInterner())
	switch {
	case (err == nil) != (wantErr == nil):
		return fmt.Sprintf("error %v, encoding/json's %v", err, wantErr)
	case err != nil:
		return ""
	}
	gotRecs := decodedRecords(got)
	if len(gotRecs) != len(wantRecs) {
		return fmt.Sprintf("%d recs, want %d", len(gotRecs), len(wantRecs))
	}
	for i := range gotRecs {
		if len(gotRecs[i]) != len(wantRecs[i]) {
			return fmt.Sprintf("recs[%d]: %d records, want %d", i, len(gotRecs[i]), len(wantRecs[i]))
		}
		for j := range gotRecs[i] {
			if !reflect.DeepEqual(gotRecs[i][j], wantRecs[i][j]) {
				return fmt.Sprintf("recs[%d] record %d:\n got %#v\nwant %#v", i, j, gotRecs[i][j], wantRecs[i][j])
			}
		}
		g, w := got.Recs[i], want.Recs[i]
		if g.App != w.App || g.NextID != w.NextID || g.NextRow != w.NextRow || fmt.Sprint(g.Del) != fmt.Sprint(w.Del) {
			return fmt.Sprintf("recs[%d]: %+v, want %+v", i, g, w)
		}
	}
	got.Recs, want.Recs = nil, nil
	if !got.Time.Equal(want.Time) {
		return fmt.Sprintf("time %v, want %v", got.Time, want.Time)
	}
	got.Time, want.Time = time.Time{}, time.Time{}
	if !reflect.DeepEqual(got, want) {
		return fmt.Sprintf("entry\n got %#v\nwant %#v", got, want)
	}
	return ""
}

// sampleEntries are entries of every kind, with values of every kind and
// strings that need escaping.
func sampleEntries() []*entry {
	tricky := []string{"", "plain", "<b>&amp;</b>", "quote \" backslash \\ slash /", "tab\tnl\ncr\r",
		"日本語テキスト", "emoji 😀", "\u2028\u2029", "\x00\x01\x1f", "bad utf8 \xff\xfe", "lone \xed\xa0\x80"}
	vals := func(i int) map[string]valJSON {
		s := tricky[i%len(tricky)]
		return map[string]valJSON{
			"s":     {K: "s", S: s},
			"empty": {K: "s"},
			"l":     {K: "l", L: []string{"a", s}},
			"l0":    {K: "l"},
			"e":     {K: "e", E: &Entity{Code: "sato", Name: s}},
			"e0":    {K: "e"},
			"es":    {K: "es", Es: []Entity{{Code: "a", Name: "A"}, {Code: s}}},
			"es0":   {K: "es"},
			"f":     {K: "f", F: []FileRef{{ContentType: "text/plain", FileKey: "k" + s, Name: "n", Size: 12}}},
			"f0":    {K: "f"},
			"r": {K: "r", R: []rowJSON{{ID: 7, V: map[string]valJSON{"x": {K: "s", S: s}, "y": {K: "l", L: []string{}}}},
				{ID: 8}}},
			"r0": {K: "r"},
			s:    {K: "s", S: "a code that needs escaping"},
		}
	}
	var puts []recJSON
	for i := range 30 {
		puts = append(puts, recJSON{ID: int64(i + 1), Rev: int64(i % 3), V: vals(i)})
	}
	puts = append(puts, recJSON{ID: 99, Rev: 1})
	at := time.Date(2024, 3, 22, 5, 7, 42, 123456789, time.FixedZone("JST", 9*3600))
	files := []fileJSON{{Key: "a1", fileMeta: fileMeta{Name: "one.txt", ContentType: "text/plain", Size: 3, Blob: "b1", Time: at}}}
	app := encodeAppHeader(&appState{meta: App{ID: 3, Name: "N <&>"}, live: &Form{Order: []string{}}})
	return []*entry{
		{Op: opWrite, Time: at, Recs: []recsJSON{{App: 1, NextID: 100, NextRow: 9, Put: puts, Del: []int64{4, 5}}, {App: 2, Del: []int64{1}}}},
		{Op: opWrite, Time: at, Recs: []recsJSON{{App: 1, NextID: -1, NextRow: 0}}, Files: files, Drop: []string{"x"}, Used: []string{"u"}},
		{Op: opGen, Gen: 12, Time: at},
		{Op: opApp, Time: at, App: app},
		{Op: opDeploy, Time: at, Apps: []int64{1, 2}, Revert: true},
		{Op: opUpload, Time: at, Uploads: files},
		{Op: opFiles, Time: at, Files: files, Uploads: files},
	}
}

// TestDecodeEntryMatchesEncodingJSON: for entries of every kind, and for
// hand-made payloads that json.Marshal never writes (spaces, other key
// orders, repeated keys, nulls, numbers and escapes encoding/json refuses
// or reads its own way), decodeEntry gives what encoding/json gives, or
// fails where it fails.
func TestDecodeEntryMatchesEncodingJSON(t *testing.T) {
	for i, e := range sampleEntries() {
		payload, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		if diff := compareDecoders(payload); diff != "" {
			t.Errorf("entry %d (%s): %s", i, e.Op, diff)
		}
		if e.Op == opWrite && i == 0 {
			if got, _ := decodeEntry(payload, nil); !got.Recs[0].decoded {
				t.Error("a record write was not decoded by the fast path")
			}
		}
	}
	for _, p := range handMadePayloads() {
		if diff := compareDecoders([]byte(p)); diff != "" {
			t.Errorf("payload %s: %s", p, diff)
		}
	}
}

func handMadePayloads() []string {
	rec := `{"id":1,"rev":2,"v":{"a":{"k":"s","s":"x"}}}`
	w := func(put string) string {
		return `{"op":"write","t":"2024-03-22T05:07:42Z","recs":[{"app":1,"nextId":2,"put":[` + put + `]}]}`
	}
	return []string{
		w(rec),
		" \n" + strings.ReplaceAll(w(rec), ",", " ,\t") + " \r\n",
		w(`{"v":{"a":{"s":"x","k":"s"}},"rev":2,"id":1}`),
		w(`{"id":1,"id":2,"v":{}}`),
		w(`{"id":1,"v":{"a":{"k":"s","s":"x"},"a":{"k":"l","l":["y"]}}}`),
		w(`{"id":1,"v":{"a":{"k":"s","k":"l","l":["y"]}}}`),
		w(`{"id":1,"v":null}`),
		w(`{"id":1}`),
		w(`null`),
		w(`{"id":01,"v":{}}`),
		w(`{"id":1e3,"v":{}}`),
		w(`{"id":1.0,"v":{}}`),
		w(`{"id":-0,"v":{}}`),
		w(`{"id":-,"v":{}}`),
		w(`{"id":99999999999999999999,"v":{}}`),
		w(`{"id":"1","v":{}}`),
		w(`{"id":1,"v":{"a":{"k":"zz","s":"x"}}}`),
		w(`{"id":1,"v":{"a":{"k":"s","s":null}}}`),
		w(`{"id":1,"v":{"a":{"k":"l","l":null}}}`),
		w(`{"id":1,"v":{"a":{"k":"l","l":["a",null]}}}`),
		w(`{"id":1,"v":{"a":{"k":"e","e":null}}}`),
		w(`{"id":1,"v":{"a":{"k":"e","e":{"code":"c","extra":1}}}}`),
		w(`{"id":1,"v":{"a":{"k":"es","es":[null]}}}`),
		w(`{"id":1,"v":{"a":{"k":"r","r":[{"id":1}]}}}`),
		w(`{"id":1,"v":{"a":{"k":"r","r":[{"id":1,"v":null}]}}}`),
		w(`{"id":1,"v":{"a":{"k":"r","r":null}}}`),
		w(`{"id":1,"v":{"a":{"k":"f","f":[{"fileKey":"k","size":"12"}]}}}`),
		w(`{"id":1,"v":{"a":{"k":"f","f":[{"fileKey":"k","size":12}]}}}`),
		w(`{"id":1,"v":{"a":{"k":"s","s":"\u00e9\ud83d\ude00\ud83d\u0041\udc00\/\'"}}}`),
		w(`{"id":1,"v":{"a":{"k":"s","s":"\u00e9\ud83d\ude00\ud83d\u0041\udc00\/"}}}`),
		w(`{"id":1,"v":{"a":{"k":"s","s":"\uZZZZ"}}}`),
		w(`{"id":1,"v":{"a":{"k":"s","s":"tab` + "\t" + `"}}}`),
		w(`{"id":1,"v":{"a":{"k":"s","s":"\ud83d"}}}`),
		w(`{"id":1,"v":{"a":{"k":"s","s":"` + "\xff" + `"}}}`),
		w(`{"id":1,"v":{"a":{"k":"s","s":"x"}},"extra":true}`),
		w(rec + `,` + rec),
		w(rec) + "x",
		w(rec) + "\x00",
		w(rec)[:40],
		`{"op":"write","recs":[{"app":1,"put":[` + rec + `]}],"recs":[]}`,
		`{"op":"write","recs":[null]}`,
		`{"op":"write","recs":[{"app":1,"del":[1,null]}]}`,
		`{"op":"write","t":null,"recs":[]}`,
		`{"op":"write","t":"yesterday"}`,
		`{"op":"write","Recs":[{"app":1}]}`,
		`{"op":"gen","gen":3,"unknown":{"a":[1,"]"]}}`,
		`{"op":"app","app":{"id":3,"name":"x","live":null,"preview":null},"app":{"id":4}}`,
		`{"op":"deploy","apps":[1,2],"revert":true}`,
		`{"op":"files","files":[{"key":"k","name":"n","size":1}],"uploads":null}`,
		`[]`,
		`null`,
		``,
	}
}

// FuzzDecodeEntry checks decodeEntry against encoding/json on any bytes.
func FuzzDecodeEntry(f *testing.F) {
	for _, e := range sampleEntries() {
		b, _ := json.Marshal(e)
		f.Add(b)
	}
	for _, p := range handMadePayloads() {
		f.Add([]byte(p))
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		if diff := compareDecoders(payload); diff != "" {
			t.Errorf("%q: %s", payload, diff)
		}
	})
}

// TestSnapshotEncodingDecodesToTheSameRecords: the records a snapshot
// entry writes (appendWriteEntry) decode, with encoding/json and with
// decodeEntry, to the records json.Marshal's encoding of them gives.
func TestSnapshotEncodingDecodesToTheSameRecords(t *testing.T) {
	e := sampleEntries()[0]
	var recs []*Record
	for _, p := range e.Recs[0].Put {
		recs = append(recs, p.decode())
	}
	recs[0].Values["ignored"] = 42 // a type encodeValues leaves out
	a := &appState{meta: App{ID: 7}, nextID: 1234, nextRow: 99}
	at := time.Date(2024, 3, 22, 5, 7, 42, 5, time.UTC)
	payload, err := appendWriteEntry(nil, at, a, recs)
	if err != nil {
		t.Fatal(err)
	}
	rj := recsJSON{App: 7, NextID: 1234, NextRow: 99}
	for _, r := range recs {
		rj.Put = append(rj.Put, encodeRecord(r))
	}
	marshalled, err := json.Marshal(&entry{Op: opWrite, Time: at, Recs: []recsJSON{rj}})
	if err != nil {
		t.Fatal(err)
	}
	want, wantRecs, err := referenceDecode(marshalled)
	if err != nil {
		t.Fatal(err)
	}
	got, gotRecs, err := referenceDecode(payload)
	if err != nil {
		t.Fatalf("encoding/json cannot read %s: %v", payload, err)
	}
	if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotRecs, wantRecs) {
		t.Errorf("appendWriteEntry decodes to\n%+v\nwant\n%+v", got, want)
	}
	if diff := compareDecoders(payload); diff != "" {
		t.Error(diff)
	}
	if _, err := appendWriteEntry(nil, time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), a, recs); err == nil {
		t.Error("a time JSON cannot hold was written")
	}
}
