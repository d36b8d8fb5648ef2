package kintonetest

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"
)

// Demo app sizes: big enough that paging, cursors and batching show (more
// than one 500-record page), small enough to seed in well under a second.
const (
	demoCustomers = 120
	demoOrders    = 1500
	demoTasks     = 240
)

// SeedDemo creates the demo apps the command line serves with --demo:
//
//   - "Customers" (app code CUSTOMERS): companies with a unique customer
//     code, industry, country, contact e-mail and website.
//   - "Orders" (ORDERS): orders referencing a customer code, with a status
//     drop-down, tags (check box), a total and a line-item subtable.
//   - "Tasks" (TASKS): to-dos with an assignee (user selection), priority,
//     due date and a done flag.
//
// The data is generated from a fixed seed, so every run (and every machine)
// gets the same records; dates are relative to the server's clock. The apps
// get IDs 1, 2 and 3 on an empty server.
func (s *Server) SeedDemo() error {
	rng := rand.New(rand.NewPCG(2026, 11))
	now := s.now().In(s.cfg.loc)
	first, _ := s.dir.firstUser()

	customers, err := s.CreateApp(App{
		Name: "Customers", Code: "CUSTOMERS", Description: "Demo: companies we sell to.",
		Fields: []Field{
			{Code: "customer_code", Type: "SINGLE_LINE_TEXT", Label: "Customer code", Required: true, Unique: true, MaxLength: 16},
			{Code: "company", Type: "SINGLE_LINE_TEXT", Label: "Company", Required: true},
			{Code: "industry", Type: "DROP_DOWN", Label: "Industry", Options: demoIndustries},
			{Code: "country", Type: "SINGLE_LINE_TEXT", Label: "Country"},
			{Code: "email", Type: "LINK", Label: "Contact e-mail", Protocol: "MAIL"},
			{Code: "website", Type: "LINK", Label: "Website", Protocol: "WEB"},
			{Code: "since", Type: "DATE", Label: "Customer since"},
			{Code: "notes", Type: "MULTI_LINE_TEXT", Label: "Notes"},
		},
	})
	if err != nil {
		return err
	}
	recs := make([]Record, demoCustomers)
	for i := range recs {
		name := demoCompanyName(rng, i)
		slug := demoSlug(name)
		recs[i] = Record{
			"customer_code": fmt.Sprintf("C%04d", i+1),
			"company":       name,
			"industry":      demoIndustries[rng.IntN(len(demoIndustries))],
			"country":       demoCountries[rng.IntN(len(demoCountries))],
			"email":         "contact@" + slug + ".example",
			"website":       "https://www." + slug + ".example/",
			"since":         now.AddDate(0, 0, -rng.IntN(3650)).Format("2006-01-02"),
			"notes":         demoNotes[rng.IntN(len(demoNotes))],
		}
	}
	if _, err := s.AddRecords(customers, recs...); err != nil {
		return err
	}

	orders, err := s.CreateApp(App{
		Name: "Orders", Code: "ORDERS", Description: "Demo: orders with line items.",
		Fields: []Field{
			{Code: "order_no", Type: "SINGLE_LINE_TEXT", Label: "Order number", Required: true, Unique: true},
			{Code: "customer_code", Type: "SINGLE_LINE_TEXT", Label: "Customer code", Required: true},
			{Code: "ordered_at", Type: "DATETIME", Label: "Ordered at"},
			{Code: "status", Type: "DROP_DOWN", Label: "Status", Options: demoStatuses, Default: "New"},
			{Code: "tags", Type: "CHECK_BOX", Label: "Tags", Options: demoTags},
			{Code: "total", Type: "NUMBER", Label: "Total"},
			{Code: "items", Type: "SUBTABLE", Label: "Items", Fields: []Field{
				{Code: "product", Type: "SINGLE_LINE_TEXT", Label: "Product"},
				{Code: "quantity", Type: "NUMBER", Label: "Quantity"},
				{Code: "unit_price", Type: "NUMBER", Label: "Unit price"},
			}},
		},
	})
	if err != nil {
		return err
	}
	recs = make([]Record, demoOrders)
	for i := range recs {
		var rows []Record
		total := 0
		for range 1 + rng.IntN(4) {
			p := rng.IntN(len(demoProducts))
			qty := 1 + rng.IntN(9)
			total += qty * demoPrices[p]
			rows = append(rows, Record{
				"product":    demoProducts[p],
				"quantity":   strconv.Itoa(qty),
				"unit_price": strconv.Itoa(demoPrices[p]),
			})
		}
		var tags []string
		for _, t := range demoTags {
			if rng.IntN(4) == 0 {
				tags = append(tags, t)
			}
		}
		if tags == nil {
			tags = []string{}
		}
		at := now.Add(-time.Duration(rng.IntN(365*24*60)) * time.Minute).Truncate(time.Minute)
		recs[i] = Record{
			"order_no":      fmt.Sprintf("SO-%05d", i+1),
			"customer_code": fmt.Sprintf("C%04d", 1+rng.IntN(demoCustomers)),
			"ordered_at":    at,
			"status":        demoStatuses[rng.IntN(len(demoStatuses))],
			"tags":          tags,
			"total":         strconv.Itoa(total),
			"items":         rows,
		}
	}
	if _, err := s.AddRecords(orders, recs...); err != nil {
		return err
	}

	tasks, err := s.CreateApp(App{
		Name: "Tasks", Code: "TASKS", Description: "Demo: a team's to-do list.",
		Fields: []Field{
			{Code: "title", Type: "SINGLE_LINE_TEXT", Label: "Title", Required: true},
			{Code: "assignee", Type: "USER_SELECT", Label: "Assignee"},
			{Code: "priority", Type: "RADIO_BUTTON", Label: "Priority", Options: []string{"High", "Medium", "Low"}, Default: "Medium"},
			{Code: "due", Type: "DATE", Label: "Due date"},
			{Code: "done", Type: "CHECK_BOX", Label: "Done", Options: []string{"Done"}},
			{Code: "estimate_hours", Type: "NUMBER", Label: "Estimate (hours)"},
		},
	})
	if err != nil {
		return err
	}
	recs = make([]Record, demoTasks)
	for i := range recs {
		done := []string{}
		if rng.IntN(3) == 0 {
			done = []string{"Done"}
		}
		recs[i] = Record{
			"title":          demoVerbs[rng.IntN(len(demoVerbs))] + " " + demoObjects[rng.IntN(len(demoObjects))],
			"assignee":       []map[string]string{{"code": first.Login}},
			"priority":       []string{"High", "Medium", "Low"}[rng.IntN(3)],
			"due":            now.AddDate(0, 0, rng.IntN(60)-20).Format("2006-01-02"),
			"done":           done,
			"estimate_hours": strconv.FormatFloat(float64(1+rng.IntN(32))/2, 'f', -1, 64),
		}
	}
	_, err = s.AddRecords(tasks, recs...)
	return err
}

func demoCompanyName(rng *rand.Rand, i int) string {
	return demoNameParts[rng.IntN(len(demoNameParts))] + " " +
		demoNameSuffixes[(i+rng.IntN(len(demoNameSuffixes)))%len(demoNameSuffixes)] + " " + strconv.Itoa(i+1)
}

func demoSlug(name string) string {
	b := make([]byte, 0, len(name))
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'A' && c <= 'Z':
			b = append(b, c+'a'-'A')
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b = append(b, c)
		}
	}
	return string(b)
}

var (
	demoIndustries   = []string{"Manufacturing", "Retail", "Software", "Logistics", "Healthcare", "Finance"}
	demoCountries    = []string{"Japan", "United States", "Germany", "France", "Brazil", "India", "Australia"}
	demoNameParts    = []string{"Sakura", "Fuji", "Blue River", "Northwind", "Tanaka", "Orion", "Maple", "Kite"}
	demoNameSuffixes = []string{"Trading", "Systems", "Foods", "Logistics", "Labs", "Works"}
	demoNotes        = []string{"", "Prefers e-mail.", "Key account.\nQuarterly review.", "Pays on time.", "Asked for a discount."}
	demoStatuses     = []string{"New", "Paid", "Shipped", "Cancelled"}
	demoTags         = []string{"Rush", "Gift", "Wholesale"}
	demoProducts     = []string{"Green tea 100g", "Matcha 30g", "Tea set", "Kettle", "Cups (4)"}
	demoPrices       = []int{1200, 2400, 8800, 5600, 3200}
	demoVerbs        = []string{"Call", "Invoice", "Review", "Ship", "Plan", "Update"}
	demoObjects      = []string{"the quarterly report", "new customers", "open orders", "the price list", "the website"}
)
