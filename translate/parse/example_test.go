package parse_test

import (
	"fmt"

	"github.com/kintone-sql/kintone/translate/parse"
)

func Example() {
	p, err := parse.Parse("SELECT 顧客名, COUNT(*) AS n\nFROM 顧客 WHERE $id > ? GROUP BY 顧客名")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(parse.Format(p.Stmt))
	fmt.Println("arguments:", p.NumInput())
	parse.Inspect(p.Stmt, func(n parse.Node) bool {
		if c, ok := n.(*parse.ColumnRef); ok {
			fmt.Printf("column %s at %s\n", c.Name.Name, p.Position(c.Pos()))
		}
		return true
	})

	_, err = parse.Parse("SELECT a\nFROM t WHERE a = = 1")
	fmt.Println(err)
	// Output:
	// SELECT 顧客名, COUNT(*) AS n FROM 顧客 WHERE $id > ? GROUP BY 顧客名
	// arguments: 1
	// column 顧客名 at line 1, column 8
	// column $id at line 2, column 15
	// column 顧客名 at line 2, column 32
	// kintone: SQL syntax error at line 2, column 18 near "=": expected an expression, found '='
}
