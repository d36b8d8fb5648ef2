package kintone

import (
	"context"
	"errors"
	"sync"
)

// flightGroup shares one load among the goroutines that ask for the same
// key at once: the first runs it, the others wait for its result. Nothing
// is kept once the load ends (the schemaCache keeps results). The zero
// value is ready to use.
type flightGroup struct {
	mu    sync.Mutex
	calls map[string]*flight
}

type flight struct {
	done    chan struct{}
	val     any
	err     error
	waiters int // the goroutines waiting for it, besides the one running it
}

// share returns load's result for key, running load unless a call for key
// is already running, in which case it waits for that call's result. A
// waiter whose own context ends stops waiting; a waiter whose leader's
// context ended (a cancelled or timed-out statement) runs the load again
// under its own, rather than failing with another statement's
// cancellation.
func share[T any](ctx context.Context, g *flightGroup, key string, load func(context.Context) (T, error)) (T, error) {
	for {
		g.mu.Lock()
		if c, ok := g.calls[key]; ok {
			c.waiters++
			g.mu.Unlock()
			select {
			case <-c.done:
			case <-ctx.Done():
				var zero T
				return zero, ctx.Err()
			}
			if c.err == errAbandoned || isContextErr(c.err) && ctx.Err() == nil {
				continue
			}
			v, _ := c.val.(T)
			return v, c.err
		}
		c := &flight{done: make(chan struct{})}
		if g.calls == nil {
			g.calls = map[string]*flight{}
		}
		g.calls[key] = c
		g.mu.Unlock()
		return lead(ctx, g, key, c, load)
	}
}

// lead runs load for the flight c of key and hands its result to the
// waiters. If load panics, they are released to run it themselves.
func lead[T any](ctx context.Context, g *flightGroup, key string, c *flight, load func(context.Context) (T, error)) (T, error) {
	finished := false
	defer func() {
		if !finished {
			c.err = errAbandoned
			g.finish(key, c)
		}
	}()
	v, err := load(ctx)
	c.val, c.err = v, err
	finished = true
	g.finish(key, c)
	return v, err
}

// errAbandoned is the result of a load that panicked.
var errAbandoned = errors.New("kintone: a shared metadata load was abandoned")

// waiting returns how many goroutines wait for the running load of key.
func (g *flightGroup) waiting(key string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	if c, ok := g.calls[key]; ok {
		return c.waiters
	}
	return 0
}

func (g *flightGroup) finish(key string, c *flight) {
	g.mu.Lock()
	if g.calls[key] == c {
		delete(g.calls, key)
	}
	g.mu.Unlock()
	close(c.done)
}

func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
