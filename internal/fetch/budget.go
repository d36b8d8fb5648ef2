package fetch

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/kintone-sql/kintone/internal/errmsg"
	"github.com/kintone-sql/kintone/internal/rest"
	"github.com/kintone-sql/kintone/internal/scan"
)

// Kintone's cursor facts (REST-API.md §4.3): at most ten cursors are open per
// domain, all clients and apps together; a cursor lives until it is read to
// the end, deleted, or left idle for ten minutes after its creation or last
// page; its creation may take up to five minutes.
const (
	// domainCursorLimit is Kintone's limit on open cursors per domain.
	domainCursorLimit = 10
	// cursorIdleExpiry is how long Kintone keeps an idle cursor. A slot
	// whose cursor could not be deleted (or whose creation answer was
	// lost) stays taken this long, plus a margin for clock differences.
	cursorIdleExpiry = 10*time.Minute + 30*time.Second
	// cursorCreateTimeout bounds a cursor creation that goes on after its
	// query was cancelled: Kintone gives up on a creation after five
	// minutes.
	cursorCreateTimeout = 5*time.Minute + 30*time.Second
	// CursorCleanupTimeout bounds the DELETE of a cursor left open by rows
	// closed early: it runs on a fresh context, since the query's may be
	// done.
	CursorCleanupTimeout = 10 * time.Second
	// cursorWaitLimit bounds the waits for a cursor of a query whose
	// context has no deadline, all together. A read waits only when no plan without a
	// cursor fits (scan.Sorted), and the cursors it waits for may be
	// held by its own caller (a read nested in other ordered reads): it
	// must fail, not hang.
	cursorWaitLimit = time.Minute
)

// errNoFreeCursor is returned by openCursor(wait false) when every slot of
// the budget is taken, or Kintone refuses a cursor because the domain's are
// all taken: the read goes on without one if it can.
var errNoFreeCursor = errors.New("kintone: no cursor is free")

// CursorBudget bounds the cursors the connections of one Connector hold
// open on Kintone (the DSN's maxCursors). A read takes a slot before it
// creates a cursor and gives it back when Kintone no longer holds the
// cursor: read to the end, deleted, or, when that cannot be known, after
// Kintone's idle expiry.
type CursorBudget struct {
	limit int
	slots chan struct{} // one token per slot taken
	// AfterFunc runs f after d, as time.AfterFunc does: the timer of
	// Kintone's idle expiry of a cursor whose slot is held until then.
	// Tests replace it before the budget is used.
	AfterFunc func(d time.Duration, f func())
	// WaitLimit bounds the waits for a cursor of a read without a
	// deadline, all together (cursorWaitLimit; tests shorten it before
	// the budget is used).
	WaitLimit time.Duration
	// WaitTimer runs f after d, as time.AfterFunc does, and returns what
	// stops it: the timer of WaitLimit (tests replace it before the budget
	// is used).
	WaitTimer func(d time.Duration, f func()) (stop func() bool)

	// base is the context of work that outlives a query (a cursor creation
	// whose query was cancelled, the DELETE that follows it); close
	// cancels it once the wait for that work has run out.
	base       context.Context
	cancelBase context.CancelFunc
	background sync.WaitGroup

	mu     sync.Mutex
	open   int           // slots whose cursor exists, or may, on Kintone
	lost   int           // of those, slots held until Kintone's expiry
	freed  chan struct{} // closed, and replaced, whenever a slot frees
	closed bool
}

// NewCursorBudget returns a budget of limit cursors open at once.
func NewCursorBudget(limit int) *CursorBudget {
	base, cancel := context.WithCancel(context.Background())
	return &CursorBudget{
		limit: limit, slots: make(chan struct{}, limit),
		AfterFunc: func(d time.Duration, f func()) { time.AfterFunc(d, f) },
		WaitLimit: cursorWaitLimit,
		WaitTimer: func(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop },
		base:      base, cancelBase: cancel,
		freed: make(chan struct{}),
	}
}

// cursorSlot is one taken slot of a CursorBudget. Exactly one of release
// and holdUntilExpiry gives it back.
type cursorSlot struct {
	b    *CursorBudget
	open bool // counted in b.open
	done bool
}

// tryAcquire takes a free slot, or returns nil when none is free.
func (b *CursorBudget) tryAcquire() *cursorSlot {
	select {
	case b.slots <- struct{}{}:
		return &cursorSlot{b: b}
	default:
		return nil
	}
}

// acquire takes a slot, waiting for one to free as long as wctx allows:
// the context of the read's waits, from boundWait.
func (b *CursorBudget) acquire(wctx context.Context) (*cursorSlot, error) {
	if s := b.tryAcquire(); s != nil {
		return s, nil
	}
	select {
	case b.slots <- struct{}{}:
		return &cursorSlot{b: b}, nil
	case <-wctx.Done():
		b.mu.Lock()
		open, lost := b.open, b.lost
		b.mu.Unlock()
		return nil, fmt.Errorf("kintone: waiting for a cursor: all %d cursor slots of this sql.DB (DSN maxCursors) are taken, %d by open cursors of which %d are held until Kintone expires them (a cursor whose creation answer was lost or that could not be deleted): %w",
			b.limit, open, lost, b.waitErr(wctx))
	}
}

// ErrCursorWaitLimit ends a wait for a cursor that ran out of the budget's
// waitLimit.
var ErrCursorWaitLimit = errors.New("gave up after the longest wait for a cursor of a query without a deadline")

// boundWait returns the context of a read's waits for a cursor: ctx,
// ended after the budget's waitLimit when ctx has no deadline. A read
// takes it once, for all its waits (for a slot, then for one of the
// budget's cursors to close after Kintone refused one, as often as that
// happens), so that together they last at most waitLimit.
func (b *CursorBudget) boundWait(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return ctx, func() {}
	}
	wctx, cancel := context.WithCancelCause(ctx)
	stop := b.WaitTimer(b.WaitLimit, func() { cancel(ErrCursorWaitLimit) })
	return wctx, func() {
		stop()
		cancel(context.Canceled)
	}
}

// waitErr says why a wait on wctx (from boundWait) ended.
func (b *CursorBudget) waitErr(wctx context.Context) error {
	if errors.Is(context.Cause(wctx), ErrCursorWaitLimit) {
		return fmt.Errorf("%w (%s): the cursors may be held by reads this one runs inside; when none is free, a read waits for one if sorting in Go without one would hold more than the DSN's maxBufferedRows records (%d when it is 0) or take more than twice the requests of the cursor (a small LIMIT over many records); raise maxCursors (or maxBufferedRows, for the first), set useCursor=never to sort in Go whatever that costs, or give the query a deadline to wait longer",
			ErrCursorWaitLimit, b.WaitLimit, scan.NoCursorHold)
	}
	return wctx.Err()
}

// opened records that the slot's cursor exists (or may) on Kintone.
func (s *cursorSlot) opened() {
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	if !s.open && !s.done {
		s.open = true
		s.b.open++
	}
}

// release gives the slot back now: its cursor is gone (read to the end,
// deleted) or was never created.
func (s *cursorSlot) release() {
	b := s.b
	b.mu.Lock()
	if s.done {
		b.mu.Unlock()
		return
	}
	s.done = true
	if s.open {
		b.open--
	}
	close(b.freed)
	b.freed = make(chan struct{})
	b.mu.Unlock()
	<-b.slots
}

// holdUntilExpiry gives the slot back once Kintone has surely expired its
// cursor: for a cursor whose ID is unknown (the answer to its creation was
// lost) or that could not be deleted. Until then the slot counts as taken,
// as the cursor does on Kintone.
func (s *cursorSlot) holdUntilExpiry() {
	b := s.b
	b.mu.Lock()
	if s.done {
		b.mu.Unlock()
		return
	}
	if !s.open {
		s.open = true
		b.open++
	}
	b.lost++
	b.mu.Unlock()
	b.AfterFunc(cursorIdleExpiry, func() {
		b.mu.Lock()
		b.lost--
		b.mu.Unlock()
		s.release()
	})
}

// waitForOwn waits, after Kintone refused a cursor because the domain's ten
// are taken (429 GAIA_TM12), until one of this budget's own cursors closes:
// freed is the budget's freed channel from before the refused request, so
// a cursor that closed meanwhile counts. It fails at once when the budget
// holds no open cursor besides s (the domain's are all other clients'),
// and when wctx (the read's, from boundWait) ends.
func (b *CursorBudget) waitForOwn(wctx context.Context, s *cursorSlot, freed <-chan struct{}, refusal error) error {
	b.mu.Lock()
	open, lost := b.open, b.lost
	if s.open {
		open--
	}
	b.mu.Unlock()
	if open == 0 {
		select {
		case <-freed:
			return nil // one of ours closed while the request was on its way
		default:
		}
		return fmt.Errorf("kintone: cannot open a cursor: Kintone's %d open cursors per domain are all taken by other clients (this sql.DB holds none); close their reads or wait until they end or expire (10 minutes after their last use): %w",
			domainCursorLimit, errmsg.Inner(refusal))
	}
	select {
	case <-freed:
		return nil
	case <-wctx.Done():
		return fmt.Errorf("kintone: waiting for a cursor: Kintone's %d open cursors per domain are all taken, %d of them by this sql.DB (%d held until Kintone expires them): %w (after %w)",
			domainCursorLimit, open, lost, b.waitErr(wctx), errmsg.Inner(refusal))
	}
}

// Counts reports the budget's slots: open, those whose cursor exists (or
// may) on Kintone; lost, of those, the ones held until Kintone's expiry;
// taken, every slot taken, a cursor being created included.
func (b *CursorBudget) Counts() (open, lost, taken int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.open, b.lost, len(b.slots)
}

// freedChan returns the channel that the next release closes.
func (b *CursorBudget) freedChan() <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.freed
}

// goBackground runs f as work that may outlive its query; close waits for
// it. It reports false, running nothing, once the budget is closed.
func (b *CursorBudget) goBackground(f func(ctx context.Context)) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return false
	}
	b.background.Add(1)
	go func() {
		defer b.background.Done()
		f(b.base)
	}()
	return true
}

// Close waits for background work (cursor creations that outlived their
// query, and the deletions that follow them) for up to wait, then cancels
// what is left and waits for it to return.
func (b *CursorBudget) Close(wait time.Duration) {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	done := make(chan struct{})
	go func() {
		b.background.Wait()
		close(done)
	}()
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		b.cancelBase()
		<-done
	}
	b.cancelBase()
}

// isCursorLimit reports whether err is Kintone's 429 GAIA_TM12: the
// domain's cursors are all taken.
func isCursorLimit(err error) bool {
	var ae *rest.APIError
	return errors.As(err, &ae) && ae.Code == rest.CodeCursorLimit
}
