// Package faultsuite holds no code, only the fault suite: tests that run
// the driver's writes and the kintone-sql command's import under injected
// faults and then count the records, to show that a write is never lost,
// never applied twice, and never reported as anything but what it was.
//
// Each fault runs as a subtest against its own emulator
// (kintonetest.Server), reached through a misbehaving reverse proxy
// (kintonetest/gateway): the proxy's faults (a 503 page, 502, 504 or 500
// after forwarding, a 503 without forwarding, an answer cut short, cut
// off or garbled, a connection dropped before or after forwarding, an
// answer held until the client gives up) or the emulator's own (Kintone's
// JSON errors 503 GAIA_MA01, 429 GAIA_TO04 and 500 GAIA_RE18, a
// connection dropped before or after applying, latency beyond the
// driver's timeout). A fault hits a tenth of the requests, drawn from a
// fixed seed, and surely a request of each workload that matters (the
// second batch of an INSERT of two, the first of an UPDATE, a Commit, an
// import's second statement...), so that no subtest passes without it. A
// last subtest injects every fault at once while several goroutines write.
//
// The workloads are multi-row INSERTs (literal values, placeholders and
// INSERT ... SELECT), UPDATEs and DELETEs whose WHERE reads the targets in
// pages, transactions, and `kintone-sql import` of CSV (with multi-line
// values), TSV and JSON-lines files, and of a CSV file with --upsert-key
// into an app where some of its records are already (the command is
// built once per run). Every row carries a unique key. A ledger records each row's fate as the driver or the
// command reported it, and nothing else: a statement that succeeded wrote
// every row; an error without a *kintone.PartialWriteError wrote none; a
// PartialWriteError wrote the rows before FirstRow, left FirstRow to
// LastRow unknown when Unknown is set, and wrote none after; a
// transaction is all or nothing; the command's exit status and the line
// ranges its message names say the same of the file's records. The
// records are then read over raw REST, straight from the emulator, and
// checked against the ledger: no key twice, a written row exactly once
// (with an UPDATE's counter at the count of its applications), a row not
// written absent, a row of unknown outcome there or not, and the rows of
// one unknown batch or transaction all applied or none. Whether an
// unknown batch was applied is also told by the logs of the request that
// carried it (the gateway's: forwarded or not, the emulator's answer; the
// emulator's: what its fault did), and the records must agree. Then the
// test acts as a careful user: it looks up the unknown rows by key (or,
// for an upsert, runs again from where the command's message says that
// doing so is safe), writes again what was not written, and checks at the
// end that the data is exactly what was meant: nothing lost, nothing
// doubled, each upserted record updated in place.
//
// When a fault is Kintone's own error, which proves that nothing was
// applied, the driver must retry and every write must succeed at once.
//
// `go test ./faultsuite/` runs it; so does `go test -race ./...`, and
// therefore .ci/test and .ci/run.
package faultsuite
