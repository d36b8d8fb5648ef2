package txqueue

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/kintone-sql/kintone/internal/errmsg"
	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/internal/kql"
	"github.com/kintone-sql/kintone/internal/rest"
	"github.com/kintone-sql/kintone/internal/scan"
)

// Getter reads one page of records: the driver's REST client, through
// which the queue looks committed records up.
type Getter interface {
	GetRecords(ctx context.Context, req rest.GetRecordsRequest) (*rest.RecordsPage, error)
}

// foundRecord is a record a lookup found: its $id, revision and, for a
// lookup by key, the key's normalized value.
type foundRecord struct {
	id, rev int64
	key     string
}

// lookup reads $id and $revision (and keyField's value, if any) of the
// records of app matching cond: at most 500, one GET.
func lookup(ctx context.Context, get Getter, app int64, cond kql.Expr, keyField ...string) ([]foundRecord, error) {
	limit := int64(scan.MaxPageSize)
	q := &kql.Query{Where: cond, Limit: &limit}
	fields := append([]string{"$id", "$revision"}, keyField...)
	page, err := get.GetRecords(ctx, rest.GetRecordsRequest{App: app, Query: q.String(), Fields: fields})
	if err != nil {
		return nil, fmt.Errorf("kintone: looking up the records the statement names: %w", errmsg.Inner(err))
	}
	out := make([]foundRecord, 0, len(page.Records))
	for _, r := range page.Records {
		var f foundRecord
		if f.id, err = r.ID(); err != nil {
			return nil, err
		}
		if f.rev, err = r.Revision(); err != nil {
			return nil, err
		}
		if len(keyField) > 0 {
			kf, _ := r.Field(keyField[0])
			var v string
			if err := json.Unmarshal(kf.Value, &v); err != nil {
				return nil, fmt.Errorf("kintone: the key field %s of record %d is not text: %s", keyField[0], f.id, kf.Value)
			}
			f.key = keyNorm(kf.Type == field.Number, v)
		}
		out = append(out, f)
	}
	return out, nil
}

// keyCond is "code in (values)" on a unique field.
func keyCond(code string, number bool, values []string) kql.Expr {
	vals := make([]kql.Value, len(values))
	for i, v := range values {
		vals[i] = kql.Value{Kind: kql.String, Text: v}
		if number && isNumberText(v) && !strings.ContainsAny(v, "eE") {
			vals[i].Kind = kql.Number
		}
	}
	return &kql.Cond{Field: code, Op: field.In, Values: vals}
}
