package parse

// This file is the fast path of a bulk INSERT, as translate/valuesrun.go
// has it. A program that writes N records in one statement sends INSERT
// INTO t (c1, ..., ck) VALUES (?, ..., ?), (?, ..., ?), ... : for 10,000
// rows of 20 columns, 600 KB of SQL and 420,000 tokens (past
// MaxStatementTokens) that say only that every row after the first is the
// first again with the next arguments.
//
// The lexer recognises such a run: the rows after the first that hold
// exactly the first row's number of ? placeholders and nothing else
// (blanks aside). It lexes the first row as usual, records where each
// later row starts, and gives the parser one tRun token in their place;
// the parser puts the first row in Insert.Rows and the run in
// Insert.Run. Rows holding literals, DEFAULT, :name or expressions take
// the general path.

// ParamRun is the rows of an INSERT's VALUES after the first when they
// are all ? placeholders: they are not parsed one by one, but their
// placeholders' ordinals and offsets follow from the run.
type ParamRun struct {
	Span
	PerRow int   // placeholders in a row, as in the first row
	First  int   // ordinal of the run's first placeholder
	Starts []int // offset of the "(" of each row of the run
	skip   int   // offset just past the first row
	src    string
}

// Rows returns the number of rows of the run.
func (r *ParamRun) Rows() int { return len(r.Starts) }

// Params returns the placeholders of row i of the run (0 is the row
// after the first), with their ordinals and offsets, appended to buf.
func (r *ParamRun) Params(i int, buf []Param) []Param {
	ord := r.First + i*r.PerRow
	for j := r.Starts[i]; j < len(r.src); j++ {
		switch r.src[j] {
		case '?':
			buf = append(buf, Param{Span: Span{j, j + 1}, Ordinal: ord})
			ord++
		case ')':
			return buf
		}
	}
	return buf
}

// scanRun looks for a run at sql[i], the "(" of a VALUES list's first row
// when the statement is an INSERT. firstOrdinal is the ordinal of the
// first row's first placeholder. It returns nil when there is none.
func scanRun(sql string, i, firstOrdinal int) *ParamRun {
	end, per := scanParamRow(sql, i)
	if per == 0 {
		return nil
	}
	run := &ParamRun{PerRow: per, First: firstOrdinal + per, skip: end}
	for {
		j := skipBlanks(sql, end)
		if j >= len(sql) || sql[j] != ',' {
			break
		}
		j = skipBlanks(sql, j+1)
		next, n := scanParamRow(sql, j)
		if n != per {
			break // a row of another shape: it and the rest take the general path
		}
		run.Starts = append(run.Starts, j)
		end = next
	}
	if len(run.Starts) == 0 {
		return nil
	}
	if j := skipBlanks(sql, end); j < len(sql) && sql[j] == ',' {
		// More rows of another shape follow: the whole list takes the
		// general path, which keeps the rows in order.
		return nil
	}
	run.Span = Span{run.Starts[0], end}
	return run
}

// scanParamRow scans "(?, ?, ..., ?)" at sql[i], blanks allowed between
// the tokens, and returns the offset past it and its number of
// placeholders; 0 placeholders when sql[i] does not start such a row.
func scanParamRow(sql string, i int) (end, n int) {
	if i >= len(sql) || sql[i] != '(' {
		return 0, 0
	}
	j := i + 1
	for {
		j = skipBlanks(sql, j)
		if j >= len(sql) || sql[j] != '?' {
			return 0, 0
		}
		n++
		j = skipBlanks(sql, j+1)
		if j >= len(sql) {
			return 0, 0
		}
		switch sql[j] {
		case ')':
			return j + 1, n
		case ',':
			j++
		default:
			return 0, 0
		}
	}
}

// skipBlanks returns the offset of the first byte at or after i that is
// not a space, tab or line break.
func skipBlanks(sql string, i int) int {
	for i < len(sql) && (sql[i] == ' ' || sql[i] == '\t' || sql[i] == '\n' || sql[i] == '\r') {
		i++
	}
	return i
}
