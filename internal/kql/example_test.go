package kql_test

import (
	"errors"
	"fmt"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/internal/kql"
)

// Parse keeps the tree as written: and binds tighter than or, parentheses
// stay as *Paren, and a sort key without a direction is descending but not
// Explicit.
func ExampleParse() {
	q, err := kql.Parse(`(num >= 10 or title = "seed") and 作成者 in (LOGINUSER()) order by num limit 5`)
	if err != nil {
		fmt.Println(err)
		return
	}
	kinds := map[kql.ValueKind]string{kql.String: "string", kql.Number: "number", kql.Func: "function"}
	and := q.Where.(*kql.And)
	group := and.Terms[0].(*kql.Paren).X.(*kql.Or)
	for _, t := range group.Terms {
		c := t.(*kql.Cond)
		fmt.Printf("%s %s %s %q at byte %d\n", c.Field, c.Op, kinds[c.Values[0].Kind], c.Values[0].Text, c.At)
	}
	user := and.Terms[1].(*kql.Cond)
	fmt.Printf("%s %s %s()\n", user.Field, user.Op, user.Values[0].Text)
	k := q.OrderBy[0]
	fmt.Printf("order by %s: desc=%v explicit=%v; limit %d\n", k.Field, k.Desc, k.Explicit, *q.Limit)
	fmt.Println(q)
	// Output:
	// num >= number "10" at byte 1
	// title = string "seed" at byte 14
	// 作成者 in LOGINUSER()
	// order by num: desc=true explicit=false; limit 5
	// (num >= 10 or title = "seed") and 作成者 in (LOGINUSER()) order by num desc limit 5
}

// A *SyntaxError names the byte offset and what was expected there.
func ExampleParse_syntaxError() {
	_, err := kql.Parse(`title = 'x'`)
	fmt.Println(err)
	var se *kql.SyntaxError
	if errors.As(err, &se) {
		fmt.Println(se.Pos, se.Msg)
	}
	_, err = kql.Parse(`limit 10 order by $id asc`)
	fmt.Println(err)
	// Output:
	// kql: syntax error at offset 8: strings take double quotes, not single quotes
	// 8 strings take double quotes, not single quotes
	// kql: syntax error at offset 9: "order" is out of place: the clauses go condition, order by, limit, offset, each at most once
}

func ExampleQuote() {
	fmt.Println(kql.Quote(`say "hi"`))
	fmt.Println(kql.Quote(`C:\temp`))
	fmt.Println(kql.Quote("line 1\nline 2\tend"))
	// Output:
	// "say \"hi\""
	// "C:\\temp"
	// "line 1\nline 2\tend"
}

// The driver builds a tree and prints it: every value goes through Quote,
// mixed and/or groups get parentheses, and every sort key its direction.
func ExampleQuery_String() {
	limit := int64(500)
	q := &kql.Query{
		Where: &kql.And{Terms: []kql.Expr{
			&kql.Or{Terms: []kql.Expr{
				&kql.Cond{Field: "num", Op: field.Ge, Values: []kql.Value{{Kind: kql.Number, Text: "10"}}},
				&kql.Cond{Field: "title", Op: field.Eq, Values: []kql.Value{{Kind: kql.String, Text: `a "quoted" title`}}},
			}},
			&kql.Cond{Field: "$id", Op: field.Gt, Values: []kql.Value{{Kind: kql.Number, Text: "558"}}},
			&kql.Cond{Field: "期日", Op: field.Lt, Values: []kql.Value{{Kind: kql.Func, Text: "FROM_TODAY", Args: []string{"-30", "DAYS"}}}},
		}},
		OrderBy: []kql.OrderKey{{Field: "$id"}},
		Limit:   &limit,
	}
	fmt.Println(q)
	// Output:
	// (num >= 10 or title = "a \"quoted\" title") and $id > 558 and 期日 < FROM_TODAY(-30, DAYS) order by $id asc limit 500
}
