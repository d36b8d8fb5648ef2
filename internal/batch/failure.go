package batch

// Failure is a write that failed after some of its batches were
// committed, or whose failed batch may have been applied: the data of the
// driver's PartialWriteError. A batch that failed before anything was
// committed, and surely was not applied, is a Failure too, with Committed
// 0 and Unknown false: the caller then reports Err alone.
type Failure struct {
	// Committed is the number of rows written and acknowledged by Kintone
	// before the failure.
	Committed int64
	// Batch is the 1-based number of the batch that failed, counting
	// every batch the statement sent (or was about to send).
	Batch int
	// FirstRow and LastRow are the statement rows of the failed batch;
	// LastRow is 0 when the batch was never sent (Writer.Stopped).
	FirstRow, LastRow int64
	// Unknown reports that the batch was sent and no answer from Kintone
	// says whether it was applied (rest.MayHaveApplied).
	Unknown bool
	// Requests are the requests of the failed batch, whose items Kintone's
	// validation messages name by index; nil when it was never sent.
	Requests []*Request
	// Err is the cause.
	Err error
}

// Error is the cause's message.
func (f *Failure) Error() string { return f.Err.Error() }

// Unwrap returns the cause.
func (f *Failure) Unwrap() error { return f.Err }
