package kintone

import "database/sql/driver"

// result is what a write reports: the rows written and, for a statement
// that added records, the first new $id (as MySQL reports the first id of
// a multi-row INSERT).
type result struct {
	affected int64
	firstID  int64 // 0 when the statement added no record
	inTx     bool  // queued in a transaction: nothing is written before Commit
}

// Compile-time check of the interface result implements.
var _ driver.Result = result{}

// LastInsertId returns the $id of the first record the statement added,
// 0 when it added none (UPDATE, DELETE, an upsert that only updated). In
// a transaction the records are added at Commit, so their ids are not
// known yet: LastInsertId fails there.
func (r result) LastInsertId() (int64, error) {
	if r.inTx {
		return 0, errLastIDInTx
	}
	return r.firstID, nil
}

// RowsAffected returns the number of rows written: added, updated (each
// record matched is written, changed or not), upserted or deleted. In a
// transaction, the number of rows the statement queued for Commit.
func (r result) RowsAffected() (int64, error) { return r.affected, nil }
