package translate_test

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/translate"
)

// schema is the smallest Schema: one app, resolved by ID or code.
type schema struct{ app *translate.App }

func (s schema) App(_ context.Context, name string) (*translate.App, error) {
	if name == "42" || name == s.app.Code {
		return s.app, nil
	}
	return nil, nil
}

func (s schema) Apps(context.Context) ([]*translate.App, error) {
	return []*translate.App{s.app}, nil
}

func exampleSchema() schema {
	return schema{&translate.App{ID: 42, Code: "ORDERS", Name: "Orders",
		Fields: map[string]*field.Property{
			"title":  {Code: "title", Type: field.SingleLineText},
			"amount": {Code: "amount", Type: field.Number},
			"due":    {Code: "due", Type: field.Date},
		},
		Order: []string{"title", "amount", "due"},
	}}
}

// Translate shows what a statement sends to Kintone and what it leaves to
// Go: here Kintone filters by amount exactly and narrows by title, while
// the LIKE and the LIMIT are applied to the rows it returns.
func ExampleTranslate() {
	st, err := translate.Translate(context.Background(),
		"SELECT title FROM ORDERS WHERE amount >= ? AND title LIKE 'A%' ORDER BY $id LIMIT 10",
		exampleSchema(), translate.Options{}, []driver.NamedValue{{Ordinal: 1, Value: int64(100)}})
	if err != nil {
		fmt.Println(err)
		return
	}
	s := st.(*translate.Select)
	fmt.Println(s.Strategy())
	fmt.Println(s.Read.Query.String())
	fmt.Println(s.Read.Fields)
	// Output:
	// seek
	// amount >= 100 order by $id asc
	// [$id title]
}

// A prepared statement is parsed once and bound to each set of arguments.
func ExamplePrepare() {
	ctx := context.Background()
	p, err := translate.Prepare(ctx, "SELECT title FROM ORDERS WHERE amount BETWEEN ? AND ? LIMIT 5", exampleSchema(), translate.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.NumInput())
	for _, bounds := range [][2]int64{{1, 10}, {100, 200}} {
		st, err := p.Bind(ctx, []driver.NamedValue{{Ordinal: 1, Value: bounds[0]}, {Ordinal: 2, Value: bounds[1]}})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(st.(*translate.Select).Read.Query.String())
	}
	// Output:
	// 2
	// amount >= 1 and amount <= 10 order by $id asc limit 5
	// amount >= 100 and amount <= 200 order by $id asc limit 5
}

// Run streams rows out of the records the driver reads; here the records
// are given directly, as the decoded records Kintone would return for
// s.Read (the filter and the sort are Go's, so any order will do).
func ExampleSelect_Run() {
	st, err := translate.Translate(context.Background(),
		"SELECT title, amount * 2 AS twice FROM ORDERS WHERE title <> 'skip' ORDER BY twice DESC",
		exampleSchema(), translate.Options{}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	s := st.(*translate.Select)
	records := []translate.Record{
		{"$id": int64(1), "title": "pen", "amount": field.Decimal("1.5")},
		{"$id": int64(2), "title": "skip", "amount": field.Decimal("9")},
		{"$id": int64(3), "title": "book", "amount": nil},
		{"$id": int64(4), "title": "desk", "amount": field.Decimal("120")},
	}
	i := 0
	rows := s.Run(func() (translate.Record, error) {
		if i == len(records) {
			return nil, io.EOF
		}
		i++
		return records[i-1], nil
	})
	fmt.Println(rows.Columns())
	dest := make([]driver.Value, len(s.Columns))
	for {
		if err := rows.Next(dest); err != nil {
			if err != io.EOF {
				fmt.Println(err)
			}
			break
		}
		fmt.Println(dest[0], dest[1])
	}
	// Output:
	// [title twice]
	// desk 240
	// pen 3.0
	// book <nil>
}

// Unsupported SQL names the construct and where it is.
func ExampleUnsupportedError() {
	_, err := translate.Translate(context.Background(),
		"SELECT title\nFROM ORDERS\nWHERE title REGEXP '^A'",
		exampleSchema(), translate.Options{}, nil)
	var ue *translate.UnsupportedError
	if errors.As(err, &ue) {
		fmt.Println(ue.Construct, "at", ue.Pos)
	}
	fmt.Println(errors.Is(err, translate.ErrUnsupported))
	// Output:
	// REGEXP at line 3, column 13
	// true
}

// Explain describes a plan: what Kintone reads, then the tree of what Go
// does over the records, the root first.
func ExampleSelect_Explain() {
	st, err := translate.Translate(context.Background(),
		"SELECT COUNT(*) FROM ORDERS WHERE due < '2024-06-01'", exampleSchema(), translate.Options{}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(st.(*translate.Select).Explain())
	// Output:
	// strategy: seek
	// app: 42
	// query: due < "2024-06-01" order by $id asc
	// fields: $id, due
	// page size: 500
	// plan:
	//   project COUNT(*)
	//   └─ group by 0 keys, 1 aggregates (holds one entry per group)
	//      └─ filter: due IS NOT NULL
	//         └─ kintone read of app 42 (seek)
}
