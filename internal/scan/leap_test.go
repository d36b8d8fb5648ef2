package scan

import (
	"testing"
)

// leapPagesBrute walks a leap read of n records page by page: a block's
// page 0 brings pageSize records, each later page pageSize-1 (it repeats
// the last record of the one before), and a block ends at the last page
// whose offset Kintone accepts; it returns the pages of the read and of
// its first block (at most n records of it).
func leapPagesBrute(pageSize int, n int64) (pages, first int) {
	step := int64(pageSize - 1)
	var covered int64
	for b := 0; covered < n; b++ {
		for j := int64(0); j*step <= MaxOffset && covered < n; j++ {
			if j == 0 {
				covered += int64(pageSize)
			} else {
				covered += step
			}
			pages++
			if b == 0 {
				first++
			}
		}
	}
	return pages, first
}

// LeapCost counts the requests of a leap read as a walk of its pages
// does, and those of a seek read as a page of pageSize records each;
// LeapPagesFor counts the pages of one block the same way.
func TestLeapCostCountsThePages(t *testing.T) {
	for _, ps := range []int{2, 3, 7, 51, 100, 137, 499, 500} {
		r := &Spec{PageSize: ps}
		block := r.LeapBlockSize()
		var ns []int64
		for n := int64(1); n <= 3*int64(ps)+2; n++ {
			ns = append(ns, n)
		}
		for _, base := range []int64{block, 2 * block, 3 * block} {
			for d := int64(-2 * int64(ps)); d <= 2*int64(ps); d++ {
				ns = append(ns, base+d)
			}
		}
		ns = append(ns, 12345, 30000, 99999)
		for _, n := range ns {
			pages, first := leapPagesBrute(ps, n)
			leap, seek := r.LeapCost(n)
			if leap != int64(pages) {
				t.Errorf("pageSize %d, %d records: LeapCost %d pages, the walk %d", ps, n, leap, pages)
			}
			if want := (n + int64(ps) - 1) / int64(ps); seek != want {
				t.Errorf("pageSize %d, %d records: seek %d pages, want %d", ps, n, seek, want)
			}
			if got := r.LeapPagesFor(n); got != first {
				t.Errorf("pageSize %d, %d records: LeapPagesFor %d, the walk's first block %d", ps, n, got, first)
			}
			if got := r.LeapOffset(r.LeapPages() - 1); got > MaxOffset || got+r.LeapStep() <= MaxOffset {
				t.Errorf("pageSize %d: the last page of a block at offset %d", ps, got)
			}
		}
	}
}
