package fetch

import (
	"context"

	"github.com/kintone-sql/kintone/internal/rest"
	"github.com/kintone-sql/kintone/internal/scan"
)

// leapMaxExtra bounds what a leap read may cost above a seek read: at most
// one request in fifty (2%), so that it is taken only when the pages are
// many enough to pay for the record each page repeats.
const leapMaxExtra = 50

// leapLanes reports how many requests a seek read of n records in all,
// read records of which came with its first page, may run at once when
// read as a leap read (see scan's leap.go): 0 when it is read page after
// page. A leap read needs the DSN's concurrency above 1, a read that no
// write moves under (Spec.Parallel), pages of two records or more, more
// than one page to go, and at most one request in fifty above the seek
// read's count; its lanes are never more than its pages to go, nor than
// the domain's load allows.
func (p *Pager) leapLanes(n, read int64, load rest.Load) int {
	r := p.read
	if p.parallel < 2 || !r.Parallel || r.LeapStep() == 0 || n-read <= int64(r.PageSize) {
		return 0
	}
	leap, seek := r.LeapCost(n)
	if leap-seek > seek/leapMaxExtra {
		return 0
	}
	lanes := domainShare(load, int(min(int64(p.parallel), leap-1)))
	if lanes < 2 {
		return 0
	}
	return lanes
}

// leapPage is one page of a leap read and, once it came, its answer.
type leapPage struct {
	gen    int   // the plan it belongs to: a page of an abandoned plan is dropped
	anchor int64 // its block's anchor
	j      int   // its place in the block
	limit  int
	total  bool  // it asks for its total: the last page planned
	want   int64 // how many records its block was planned for
	query  string

	done    bool
	records []scan.Record
	n       int // records in the answer
	first   int64
	last    int64
	tot     int64
	err     error
}

// leap is the state of a leap read.
type leap struct {
	p       *Pager
	ctx     context.Context // the pages' requests: cancelled when the read ends
	lanes   int
	gen     int
	order   []*leapPage // planned pages not handed over, in $id order
	queue   []*leapPage // planned pages not asked for yet, in the order to ask
	busy    int         // pages asked for and not answered (abandoned ones too)
	held    int         // pages answered and not handed over
	results chan *leapPage
	prev    int64 // the last $id handed over
	read    int64 // records handed over, the first page's included
	most    int64 // the most records the read takes (Spec.MaxRecords); 0: all
	capped  bool  // the plan ends at most records: its last page asks for no more
}

// fetchLeap reads the rest of a seek read after its first page (first,
// whose last $id is last, read records in all) as a leap read running lanes
// requests at once, of n records in all (the first page's among them) or
// to the end that the pages' totals show when capped is false, and of at
// most n records when it is true (n is then Spec.MaxRecords). It never
// hands over more than Spec.MaxRecords records, nor plans past them when
// records are added meanwhile, as a seek read. Pages are handed over
// in $id order; at most lanes+1 are held at once (asked for or waiting to
// be handed over) whatever the number of records. It returns when the read
// ends, fails, or the pager is closed, once the requests it still had in
// flight (pages past the end, pages of an abandoned plan) were cancelled
// and have returned: none outlives the lanes the read took for them.
func (p *Pager) fetchLeap(first []rest.Record, last, read, n int64, capped bool, lanes int) error {
	ctx, cancel := context.WithCancel(p.ctx)
	l := &leap{p: p, ctx: ctx, lanes: lanes, results: make(chan *leapPage, lanes+1), prev: last, read: read, most: p.read.MaxRecords, capped: capped}
	defer l.stop(cancel)
	l.plan(0, 1, n)
	l.start() // while the first page is decoded and handed over
	if ok, err := p.deliver(first); !ok || err != nil {
		return err
	}
	return l.run()
}

// plan plans the pages of a block after anchor, from page j, for want
// records counted from the block's first: a full block when want passes
// it, whose last page plans the next block when it comes (wait). The last
// page planned asks for its total, to learn whether records were added
// past it, unless the read is capped: then it asks for no more records
// than the read takes.
func (l *leap) plan(anchor int64, j int, want int64) {
	r := l.p.read
	pages := r.LeapPagesFor(want)
	var out []*leapPage
	for ; j < pages; j++ {
		pg := &leapPage{gen: l.gen, anchor: anchor, j: j, limit: r.PageSize, want: want}
		if j == pages-1 && want <= r.LeapBlockSize() {
			if l.capped {
				pg.limit = int(min(max(want-r.LeapOffset(j), 1), int64(r.PageSize)))
			} else {
				pg.total = true
			}
		}
		pg.query = r.LeapQuery(anchor, r.LeapOffset(j), pg.limit)
		out = append(out, pg)
	}
	l.order = append(l.order, out...)
	if n := len(out); n > 1 && want > r.LeapBlockSize() {
		// The block's last page anchors the next block: ask for it first.
		l.queue = append(l.queue, out[n-1])
		out = out[:n-1]
	}
	l.queue = append(l.queue, out...)
}

// start asks for planned pages while fewer than lanes are in flight and
// fewer than lanes+1 are held, in flight or answered: the answered pages
// wait for the one before them, so a slow page holds the rest back.
func (l *leap) start() {
	for len(l.queue) > 0 && l.busy < l.lanes && l.busy+l.held <= l.lanes {
		pg := l.queue[0]
		l.queue = l.queue[1:]
		l.busy++
		p := l.p
		p.inflight.Add(1)
		go func() {
			defer p.inflight.Done()
			raw, err := p.client.GetRecords(l.ctx, rest.GetRecordsRequest{App: p.read.App, Query: pg.query, Fields: p.read.Fields, TotalCount: pg.total})
			if err == nil {
				pg.n, pg.tot = len(raw.Records), raw.Total()
				if pg.n > 0 {
					pg.first, err = raw.Records[0].ID()
					if err == nil {
						pg.last, err = raw.Records[pg.n-1].ID()
					}
				}
			}
			if err == nil {
				pg.records, err = p.decode(raw.Records)
			}
			pg.err = err
			l.results <- pg
		}()
	}
}

// wait waits for an answer and takes it in: a page of an abandoned plan is
// dropped; a block's last page plans the next block when records remain.
func (l *leap) wait() error {
	select {
	case pg := <-l.results:
		l.busy--
		if pg.gen != l.gen {
			return nil
		}
		pg.done = true
		l.held++
		r := l.p.read
		if pg.err == nil && pg.j == r.LeapPages()-1 && pg.n == pg.limit && pg.want > r.LeapBlockSize() {
			l.plan(pg.last, 0, pg.want-r.LeapBlockSize())
		}
		return nil
	case <-l.p.ctx.Done():
		return l.p.ctx.Err()
	}
}

// run hands the planned pages over in order, checking that each page after
// the first of its block begins where the one before ended; where one does
// not, it plans the rest again from the last record handed over.
func (l *leap) run() error {
	r := l.p.read
	for {
		l.start()
		if len(l.order) == 0 {
			return nil
		}
		head := l.order[0]
		if !head.done {
			if err := l.wait(); err != nil {
				return err
			}
			continue
		}
		if head.err != nil {
			return head.err
		}
		l.order, l.held = l.order[1:], l.held-1
		recs := head.records
		if head.j > 0 {
			if head.n == 0 || head.first != l.prev {
				// The pages shifted between this one and the one before:
				// go on from the last record handed over.
				l.restart()
				continue
			}
			recs = recs[1:]
		}
		if l.most > 0 {
			recs = recs[:min(int64(len(recs)), max(l.most-l.read, 0))]
		}
		l.read += int64(len(recs))
		if head.n > 0 {
			l.prev = head.last
		}
		if len(recs) > 0 && !l.p.send(page{records: recs}) {
			return nil
		}
		switch {
		case l.most > 0 && l.read >= l.most:
			return nil
		case head.n < head.limit:
			return nil // the end, as this page was read
		case len(l.order) == 0 && head.total && head.tot > r.LeapOffset(head.j)+int64(head.n):
			// Records were added past the end the plan knew of.
			l.gen++
			l.queue = nil
			l.planRest(head.tot - r.LeapOffset(head.j) - int64(head.n))
		}
	}
}

// stop cancels the requests still in flight and waits for their answers.
func (l *leap) stop(cancel context.CancelFunc) {
	cancel()
	for ; l.busy > 0; l.busy-- {
		<-l.results
	}
}

// restart abandons the pages planned after the last one handed over and
// plans the rest of the read again as a block after it: to the records
// the read still takes when capped, else one page, which asks for its
// total (run plans the rest from it).
func (l *leap) restart() {
	l.gen++
	l.order, l.queue, l.held = nil, nil, 0
	want := int64(l.p.read.PageSize)
	if l.capped {
		want = l.most - l.read
	}
	l.planRest(want)
}

// planRest plans a block after the last record handed over for want
// records, or for the records the read still takes when that is fewer:
// the plan is then capped.
func (l *leap) planRest(want int64) {
	if l.most > 0 && l.read+want >= l.most {
		l.capped, want = true, l.most-l.read
	}
	l.plan(l.prev, 0, max(want, 1))
}
