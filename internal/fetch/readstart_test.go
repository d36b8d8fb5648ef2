package fetch

import (
	"testing"
	"time"
)

// readStart dates a read by Kintone's clock: the answer's Date less the
// time the request took; without a Date header (a proxy that drops it),
// by this machine's clock when the request was sent, less noDateMargin, so
// that the change check still covers a difference of the two clocks up to
// an hour.
func TestReadStartWithoutADateGoesBackByTheMargin(t *testing.T) {
	sent := time.Date(2026, 3, 2, 10, 30, 0, 0, time.UTC)
	got := sent.Add(3 * time.Second)
	date := time.Date(2026, 3, 2, 10, 40, 5, 0, time.UTC) // Kintone's clock is ten minutes ahead
	if at := readStart(date, sent, got); !at.Equal(date.Add(-3 * time.Second)) {
		t.Errorf("with a Date: %v, want the Date less the 3 s the request took", at)
	}
	if at := readStart(time.Time{}, sent, got); !at.Equal(sent.Add(-noDateMargin)) || noDateMargin < time.Hour {
		t.Errorf("without a Date: %v, want the time sent less %v (at least an hour)", at, noDateMargin)
	}
}
