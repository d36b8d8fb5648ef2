package bind

import "github.com/kintone-sql/kintone/translate/parse"

// This file names the output columns of a select list the way MySQL does:
// an item without an alias is named by its text as the statement wrote it
// (case, spacing and quoting kept), a column by its name, and a lone string
// literal by its value (MySQL's SELECT 'hello' is a column named hello).

// itemName is the name of the result column of select item si: its
// alias, or the name MySQL gives the expression.
func itemName(si *parse.SelectItem) string {
	if si.Alias != nil {
		return si.Alias.Name // AS '' names the column "", as in MySQL
	}
	switch n := si.Expr.(type) {
	case *parse.ColumnRef:
		return n.Name.Name
	case *parse.Literal:
		if n.Kind == parse.LitString {
			return n.Value
		}
	}
	return si.Text
}
