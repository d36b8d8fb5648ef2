package store

import (
	"slices"
	"strconv"
	"time"

	"github.com/kintone-sql/kintone/internal/jsonwrite"
)

// appendWriteEntry appends the payload of a snapshot's record entry: what
// json.Marshal writes for
//
//	&entry{Op: opWrite, Time: t, Recs: []recsJSON{{App: a.meta.ID,
//		NextID: a.nextID, NextRow: a.nextRow, Put: <encodeRecord of each>}}}
//
// but with <, > and & left unescaped (as internal/jsonwrite writes
// strings), and without building the recJSON and valJSON maps: a snapshot
// of hundreds of thousands of records spent most of its time there. Values
// of a type encodeValues does not know are left out, as it leaves them.
func appendWriteEntry(dst []byte, t time.Time, a *appState, recs []*Record) ([]byte, error) {
	tb, err := t.MarshalJSON()
	if err != nil {
		return dst, err
	}
	dst = append(dst, `{"op":"write","t":`...)
	dst = append(dst, tb...)
	dst = append(dst, `,"recs":[{"app":`...)
	dst = strconv.AppendInt(dst, a.meta.ID, 10)
	dst = append(dst, `,"nextId":`...)
	dst = strconv.AppendInt(dst, a.nextID, 10)
	dst = append(dst, `,"nextRow":`...)
	dst = strconv.AppendInt(dst, a.nextRow, 10)
	if len(recs) > 0 {
		dst = append(dst, `,"put":[`...)
		var keys []string
		for i, r := range recs {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, `{"id":`...)
			dst = strconv.AppendInt(dst, r.ID, 10)
			dst = append(dst, `,"rev":`...)
			dst = strconv.AppendInt(dst, r.Revision, 10)
			dst = append(dst, `,"v":`...)
			dst, keys = appendValues(dst, r.Values, keys)
			dst = append(dst, '}')
		}
		dst = append(dst, ']')
	}
	return append(dst, "}]}"...), nil
}

// appendValues appends the map[string]valJSON encodeValues makes of vals,
// keys in order. keys is scratch space, returned for reuse.
func appendValues(dst []byte, vals map[string]any, keys []string) ([]byte, []string) {
	start := len(keys)
	for k, v := range vals {
		switch v.(type) {
		case string, []string, Entity, []Entity, []FileRef, []Row:
			keys = append(keys, k)
		}
	}
	own := keys[start:]
	slices.Sort(own)
	dst = append(dst, '{')
	for i, k := range own {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = jsonwrite.String(dst, k)
		dst = append(dst, ':')
		switch x := vals[k].(type) {
		case string:
			dst = append(dst, `{"k":"s"`...)
			if x != "" {
				dst = append(dst, `,"s":`...)
				dst = jsonwrite.String(dst, x)
			}
		case []string:
			dst = append(dst, `{"k":"l"`...)
			if len(x) > 0 {
				dst = append(dst, `,"l":`...)
				dst = jsonwrite.Strings(dst, x)
			}
		case Entity:
			dst = append(dst, `{"k":"e","e":`...)
			dst = appendEntity(dst, x)
		case []Entity:
			dst = append(dst, `{"k":"es"`...)
			if len(x) > 0 {
				dst = append(dst, `,"es":[`...)
				for j, e := range x {
					if j > 0 {
						dst = append(dst, ',')
					}
					dst = appendEntity(dst, e)
				}
				dst = append(dst, ']')
			}
		case []FileRef:
			dst = append(dst, `{"k":"f"`...)
			if len(x) > 0 {
				dst = append(dst, `,"f":[`...)
				for j, f := range x {
					if j > 0 {
						dst = append(dst, ',')
					}
					dst = append(dst, `{"contentType":`...)
					dst = jsonwrite.String(dst, f.ContentType)
					dst = append(dst, `,"fileKey":`...)
					dst = jsonwrite.String(dst, f.FileKey)
					dst = append(dst, `,"name":`...)
					dst = jsonwrite.String(dst, f.Name)
					dst = append(dst, `,"size":"`...)
					dst = strconv.AppendInt(dst, f.Size, 10)
					dst = append(dst, `"}`...)
				}
				dst = append(dst, ']')
			}
		case []Row:
			dst = append(dst, `{"k":"r"`...)
			if len(x) > 0 {
				dst = append(dst, `,"r":[`...)
				for j, r := range x {
					if j > 0 {
						dst = append(dst, ',')
					}
					dst = append(dst, `{"id":`...)
					dst = strconv.AppendInt(dst, r.ID, 10)
					dst = append(dst, `,"v":`...)
					dst, keys = appendValues(dst, r.Values, keys)
					dst = append(dst, '}')
				}
				dst = append(dst, ']')
			}
		}
		dst = append(dst, '}')
	}
	return append(dst, '}'), keys[:start]
}

func appendEntity(dst []byte, e Entity) []byte {
	dst = append(dst, `{"code":`...)
	dst = jsonwrite.String(dst, e.Code)
	dst = append(dst, `,"name":`...)
	dst = jsonwrite.String(dst, e.Name)
	return append(dst, '}')
}
