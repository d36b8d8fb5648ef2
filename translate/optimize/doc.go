// Package optimize holds the rules that decide what Kintone does of a
// plan: which part of a WHERE its query language answers with SQL's
// meaning (Pusher.SplitWhere, with the exactness classes exact, except
// empty, superset and not pushed), which sort keys it orders as SQL does
// (SortsLikeSQL), the tie-break that fixes the order of equal keys
// (WithIDTieBreak), and how the records are read (ChooseRead), an ORDER
// BY a drop-down or radio button with a LIMIT as a read per option
// (MaxOptionReads) after a page of every record, which answers alone
// when they are fewer than a page.
//
// It takes bound expressions and tables and gives Kintone query
// language (internal/kql) and the residual expressions Go must evaluate.
// It does no I/O. The optimizer is the only stage that knows what Kintone
// can do: the executor runs whatever it is left.
package optimize
