package main

import (
	"fmt"
	"io"

	"github.com/kintone-sql/kintone/internal/readlimit"
)

// maxRecordBytes bounds one record of an import file: a CSV record or a
// JSON line. Kintone refuses far smaller records; the bound is there so
// that a file that never ends a record (an unclosed quote, a JSON-lines
// file without newlines, /dev/zero) fails after reading this much instead
// of filling memory.
const maxRecordBytes = 64 << 20

// recordTooLargeError is returned by a recordLimit that ran out.
type recordTooLargeError struct{ limit int64 }

func (e *recordTooLargeError) Error() string {
	return fmt.Sprintf("a record is larger than %s, the limit for one record (is a quote left open, or a line never ended?)",
		readlimit.FormatSize(e.limit))
}

// recordLimit reads from r and fails once more than max bytes were read
// since the last reset. The record sources reset it before each record;
// what their buffered readers read ahead counts toward the next record, so
// the bound holds to within a buffer.
type recordLimit struct {
	r    io.Reader
	max  int64
	left int64
}

func newRecordLimit(r io.Reader, max int64) *recordLimit {
	return &recordLimit{r: r, max: max, left: max}
}

func (l *recordLimit) reset() { l.left = l.max }

func (l *recordLimit) Read(p []byte) (int, error) {
	if l.left <= 0 {
		return 0, &recordTooLargeError{limit: l.max}
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}
