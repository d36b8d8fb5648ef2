package exec

import (
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/translate/expr"
)

// MaxConcatBytes bounds a GROUP_CONCAT result. MySQL cuts the result at
// group_concat_max_len (1024 bytes by default) with a warning; this
// engine never cuts a value silently, and has no session variable to
// raise the bound, so it allows what MySQL's max_allowed_packet allows
// (64 MiB) and fails past it.
const MaxConcatBytes = expr.MaxResultBytes

// concatAcc is GROUP_CONCAT([DISTINCT] x, ... [ORDER BY ...] [SEPARATOR
// s]): the rows whose arguments are all non-NULL, each the text of its
// arguments run together, in the ORDER BY's order (NULL keys first
// ascending, as ORDER BY sorts) or the order the rows came in, joined by
// the separator; NULL over no such rows.
type concatAcc struct {
	agg   *expr.Agg
	seen  map[string]bool
	loc   *time.Location
	items []concatItem
	size  int
}

type concatItem struct {
	text string
	keys []any
}

func (c *concatAcc) add(args []any) error {
	n := len(c.agg.Args)
	vals := args[:n]
	for _, v := range vals {
		if v == nil {
			return nil
		}
	}
	if c.seen != nil {
		k := expr.RowKey(vals)
		if c.seen[k] {
			return nil
		}
		c.seen[k] = true
	}
	var b strings.Builder
	for _, v := range vals {
		b.WriteString(expr.TextOf(v))
	}
	if len(c.items) > 0 {
		c.size += len(c.agg.Sep)
	}
	c.size += b.Len()
	if c.size > MaxConcatBytes {
		return fmt.Errorf("the result would be longer than %d bytes", MaxConcatBytes)
	}
	c.items = append(c.items, concatItem{text: b.String(), keys: append([]any(nil), args[n:]...)})
	return nil
}

func (c *concatAcc) result() any {
	if len(c.items) == 0 {
		return nil
	}
	if len(c.agg.Order) > 0 {
		sort.SliceStable(c.items, func(i, j int) bool {
			for k, o := range c.agg.Order {
				r, err := expr.CompareNullsFirst(c.items[i].keys[k], c.items[j].keys[k], c.loc)
				if err != nil {
					// Values that cannot be ordered (lists) are refused
					// when the statement is bound; keep the input order.
					return false
				}
				if o.Desc {
					r = -r
				}
				if r != 0 {
					return r < 0
				}
			}
			return false
		})
	}
	texts := make([]string, len(c.items))
	for i, it := range c.items {
		texts[i] = it.text
	}
	return strings.Join(texts, c.agg.Sep)
}

// statAcc is STD, STDDEV, STDDEV_POP, STDDEV_SAMP, VARIANCE, VAR_POP and
// VAR_SAMP over the non-NULL values: the sums are exact, the variance
// exact until it is given as MySQL gives it, a DOUBLE (the decimal of the
// double's shortest text, as POW's results are), and a deviation is the
// double's square root. Over no values the result is NULL, and so are
// the sample ones over one value.
type statAcc struct {
	fn         string
	sum, sumSq big.Rat
	n          int64
}

func (s *statAcc) add(args []any) error {
	v := args[0]
	if v == nil {
		return nil
	}
	r, _, ok := expr.ToRat(v)
	if !ok {
		return fmt.Errorf("%s is not a number", expr.QuoteValue(v))
	}
	s.sum.Add(&s.sum, r)
	s.sumSq.Add(&s.sumSq, new(big.Rat).Mul(r, r))
	s.n++
	return nil
}

func (s *statAcc) result() any {
	sample := s.fn == "stddev_samp" || s.fn == "var_samp"
	if s.n == 0 || sample && s.n == 1 {
		return nil
	}
	n := new(big.Rat).SetInt64(s.n)
	// n * sum of squares - sum^2, over n^2 (population) or n(n-1).
	num := new(big.Rat).Mul(n, &s.sumSq)
	num.Sub(num, new(big.Rat).Mul(&s.sum, &s.sum))
	den := new(big.Rat).Mul(n, n)
	if sample {
		den = new(big.Rat).Mul(n, new(big.Rat).SetInt64(s.n-1))
	}
	variance, _ := new(big.Rat).Quo(num, den).Float64()
	switch s.fn {
	case "variance", "var_pop", "var_samp":
	default:
		variance = math.Sqrt(variance)
	}
	if variance == 0 {
		variance = 0 // no negative zero
	}
	return field.Decimal(strconv.FormatFloat(variance, 'f', -1, 64))
}
