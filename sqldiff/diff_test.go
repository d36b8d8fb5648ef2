package sqldiff

import (
	"database/sql"
	"errors"
	"flag"
	"testing"

	_ "github.com/kintone-sql/kintone" // the "kintone" driver
	"github.com/kintone-sql/kintone/kintonetest"
	"github.com/kintone-sql/kintone/translate"
	_ "modernc.org/sqlite" // the "sqlite" driver
)

// The corpus sizes: statements per DSN. Every DSN runs the same
// statements; go test -corpus=N -seed=S makes another single-table
// corpus (to hunt for bugs beyond the committed one).
const (
	defaultSingleTable = 400
	multiTableSize     = 150
)

var (
	corpusSize = flag.Int("corpus", defaultSingleTable, "single-table statements per DSN in TestDiffSQLite")
	// A failure names its statement, which the same seed makes again.
	multiSize  = flag.Int("multi", multiTableSize, "statements per DSN in TestDiffSQLiteMultiTable")
	corpusSeed = flag.Uint64("seed", 1, "seed of the single-table statement generator (the data set is fixed)")
)

// dsnOptions are the DSN settings every statement runs under: pages of one
// record (every read takes many requests) and of Kintone's maximum, one
// and four concurrent $id ranges, and each useCursor mode.
var dsnOptions = []string{
	"pageSize=500&concurrency=1&useCursor=auto",
	"pageSize=1&concurrency=1&useCursor=auto",
	"pageSize=1&concurrency=4&useCursor=never",
	"pageSize=7&concurrency=4&useCursor=always",
	"pageSize=500&concurrency=4&useCursor=always",
	"pageSize=13&concurrency=1&useCursor=never",
}

// env is what the tests share: the emulator with the data, SQLite with
// the same data.
type env struct {
	srv  *kintonetest.Server
	lite *sql.DB
	data *dataset
}

func newEnv(t *testing.T) *env {
	t.Helper()
	srv, err := kintonetest.NewServer() // 127.0.0.1, a free port
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	d := genData()
	loadEmulator(t, srv, d)
	return &env{srv: srv, lite: loadSQLite(t, d), data: d}
}

// expected runs each statement on SQLite. A statement SQLite refuses is a
// bug of the generator.
func (e *env) expected(t *testing.T, stmts []stmt) [][][]any {
	t.Helper()
	out := make([][][]any, len(stmts))
	for i, s := range stmts {
		rows, err := fetch(e.lite, s.sql(lite))
		if err != nil {
			t.Fatalf("SQLite: %s: %v", s.sql(lite), err)
		}
		out[i] = rows
	}
	return out
}

// forEachDSN runs f under each DSN, in parallel (the data is only read),
// and checks afterwards that no cursor was left open.
func (e *env) forEachDSN(t *testing.T, f func(t *testing.T, db *sql.DB, opts string)) {
	t.Run("dsn", func(t *testing.T) {
		for _, opts := range dsnOptions {
			t.Run(opts, func(t *testing.T) {
				t.Parallel()
				db, err := sql.Open("kintone", e.srv.DSN()+"?"+opts)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				f(t, db, opts)
			})
		}
	})
	if n := e.srv.OpenCursors(); n != 0 {
		t.Errorf("%d cursors left open", n)
	}
}

// report describes a failed comparison: the statement as each engine ran
// it and the DSN.
func report(s stmt, opts string) string {
	return "\n  SQL:    " + s.sql(mysql) + "\n  SQLite: " + s.sql(lite) + "\n  DSN:    " + opts + "\n  "
}

// TestDiffSQLite runs the single-table corpus (WHERE with AND, OR, NOT,
// comparisons, IN, BETWEEN, LIKE and IS NULL; ORDER BY with LIMIT and
// OFFSET; GROUP BY with COUNT, SUM, MIN, MAX and AVG; HAVING; DISTINCT)
// through the driver under each DSN and through SQLite: the rows must be
// the same, as sequences when ORDER BY fixes their order and as multisets
// otherwise.
func TestDiffSQLite(t *testing.T) {
	e := newEnv(t)
	stmts := singleTableCorpus(e.data, *corpusSize, *corpusSeed)
	want := e.expected(t, stmts)
	e.forEachDSN(t, func(t *testing.T, db *sql.DB, opts string) {
		failed := 0
		for i, s := range stmts {
			got, err := fetch(db, s.sql(mysql))
			if err != nil {
				t.Errorf("%sdriver error: %v", report(s, opts), err)
			} else if d := diffRows(got, want[i], s.kinds(), s.ordered()); d != "" {
				t.Errorf("%s%s", report(s, opts), d)
			} else {
				continue
			}
			if failed++; failed == 10 {
				t.Fatal("too many differences")
			}
		}
	})
}

// isUnsupported reports whether err is the driver's refusal of a
// construct it does not run (translate.UnsupportedError).
func isUnsupported(err error) bool {
	var ue *translate.UnsupportedError
	return errors.As(err, &ue) || errors.Is(err, translate.ErrUnsupported)
}

// TestDiffSQLiteMultiTable runs joins, subqueries and set operations.
// Each statement must return SQLite's rows, or fail with the driver's
// unsupported-construct error for a construct it does not run (those
// are counted and logged); neither a wrong answer nor any other error
// passes. FULL OUTER JOIN, which MySQL does not have, runs as PostgreSQL
// and SQLite read it.
func TestDiffSQLiteMultiTable(t *testing.T) {
	e := newEnv(t)
	stmts := multiTableCorpus(e.data, *multiSize)
	want := e.expected(t, stmts)
	e.forEachDSN(t, func(t *testing.T, db *sql.DB, opts string) {
		refused, compared, failed := map[string]int{}, 0, 0
		for i, s := range stmts {
			got, err := fetch(db, s.sql(mysql))
			switch {
			case err != nil && isUnsupported(err):
				refused[construct(err)]++
				continue
			case err != nil:
				t.Errorf("%sdriver error that is not the unsupported-construct error: %v", report(s, opts), err)
			default:
				compared++
				d := diffRows(got, want[i], s.kinds(), s.ordered())
				if d == "" {
					continue
				}
				t.Errorf("%s%s", report(s, opts), d)
			}
			if failed++; failed == 10 {
				t.Fatal("too many differences")
			}
		}
		t.Logf("%d statements compared with SQLite; refused as unsupported: %v", compared, refused)
	})
}

// construct returns the construct an unsupported-construct error names.
func construct(err error) string {
	var ue *translate.UnsupportedError
	if errors.As(err, &ue) {
		return ue.Construct
	}
	return err.Error()
}
