package exec_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/exec"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/plan"
	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// table is a metadata leaf of rows (k, v), nil standing for NULL.
func table(rows ...[2]any) *plan.Metadata {
	m := &plan.Metadata{Columns: []string{"k", "v"}}
	for _, r := range rows {
		m.Rows = append(m.Rows, catalog.Record{"k": r[0], "v": r[1]})
	}
	return m
}

// col is a resolved reference to column i of a row, of kind k.
func col(i int, k catalog.Kind) *expr.ColRef {
	return &expr.ColRef{Col: catalog.VirtualColumn(fmt.Sprint("c", i), k, true), At: -1, Index: i, Resolved: true}
}

// joinRows runs j and prints each row as "k,v|k,v", sorted.
func joinRows(t *testing.T, j *plan.Join, o exec.Options) ([]string, error) {
	t.Helper()
	rows, err := drain(t, exec.Run(j, exec.Inputs{}, o))
	var out []string
	for _, r := range rows {
		parts := make([]string, len(r))
		for i, v := range r {
			parts[i] = fmt.Sprint(v)
			if v == nil {
				parts[i] = "NULL"
			}
		}
		out = append(out, strings.Join(parts[:2], ",")+"|"+strings.Join(parts[2:], ","))
	}
	slices.Sort(out)
	return out, err
}

var (
	leftRows  = table([2]any{int64(1), "a"}, [2]any{int64(2), "b"}, [2]any{int64(2), "b2"}, [2]any{nil, "n"})
	rightRows = table([2]any{int64(2), "x"}, [2]any{int64(3), "y"}, [2]any{nil, "z"})
)

func TestJoinKindsKeepTheirUnmatchedRows(t *testing.T) {
	eq := []plan.JoinKey{{L: col(0, catalog.KInt), R: col(0, catalog.KInt)}}
	for _, c := range []struct {
		kind plan.JoinKind
		want []string
	}{
		{plan.Inner, []string{"2,b2|2,x", "2,b|2,x"}},
		{plan.Left, []string{"1,a|NULL,NULL", "2,b2|2,x", "2,b|2,x", "NULL,n|NULL,NULL"}},
		{plan.Right, []string{"2,b2|2,x", "2,b|2,x", "NULL,NULL|3,y", "NULL,NULL|NULL,z"}},
		{plan.Full, []string{"1,a|NULL,NULL", "2,b2|2,x", "2,b|2,x", "NULL,NULL|3,y", "NULL,NULL|NULL,z", "NULL,n|NULL,NULL"}},
	} {
		// Each side read first, and each side held (small side of 1 row
		// makes the second side the held one when it is smaller).
		for _, first := range []int{0, 1} {
			for _, small := range []int{1, 100} {
				j := &plan.Join{Kind: c.kind, Left: leftRows, Right: rightRows, Keys: eq, Widths: [2]int{2, 2}, First: first}
				got, err := joinRows(t, j, exec.Options{SmallSide: small})
				if err != nil {
					t.Fatalf("%s: %v", c.kind, err)
				}
				if !slices.Equal(got, c.want) {
					t.Errorf("%s (first %d, small %d):\n got %q\nwant %q", c.kind, first, small, got, c.want)
				}
			}
		}
	}
}

func TestJoinNullSafeKeyMatchesNulls(t *testing.T) {
	j := &plan.Join{Kind: plan.Inner, Left: leftRows, Right: rightRows, Widths: [2]int{2, 2},
		Keys: []plan.JoinKey{{L: col(0, catalog.KInt), R: col(0, catalog.KInt), NullSafe: true}}}
	got, err := joinRows(t, j, exec.Options{})
	want := []string{"2,b2|2,x", "2,b|2,x", "NULL,n|NULL,z"}
	if err != nil || !slices.Equal(got, want) {
		t.Fatalf("got %q, %v; want %q", got, err, want)
	}
}

func TestJoinConditionDecidesTheMatchOfAnOuterJoin(t *testing.T) {
	// LEFT JOIN ... ON l.k = r.k AND r.v = 'nope': no right row matches,
	// every left row comes back once with NULLs.
	on := &expr.Cmp{Op: "=", L: col(3, catalog.KText), R: &expr.Const{Value: "nope", Kind: catalog.KText}}
	j := &plan.Join{Kind: plan.Left, Left: leftRows, Right: rightRows, Widths: [2]int{2, 2}, On: on,
		Keys: []plan.JoinKey{{L: col(0, catalog.KInt), R: col(0, catalog.KInt)}}}
	got, err := joinRows(t, j, exec.Options{})
	want := []string{"1,a|NULL,NULL", "2,b2|NULL,NULL", "2,b|NULL,NULL", "NULL,n|NULL,NULL"}
	if err != nil || !slices.Equal(got, want) {
		t.Fatalf("got %q, %v; want %q", got, err, want)
	}
}

func TestCrossJoinPairsEveryRow(t *testing.T) {
	j := &plan.Join{Kind: plan.Cross, Left: leftRows, Right: rightRows, Widths: [2]int{2, 2}}
	got, err := joinRows(t, j, exec.Options{})
	if err != nil || len(got) != 12 {
		t.Fatalf("got %d rows (%v), want 4 x 3", len(got), err)
	}
	// A non-equality condition: nested loop.
	j.On = &expr.Cmp{Op: "<", L: col(0, catalog.KInt), R: col(2, catalog.KInt)}
	got, err = joinRows(t, j, exec.Options{})
	want := []string{"1,a|2,x", "1,a|3,y", "2,b2|3,y", "2,b|3,y"}
	if err != nil || !slices.Equal(got, want) {
		t.Fatalf("got %q, %v; want %q", got, err, want)
	}
}

func TestJoinKeysOfOneClassMeet(t *testing.T) {
	// A NUMBER's decimal text and an integer, equal in value, meet.
	l := table([2]any{"1.50", "dec"})
	l.Rows[0]["k"] = mustDecimal(t, "1.50")
	r := table([2]any{mustDecimal(t, "1.5"), "other"})
	j := &plan.Join{Kind: plan.Inner, Left: l, Right: r, Widths: [2]int{2, 2},
		Keys: []plan.JoinKey{{L: col(0, catalog.KNumber), R: col(0, catalog.KNumber)}}}
	got, err := joinRows(t, j, exec.Options{})
	if err != nil || len(got) != 1 {
		t.Fatalf("got %q, %v; want one row", got, err)
	}
}

func TestJoinFailsPastItsHold(t *testing.T) {
	// Both sides bigger than the small side: the first is held whole,
	// and past Hold the join fails instead of growing.
	big := func(n int) *plan.Metadata {
		m := table()
		for i := 0; i < n; i++ {
			m.Rows = append(m.Rows, catalog.Record{"k": int64(i), "v": "x"})
		}
		return m
	}
	j := &plan.Join{Kind: plan.Inner, Left: big(50), Right: big(50), Widths: [2]int{2, 2}, Hold: 20,
		Keys: []plan.JoinKey{{L: col(0, catalog.KInt), R: col(0, catalog.KInt)}}}
	_, err := joinRows(t, j, exec.Options{SmallSide: 5})
	if !errors.Is(err, sqlerr.ErrTooManyRows) || !strings.Contains(err.Error(), "join holds more than 20 rows") {
		t.Fatalf("err = %v, want ErrTooManyRows naming the join", err)
	}
	// Within the hold it runs.
	j.Hold = 60
	got, err := joinRows(t, j, exec.Options{SmallSide: 5})
	if err != nil || len(got) != 50 {
		t.Fatalf("%d rows, %v", len(got), err)
	}
}

// mustDecimal is a NUMBER value.
func mustDecimal(t *testing.T, s string) field.Decimal {
	t.Helper()
	return field.Decimal(s)
}

func TestSemiAndAntiJoinsReturnLeftRowsOnce(t *testing.T) {
	eq := []plan.JoinKey{{L: col(0, catalog.KInt), R: col(0, catalog.KInt)}}
	right := table([2]any{int64(2), "x"}, [2]any{int64(2), "x2"}, [2]any{int64(1), "y"}, [2]any{nil, "z"})
	left := table([2]any{int64(1), "a"}, [2]any{int64(2), "b"}, [2]any{int64(3), "c"}, [2]any{nil, "n"})
	for _, c := range []struct {
		kind plan.JoinKind
		want []string
	}{
		{plan.Semi, []string{"1,a|", "2,b|"}},
		{plan.Anti, []string{"3,c|", "NULL,n|"}},
	} {
		for _, first := range []int{0, 1} {
			for _, small := range []int{1, 100} {
				j := &plan.Join{Kind: c.kind, Left: left, Right: right, Keys: eq, Widths: [2]int{2, 2}, First: first}
				got, err := joinRows(t, j, exec.Options{SmallSide: small})
				if err != nil || !slices.Equal(got, c.want) {
					t.Errorf("%s (first %d, small %d): got %q, %v; want %q", c.kind, first, small, got, err, c.want)
				}
			}
		}
	}
}

// BenchmarkHashJoin joins 10,000 rows to 2,000 on one key (every row
// matches): the cost per probe row of hashing and pairing.
func BenchmarkHashJoin(b *testing.B) {
	left, right := table(), table()
	for i := 0; i < 10_000; i++ {
		left.Rows = append(left.Rows, catalog.Record{"k": fmt.Sprintf("c%d", i%2000), "v": int64(i)})
	}
	for i := 0; i < 2000; i++ {
		right.Rows = append(right.Rows, catalog.Record{"k": fmt.Sprintf("c%d", i), "v": "name"})
	}
	j := &plan.Join{Kind: plan.Inner, Left: left, Right: right, Widths: [2]int{2, 2},
		Keys: []plan.JoinKey{{L: col(0, catalog.KText), R: col(0, catalog.KText)}}}
	b.ReportAllocs()
	for b.Loop() {
		next := exec.Run(j, exec.Inputs{}, exec.Options{})
		n := 0
		for {
			if _, err := next(); err != nil {
				break
			}
			n++
		}
		if n != 10_000 {
			b.Fatalf("%d rows", n)
		}
	}
}

func TestHoldingStepsOfSeveralReadsFailPastTheirHold(t *testing.T) {
	rows := table([2]any{int64(1), "a"}, [2]any{int64(2), "b"}, [2]any{int64(3), "c"})
	run := func(n plan.Node) error {
		_, err := drain(t, exec.Run(n, exec.Inputs{}, exec.Options{}))
		return err
	}
	for _, c := range []struct {
		name string
		node plan.Node
		want string
	}{
		{"INTERSECT", &plan.SetOp{Op: "INTERSECT", Left: rows, Right: rows, Width: 2, Hold: 2}, "intersect (holds at most 2 rows) holds more than 2 rows"},
		{"UNION", &plan.SetOp{Op: "UNION", Left: rows, Right: rows, Width: 2, Hold: 2}, "union (holds at most 2 rows) holds more than 2 rows"},
		{"window", &plan.Window{Input: rows, Hold: 2, Funcs: []*expr.WindowFunc{{Fn: "row_number", Pos: -1, Kind: catalog.KInt}}}, "a window function holds more than 2 rows"},
		{"IN subquery", &plan.Apply{Subs: []plan.Node{rows}, Modes: []expr.SubMode{expr.SubIn}, Hold: 2,
			Plan: func([]expr.SubResult) (plan.Node, error) { return rows, nil }}, "a subquery of IN returned more than 2 rows"},
	} {
		err := run(c.node)
		if !errors.Is(err, sqlerr.ErrTooManyRows) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want ErrTooManyRows saying %q", c.name, err, c.want)
		}
		// Within the hold, the same step runs.
		switch n := c.node.(type) {
		case *plan.SetOp:
			n.Hold = 10
		case *plan.Window:
			n.Hold = 10
		case *plan.Apply:
			n.Hold = 10
		}
		if err := run(c.node); err != nil {
			t.Errorf("%s within its hold: %v", c.name, err)
		}
	}
}
