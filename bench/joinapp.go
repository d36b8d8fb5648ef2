package main

import (
	"fmt"
	"strconv"

	"github.com/kintone-sql/kintone/kintonetest"
)

// The join jobs' apps: orders, and the customers they name by code. An
// app of n orders comes with n/20 customers (100,000 orders, 5,000
// customers), and the orders name their customers in turn from a range a
// twentieth wider than the customers there are, so that one order in 21
// names a customer that does not exist: an inner join drops it, a LEFT
// JOIN keeps it with NULLs. Records are pure functions of their index;
// peer/peer.mjs knows only the field codes (keep them in step).

// regions are the customers' regions, in turn.
var regions = []string{"north", "south", "east", "west", "central"}

// ordersName and customersName are the apps' names (and so the SQL
// tables) for n orders.
func ordersName(n int) string    { return "orders_" + strconv.Itoa(n) }
func customersName(n int) string { return "customers_" + strconv.Itoa(customerCount(n)) }

// customerCount is the number of customers that come with n orders.
func customerCount(n int) int { return max(1, n/20) }

// customerSpread is how many customer codes n orders name in turn: the
// customers, and a twentieth more that do not exist.
func customerSpread(n int) int {
	m := customerCount(n)
	return m + m/20
}

// customerCode is the code of customer j.
func customerCode(j int) string { return fmt.Sprintf("C%06d", j) }

// orderCustomer is the index of the customer order i of n names (it
// exists when below customerCount(n)).
func orderCustomer(i, n int) int { return i % customerSpread(n) }

func ordersFields() []kintonetest.Field {
	return []kintonetest.Field{
		{Code: "seq", Type: "NUMBER"},
		{Code: "customer", Type: "SINGLE_LINE_TEXT"},
		{Code: "amount", Type: "NUMBER"},
		{Code: "day", Type: "DATE"},
		{Code: "status", Type: "DROP_DOWN", Options: []string{"open", "paid", "shipped"}},
	}
}

func customersFields() []kintonetest.Field {
	return []kintonetest.Field{
		{Code: "code", Type: "SINGLE_LINE_TEXT"},
		{Code: "name", Type: "SINGLE_LINE_TEXT"},
		{Code: "region", Type: "DROP_DOWN", Options: regions},
	}
}

// orderRecord is order i of n.
func orderRecord(i, n int) kintonetest.Record {
	return kintonetest.Record{
		"seq":      strconv.Itoa(i),
		"customer": customerCode(orderCustomer(i, n)),
		"amount":   fmt.Sprintf("%d.%02d", i*37%10000, i%100),
		"day":      fmt.Sprintf("2026-%02d-%02d", 1+i%12, 1+i%28),
		"status":   []string{"open", "paid", "shipped"}[i%3],
	}
}

// customerRecord is customer j.
func customerRecord(j int) kintonetest.Record {
	return kintonetest.Record{
		"code":   customerCode(j),
		"name":   "customer " + strconv.Itoa(j),
		"region": regions[j%len(regions)],
	}
}

// smallOrders is the range of seq the "join small" job selects on an app
// of n orders: 50 orders from the middle of the app.
func smallOrders(n int) (lo, hi int) {
	lo = n / 2
	return lo, lo + 50
}

// smallSQL and smallKQL are that selection, as the driver's WHERE (on the
// orders' alias o) and as the official client's condition.
func smallSQL(n int) string {
	lo, hi := smallOrders(n)
	return fmt.Sprintf("o.seq >= %d AND o.seq < %d", lo, hi)
}

func smallKQL(n int) string {
	lo, hi := smallOrders(n)
	return fmt.Sprintf("seq >= %d and seq < %d", lo, hi)
}

// The "join, customers of a region" job selects the customers of
// regions[0], as SQL and as the official client's condition.
const (
	regionSQL = "c.region = 'north'"
	regionKQL = `region in ("north")`
)

// joinCounts counts, on an app of n orders: the orders "join small"
// selects, how many of them have a customer, and the distinct customer
// codes they name; the orders with a customer; the regions those
// customers are in; the customers of regions[0], and the pages of their
// orders when those are read by code, 500 codes a query in $id order.
type joinCounts struct {
	small, smallMatched, smallCodes int
	matched, regions                int
	regionCustomers, regionOrders   int
	regionPages                     int
}

func countJoin(n int) joinCounts {
	var c joinCounts
	m := customerCount(n)
	lo, hi := smallOrders(n)
	codes := map[int]bool{}
	regionSeen := map[string]bool{}
	for i := range n {
		j := orderCustomer(i, n)
		if i >= lo && i < hi {
			c.small++
			codes[j] = true
			if j < m {
				c.smallMatched++
			}
		}
		if j < m {
			c.matched++
			regionSeen[regions[j%len(regions)]] = true
		}
	}
	c.smallCodes, c.regions = len(codes), len(regionSeen)
	// The orders of each customer, for the region's batches.
	per := make([]int, m)
	for i := range n {
		if j := orderCustomer(i, n); j < m {
			per[j]++
		}
	}
	batch, inBatch := 0, 0
	for j := 0; j < m; j += len(regions) { // regions[0]: every fifth customer
		c.regionCustomers++
		c.regionOrders += per[j]
		batch += per[j]
		inBatch++
		if inBatch == 500 || j+len(regions) >= m {
			c.regionPages += max(1, ceilDiv(batch, 500))
			batch, inBatch = 0, 0
		}
	}
	return c
}

// loadJoinApps creates the orders app of n records and its customers app.
func loadJoinApps(srv *kintonetest.Server, n int) (orders, customers int64, err error) {
	if orders, err = srv.CreateApp(kintonetest.App{Name: ordersName(n), Fields: ordersFields()}); err != nil {
		return 0, 0, fmt.Errorf("creating app %s: %w", ordersName(n), err)
	}
	if customers, err = srv.CreateApp(kintonetest.App{Name: customersName(n), Fields: customersFields()}); err != nil {
		return 0, 0, fmt.Errorf("creating app %s: %w", customersName(n), err)
	}
	const chunk = 10_000
	recs := make([]kintonetest.Record, 0, chunk)
	m := customerCount(n)
	for i := 0; i < m; i += chunk {
		recs = recs[:0]
		for j := i; j < min(m, i+chunk); j++ {
			recs = append(recs, customerRecord(j))
		}
		if _, err := srv.AddRecords(customers, recs...); err != nil {
			return 0, 0, fmt.Errorf("loading app %s: %w", customersName(n), err)
		}
	}
	for i := 0; i < n; i += chunk {
		recs = recs[:0]
		for j := i; j < min(n, i+chunk); j++ {
			recs = append(recs, orderRecord(j, n))
		}
		if _, err := srv.AddRecords(orders, recs...); err != nil {
			return 0, 0, fmt.Errorf("loading app %s: %w", ordersName(n), err)
		}
	}
	return orders, customers, nil
}
