package fetch

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/kintone-sql/kintone/internal/rest"
)

// openCursor creates a cursor within the budget: it takes a slot, creates
// the cursor, and returns both; the caller gives the slot back when the
// cursor is gone (see cursorSlot). Without wait, it fails with
// errNoFreeCursor when no slot is free or Kintone refuses the cursor with
// 429 GAIA_TM12 (the domain's ten are taken), so that the read can go on
// without one; with wait, it waits for a slot as long as ctx allows (and,
// when ctx has no deadline, at most the budget's waitLimit for all its
// waits together).
//
// Every cursor whose creation may have succeeded is accounted for:
//   - Kintone refuses with 429 GAIA_TM12 and the read waits: it waits for
//     one of this budget's own cursors to close, then asks again; it fails
//     at once when the budget holds none.
//   - ctx ends while the creation is on its way: the request goes on in the
//     background, and the cursor it creates is deleted at once.
//   - The answer is lost (a dropped connection, a proxy's error page, a
//     garbled body): the cursor may exist under an ID nobody knows, so its
//     slot stays taken until Kintone's idle expiry has surely removed it.
//     Whether an answer proves that nothing was created is
//     rest.MayHaveApplied's rule, the same as for a write.
func (b *CursorBudget) openCursor(ctx context.Context, client *rest.Client, req rest.CreateCursorRequest, wait bool) (*rest.Cursor, *cursorSlot, error) {
	var slot *cursorSlot
	wctx := ctx // the context of the waits, one deadline for them all
	if wait {
		var cancel context.CancelFunc
		wctx, cancel = b.boundWait(ctx)
		defer cancel()
		var err error
		if slot, err = b.acquire(wctx); err != nil {
			return nil, nil, err
		}
	} else if slot = b.tryAcquire(); slot == nil {
		return nil, nil, fmt.Errorf("%w: all %d cursor slots of this sql.DB (DSN maxCursors) are taken", errNoFreeCursor, b.limit)
	}
	for {
		freed := b.freedChan()
		cur, handedOff, err := b.create(ctx, client, req, slot)
		switch {
		case handedOff:
			return nil, nil, err
		case err == nil:
			return cur, slot, nil
		case isCursorLimit(err) && !wait:
			slot.release()
			return nil, nil, fmt.Errorf("%w: %w", errNoFreeCursor, err)
		case isCursorLimit(err):
			if werr := b.waitForOwn(wctx, slot, freed, err); werr != nil {
				slot.release()
				return nil, nil, werr
			}
		case rest.MayHaveApplied(err):
			slot.holdUntilExpiry()
			return nil, nil, err
		default:
			slot.release()
			return nil, nil, err
		}
	}
}

// create sends one cursor creation. The request runs on a context that the
// query's cancellation does not reach (only its values), so that its answer,
// and with it the cursor's ID, is not lost when the query is cancelled or
// its rows closed meanwhile: the caller then gets ctx's error with
// handedOff set, and the slot belongs to the background work, which
// deletes the cursor when the answer comes.
func (b *CursorBudget) create(ctx context.Context, client *rest.Client, req rest.CreateCursorRequest, slot *cursorSlot) (cur *rest.Cursor, handedOff bool, err error) {
	type result struct {
		cur *rest.Cursor
		err error
	}
	answer := make(chan result, 1)
	var mu sync.Mutex
	abandoned := false
	started := b.goBackground(func(base context.Context) {
		pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cursorCreateTimeout)
		defer cancel()
		stop := context.AfterFunc(base, cancel)
		defer stop()
		cur, err := client.CreateCursor(pctx, req)
		mu.Lock()
		if !abandoned {
			answer <- result{cur, err}
			mu.Unlock()
			return
		}
		mu.Unlock()
		b.settle(base, client, slot, cur, err)
	})
	if !started {
		slot.release()
		return nil, true, errors.New("kintone: the sql.DB is closed")
	}
	select {
	case r := <-answer:
		if r.err == nil {
			slot.opened()
		}
		return r.cur, false, r.err
	case <-ctx.Done():
	}
	mu.Lock()
	select {
	case r := <-answer:
		// The answer came as the query ended: settle it here.
		mu.Unlock()
		if !b.goBackground(func(base context.Context) { b.settle(base, client, slot, r.cur, r.err) }) {
			b.settle(context.Background(), client, slot, r.cur, r.err)
		}
	default:
		abandoned = true
		mu.Unlock()
	}
	return nil, true, ctx.Err()
}

// settle closes what a creation nobody waits for any more may have opened:
// it deletes a created cursor, and gives the slot back when the cursor is
// surely gone, or holds it until Kintone's expiry when that is unknown.
func (b *CursorBudget) settle(base context.Context, client *rest.Client, slot *cursorSlot, cur *rest.Cursor, err error) {
	switch {
	case err == nil:
		slot.opened()
		ctx, cancel := context.WithTimeout(base, CursorCleanupTimeout)
		defer cancel()
		if client.DeleteCursor(ctx, cur.ID) != nil {
			slot.holdUntilExpiry()
			return
		}
		slot.release()
	case rest.MayHaveApplied(err):
		slot.holdUntilExpiry()
	default:
		slot.release()
	}
}
