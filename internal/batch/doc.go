// Package batch sends a write's records in the biggest batches Kintone
// allows: up to 100 records per POST, PUT or DELETE of records.json, and
// up to 20 such requests in one bulkRequest, which Kintone applies all or
// nothing. A batch is one HTTP request: records.json when it holds at most
// 100 records, a bulkRequest otherwise.
//
// It takes plain items (a row number, an $id, a revision, an update key,
// the encoded field values) and a Writer's operation and app, and gives
// what was committed (Writer.Done, Writer.FirstID), or a *Failure: the
// data the driver builds its PartialWriteError and RowError from; Locate
// finds the request, record and field that Kintone's validation messages
// name. It also cuts a transaction's writes into the Requests of its one
// bulkRequest (Split, Request.Bulk). It knows nothing of SQL.
package batch
