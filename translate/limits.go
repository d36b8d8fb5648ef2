package translate

import "github.com/kintone-sql/kintone/translate/parse"

// The bounds on a statement, checked by the parser as it reads the text
// (translate/parse): the parser's stack grows with every level of
// nesting, and translating costs a few hundred bytes per token, so a
// statement past these is refused at once with an *Error instead.
const (
	// MaxStatementBytes is the longest statement text, 16 MiB. A bulk
	// INSERT of placeholder rows needs about 3 bytes per value (100,000
	// rows of 20 columns is 6 MB).
	MaxStatementBytes = parse.MaxStatementBytes
	// MaxStatementTokens is the most tokens (words, literals, operators,
	// punctuation) a statement may hold, 200,000: an INSERT of 4,000
	// rows of 20 literals, or an IN list of 100,000 literals. The rows of
	// an INSERT after the first that are all placeholders are not
	// tokenized and do not count.
	MaxStatementTokens = parse.MaxStatementTokens
	// MaxNesting is the deepest an expression may nest, 200 levels:
	// parentheses, CASE ... END, and runs of prefix operators (NOT, !,
	// -, +, ~), each of which the parser stacks.
	MaxNesting = parse.MaxNesting
)
