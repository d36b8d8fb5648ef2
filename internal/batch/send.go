package batch

import (
	"context"

	"github.com/kintone-sql/kintone/internal/rest"
)

// send writes reqs in one HTTP request and returns the ids of the records
// it added (POST, and upserts that inserted), in order.
func send(ctx context.Context, client *rest.Client, reqs []*Request) ([]int64, error) {
	b, err := encodeBatch(client, reqs)
	if err != nil {
		return nil, err
	}
	return b.send(ctx, client)
}

// encodedBatch is a batch ready to send: a bulkRequest's body is built
// ahead (it is megabytes for 2,000 records), a single request's when it
// is sent.
type encodedBatch struct {
	reqs []*Request
	bulk *rest.EncodedBulk // nil for a single request
}

// encodeBatch builds the body of reqs when they make a bulkRequest.
func encodeBatch(client *rest.Client, reqs []*Request) (*encodedBatch, error) {
	if len(reqs) == 1 {
		return &encodedBatch{reqs: reqs}, nil
	}
	bulk := make([]rest.BulkRequest, len(reqs))
	for i, r := range reqs {
		bulk[i] = r.Bulk()
	}
	eb, err := client.EncodeBulk(bulk)
	if err != nil {
		return nil, err // refused before sending: rest.ErrTooMany or rest.ErrNotEncoded
	}
	return &encodedBatch{reqs: reqs, bulk: eb}, nil
}

// send sends the batch; see the function send.
func (b *encodedBatch) send(ctx context.Context, client *rest.Client) ([]int64, error) {
	if b.bulk == nil {
		r := b.reqs[0]
		switch r.Op {
		case Add:
			added, err := client.AddRecords(ctx, r.App, r.values())
			if err != nil {
				return nil, err
			}
			return added.IDs, nil
		case Delete:
			ids, revs := r.deletion()
			return nil, client.DeleteRecords(ctx, r.App, ids, revs)
		}
		updated, err := client.UpdateRecords(ctx, r.updates())
		return insertedIDs(updated), err
	}
	results, err := client.SendBulk(ctx, b.bulk)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, res := range results {
		if res.Added != nil {
			ids = append(ids, res.Added.IDs...)
		}
		ids = append(ids, insertedIDs(res.Updated)...)
	}
	return ids, nil
}

// insertedIDs returns the ids of the records an upsert inserted.
func insertedIDs(updated []rest.UpdatedRecord) []int64 {
	var ids []int64
	for _, u := range updated {
		if u.Operation == "INSERT" {
			ids = append(ids, u.ID)
		}
	}
	return ids
}
