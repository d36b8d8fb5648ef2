package faultsuite

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"
)

// plan is the workloads of one worker.
type plan struct {
	forms   []form
	sizes   []int // of the INSERTs
	txs     []int // INSERT sizes of the transactions
	imports []importJob
	noRows  bool // no statements and no transactions
}

// single is the workload of the ith one-fault subtest: INSERTs of one
// request, of one bulkRequest, of two batches (2,000 and 50 rows), and of
// rows streamed from a read; an UPDATE of every row (two batches), one of
// a few, a DELETE of most (two batches); transactions of one request to
// four; imports of a CSV file in three statements, of a TSV (even i) or
// JSON-lines (odd i) file in two, and an upsert of a CSV file in three.
// TSV and JSON lines differ from CSV only in how the file is read (one
// record a line), so each runs under half the faults, which keeps the
// suite within a minute; the last subtest runs both.
func single(i int) plan {
	lines := "tsv"
	if i%2 == 1 {
		lines = "jsonl"
	}
	return plan{
		forms: []form{literal, literal, placeholders, placeholders, selected},
		sizes: []int{1, 40, 101, 2050, 120},
		txs:   []int{1, 3, 100, 150, 2, 40, 5, 1},
		imports: []importJob{
			{format: "csv", records: 900, batch: 300},
			{format: lines, records: 400, batch: 200},
			{format: "csv", upsert: true, records: 600, batch: 200},
		},
	}
}

// concurrentCases is how many subtests run at once. Much of a subtest's
// time is spent waiting (for the driver's backoff before a retry, for a
// timeout where the fault holds a request), so more run at once than
// there are CPUs; t.Parallel would hold them to -parallel (GOMAXPROCS).
const concurrentCases = 4

// TestWritesUnderFaultsLoseNothingAndDuplicateNothing runs the workloads
// under each fault, then under every fault at once with several
// goroutines writing, and checks every row against what the driver and
// the command reported (see the package documentation).
func TestWritesUnderFaultsLoseNothingAndDuplicateNothing(t *testing.T) {
	cli := buildCLI(t)
	type subtest struct {
		fc    faultCase
		plans []plan
	}
	var subtests []subtest
	for i, fc := range faultCases() {
		subtests = append(subtests, subtest{fc, []plan{single(i)}})
	}
	big := single(0)
	big.imports = nil
	rows := plan{forms: []form{literal, placeholders, literal, placeholders, selected},
		sizes: []int{1, 101, 60, 1100, 120}, txs: []int{1, 60, 3, 100}}
	tsv, jsonl := rows, rows
	tsv.imports = []importJob{{format: "tsv", records: 600, batch: 300}}
	jsonl.imports = []importJob{{format: "jsonl", records: 600, batch: 300}}
	imports := plan{noRows: true, imports: []importJob{
		{format: "csv", records: 1000, batch: 400},
		{format: "jsonl", upsert: true, records: 800, batch: 200},
	}}
	subtests = append(subtests, subtest{mixedCase(), []plan{big, tsv, jsonl, imports}})

	// t.Run may be called from several goroutines at once.
	slots := make(chan struct{}, concurrentCases)
	var wg sync.WaitGroup
	for _, st := range subtests {
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			t.Run(st.fc.name, func(t *testing.T) { runCase(t, st.fc, cli, st.plans) })
		})
	}
	wg.Wait()
}

// runCase runs one worker per plan, at once, under fc's faults.
func runCase(t *testing.T, fc faultCase, cli string, plans []plan) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	e := newEnv(t, fc, cli)
	var mu sync.Mutex
	workers := make([]*worker, len(plans))
	txLedgers := make([]*ledger, len(plans))
	for i, p := range plans {
		w := &worker{e: e, r: e.newRoute(i + 1), owner: fmt.Sprintf("w%d", i+1), mu: &mu}
		workers[i] = w
		if !p.noRows {
			w.rowsFixture(segments(p.forms, p.sizes))
			txLedgers[i] = w.txFixture(p.txs)
		}
	}
	e.arm()
	var wg sync.WaitGroup
	for i, p := range plans {
		wg.Go(func() {
			w := workers[i]
			if !p.noRows {
				w.rowsWorkload(ctx, segments(p.forms, p.sizes))
				w.txWorkload(ctx, txLedgers[i], p.txs)
			}
			for _, job := range p.imports {
				if !w.failed {
					w.importWorkload(ctx, job)
				}
			}
		})
	}
	wg.Wait()
	for _, gw := range e.gateways {
		_ = gw.Close() // waits for the requests in flight
	}
	var sum tally
	for _, w := range workers {
		sum.add(w.tally)
	}
	writes, others := e.fired()
	t.Logf("%s: the fault hit %d writes and %d other requests; %v", fc.name, writes, others, sum)
	if writes == 0 {
		t.Errorf("the fault hit no write: the subtest proves nothing")
	}
	if t.Failed() {
		return
	}
	sure := fc.gatewayBase != nil || fc.emulatorBase != nil // the workloads aimed the fault
	if sure && sum.unknownByLog != sum.unknownBatches {
		// With one fault, the logs tell the fate of every write whose
		// answer was lost (see lostVerdict); only every fault at once
		// may leave one they cannot.
		t.Errorf("the logs told the fate of only %d of the %d unknown batches checked", sum.unknownByLog, sum.unknownBatches)
	}
	switch {
	case fc.retried && (sum.none+sum.partial+sum.unknown > 0 || sum.extra > 0):
		t.Errorf("Kintone's own error proves that nothing was applied, so the driver must retry until the write succeeds; but %v", sum)
	case fc.refused && (sum.unknown > 0 || sum.partial == 0 || sum.imports[exitPartial] == 0):
		t.Errorf("Kintone's own refusal proves that nothing was applied: the writes it hit must fail and be reported as not written (in part, after earlier batches, and with exit status 5), none as unknown; but %v", sum)
	case fc.retried || fc.refused || !sure:
	case sum.unknownBatches == 0 || sum.txUnknown == 0 || sum.imports[exitUnknown] == 0:
		t.Errorf("the fault lost the answers to statements, Commits and imports, but not every kind was reported and checked as of unknown outcome: %v", sum)
	}
}

// buildCLI builds kintone-sql into a temporary directory, with the race
// detector when the tests have it.
func buildCLI(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command, to build kintone-sql: %v", err)
	}
	out := filepath.Join(t.TempDir(), "kintone-sql")
	if runtime.GOOS == "windows" {
		out += ".exe"
	}
	args := []string{"build", "-o", out}
	if raceBuild {
		args = append(args, "-race")
	}
	args = append(args, "github.com/kintone-sql/kintone/cmd/kintone-sql")
	if b, err := exec.Command(goTool, args...).CombinedOutput(); err != nil {
		t.Fatalf("go %v: %v\n%s", args, err, b)
	}
	return out
}
