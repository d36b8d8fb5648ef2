package fetch

import (
	"context"

	"github.com/kintone-sql/kintone/internal/rest"
	"github.com/kintone-sql/kintone/internal/scan"
)

// Count sends the one request of a scan.Count read (its query has limit
// 1; totalCount=true) and returns the total Kintone counted.
func Count(ctx context.Context, client *rest.Client, read *scan.Spec) (int64, error) {
	pg, err := client.GetRecords(ctx, rest.GetRecordsRequest{App: read.App, Query: read.Query.String(), Fields: read.Fields, TotalCount: true})
	if err != nil {
		return 0, err
	}
	return pg.TotalCount, nil
}
