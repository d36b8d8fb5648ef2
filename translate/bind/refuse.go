package bind

import (
	"github.com/kintone-sql/kintone/translate/parse"
	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// RefuseUnsupported returns an *UnsupportedError for the first construct
// of the statement, in source order, that the parser reads but the
// engine does not run yet: CONVERT ... USING and CAST to the
// types the engine has no values for (BINARY, JSON, DOUBLE, ...),
// COLLATE, REGEXP, the bit operators, row constructors and the literals
// it has no values for. Each points at the construct it names. What
// depends on where it stands (DEFAULT, VALUES(col), INTERVAL, the
// functions and aggregates) is checked as the expressions are built.
func RefuseUnsupported(src *Text, root parse.Node) error {
	var err error
	parse.Inspect(root, func(n parse.Node) bool {
		if err != nil || n == nil {
			return false
		}
		if d, ok := n.(*parse.DerivedTable); ok {
			// A subquery in FROM: its query is checked, not refused.
			err = RefuseUnsupported(src, d.Query.Query)
			return false
		}
		construct, at, hint := unsupportedNode(src, n)
		if construct != "" {
			err = &sqlerr.UnsupportedError{Construct: construct, Pos: src.Pos(at), Hint: hint}
			return false
		}
		return true
	})
	return err
}

// unsupportedNode names node n when the engine does not run it, with
// Where it stands and what to write instead; construct is "" otherwise.
func unsupportedNode(src *Text, n parse.Node) (construct string, at int, hint string) {
	switch n := n.(type) {
	case *parse.Select:
		if n.StraightJoin {
			return "STRAIGHT_JOIN", straightJoinPos(src, n), ""
		}
	case *parse.Update:
		if len(n.Tables) > 1 {
			return "join (tables separated by commas)", src.Next(n.Tables[0].End()), ""
		}
	case *parse.Cast:
		if n.Type == nil {
			return "CONVERT ... USING", n.Pos(), ""
		}
		if !castTypes[n.Type.Name] {
			return "CAST AS " + n.Type.Name, n.Type.Pos(), "the types are SIGNED, UNSIGNED, DECIMAL, CHAR, DATE, DATETIME and TIME"
		}
	case *parse.Collate:
		return "COLLATE", src.Next(n.X.End()), "text always compares byte by byte"
	case *parse.Like:
		if n.Regexp {
			op := "REGEXP"
			if n.Not {
				op = "NOT REGEXP"
			}
			return op, n.OpPos, "use LIKE"
		}
	case *parse.Binary:
		switch n.Op {
		case "|", "&", "<<", ">>", "^":
			return "operator " + n.Op, n.OpPos, ""
		}
	case *parse.Unary:
		switch n.Op {
		case "~", "BINARY":
			return "operator " + n.Op, n.Pos(), ""
		}
	case *parse.Is:
		if n.What == "UNKNOWN" {
			return "IS UNKNOWN", n.OpPos, "write IS NULL"
		}
	case *parse.Tuple:
		return "row constructor (a, b, ...)", n.Pos(), ""
	case *parse.Literal:
		switch n.Kind {
		case parse.LitBit:
			return "bit literal b'...'", n.Pos(), ""
		case parse.LitDate, parse.LitTime, parse.LitTimestamp:
			kw := map[parse.LitKind]string{parse.LitDate: "DATE", parse.LitTime: "TIME", parse.LitTimestamp: "TIMESTAMP"}[n.Kind]
			return kw + " '...' literal", n.Pos(), "write the value as a string, without " + kw
		}
	}
	return "", 0, ""
}

// straightJoinPos is the offset of the STRAIGHT_JOIN of SELECT
// [SQL_CACHE | SQL_NO_CACHE] [ALL | DISTINCT] STRAIGHT_JOIN: the keywords
// before it are the grammar's, in that order.
func straightJoinPos(src *Text, s *parse.Select) int {
	at := src.Next(s.Pos() + len("SELECT"))
	if s.Cache != "" {
		at = src.Next(at + len(s.Cache))
	}
	if s.All {
		at = src.Next(at + len("ALL"))
	}
	if s.Distinct {
		at = src.Next(at + len("DISTINCT"))
	}
	return at
}

// castTypes are the types CAST and CONVERT convert to.
var castTypes = map[string]bool{
	"SIGNED": true, "SIGNED INTEGER": true, "UNSIGNED": true, "UNSIGNED INTEGER": true,
	"DECIMAL": true, "CHAR": true, "DATE": true, "DATETIME": true, "TIME": true,
}
