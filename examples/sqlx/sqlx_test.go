package sqlxexample

import (
	"database/sql"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	kintone "github.com/kintone-sql/kintone"
	"github.com/kintone-sql/kintone/dsn"
	"github.com/kintone-sql/kintone/kintonetest"
)

func TestMain(m *testing.M) {
	// sqlx already binds an unknown driver's variables as ?; say it
	// explicitly, as an application should.
	sqlx.BindDriver("kintone", sqlx.QUESTION)
	os.Exit(m.Run())
}

// customer is a record of the customers app.
type customer struct {
	ID       int64          `db:"$id"`
	Revision int64          `db:"$revision"`
	Name     string         `db:"name"`
	City     sql.NullString `db:"city"`
	Credit   int64          `db:"credit"`
	Since    sql.NullTime   `db:"since"`
}

// customerColumns are the columns of customer, for SELECT lists.
const customerColumns = "`$id`, `$revision`, name, city, credit, since"

// seed is what newDB puts in the customers app, with $id 1 to 4.
var seed = []kintonetest.Record{
	{"name": "Aoi Trading", "city": "Tokyo", "credit": "500", "since": "2019-04-01"},
	{"name": "Blue Harbor", "city": "Osaka", "credit": "120"},
	{"name": "Cedar & Sons", "city": "Tokyo", "credit": "80", "since": "2023-11-15"},
	{"name": "Dune Logistics", "credit": "300"},
}

// newDB starts an emulator with the customers app holding seed and opens
// sqlx on it.
func newDB(t *testing.T) (*sqlx.DB, *kintonetest.Server) {
	t.Helper()
	srv, err := kintonetest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	app, err := srv.CreateApp(kintonetest.App{Name: "Customers", Code: "customers", Fields: []kintonetest.Field{
		{Code: "name", Type: "SINGLE_LINE_TEXT", Required: true, Unique: true},
		{Code: "city", Type: "SINGLE_LINE_TEXT"},
		{Code: "credit", Type: "NUMBER"},
		{Code: "since", Type: "DATE"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.AddRecords(app, seed...); err != nil {
		t.Fatal(err)
	}
	db, err := sqlx.Open("kintone", srv.DSN())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, srv
}

func date(s string) sql.NullTime {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return sql.NullTime{Time: d, Valid: true}
}

func text(s string) sql.NullString { return sql.NullString{String: s, Valid: true} }

// want are the seed records as customer values.
var want = []customer{
	{ID: 1, Revision: 1, Name: "Aoi Trading", City: text("Tokyo"), Credit: 500, Since: date("2019-04-01")},
	{ID: 2, Revision: 1, Name: "Blue Harbor", City: text("Osaka"), Credit: 120},
	{ID: 3, Revision: 1, Name: "Cedar & Sons", City: text("Tokyo"), Credit: 80, Since: date("2023-11-15")},
	{ID: 4, Revision: 1, Name: "Dune Logistics", Credit: 300},
}

// sameCustomers compares customers, dates by day (the driver returns them
// in the DSN's time zone).
func sameCustomers(t *testing.T, got, want []customer) {
	t.Helper()
	norm := func(cs []customer) []customer {
		out := make([]customer, len(cs))
		for i, c := range cs {
			if c.Since.Valid {
				c.Since.Time = date(c.Since.Time.Format("2006-01-02")).Time
			}
			out[i] = c
		}
		return out
	}
	if g, w := norm(got), norm(want); !reflect.DeepEqual(g, w) {
		t.Errorf("got  %+v\nwant %+v", g, w)
	}
}

func TestSelect(t *testing.T) {
	db, _ := newDB(t)
	tests := []struct {
		name  string
		query string
		args  []any
		want  []customer
	}{
		{"all, by $id", "SELECT " + customerColumns + " FROM customers ORDER BY `$id`", nil, want},
		{"where and order", "SELECT " + customerColumns + " FROM customers WHERE city = ? ORDER BY credit DESC", []any{"Tokyo"}, []customer{want[0], want[2]}},
		{"NULL city", "SELECT " + customerColumns + " FROM customers WHERE city IS NULL", nil, []customer{want[3]}},
		{"limit", "SELECT " + customerColumns + " FROM customers ORDER BY credit LIMIT 2", nil, []customer{want[2], want[1]}},
		{"nothing", "SELECT " + customerColumns + " FROM customers WHERE credit > ?", []any{10000}, []customer{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := []customer{}
			if err := db.Select(&got, tt.query, tt.args...); err != nil {
				t.Fatal(err)
			}
			sameCustomers(t, got, tt.want)
		})
	}
}

func TestSelectScalars(t *testing.T) {
	db, _ := newDB(t)
	var names []string
	if err := db.Select(&names, "SELECT name FROM customers WHERE credit >= ? ORDER BY name", 120); err != nil {
		t.Fatal(err)
	}
	if w := []string{"Aoi Trading", "Blue Harbor", "Dune Logistics"}; !reflect.DeepEqual(names, w) {
		t.Errorf("names = %q, want %q", names, w)
	}
	var byCity []struct {
		City  sql.NullString `db:"city"`
		N     int64          `db:"n"`
		Total int64          `db:"total"`
	}
	err := db.Select(&byCity, "SELECT city, COUNT(*) AS n, SUM(credit) AS total FROM customers GROUP BY city ORDER BY city")
	if err != nil {
		t.Fatal(err)
	}
	if len(byCity) != 3 || byCity[0].City.Valid || byCity[0].Total != 300 ||
		byCity[1].City.String != "Osaka" || byCity[2].City.String != "Tokyo" || byCity[2].N != 2 || byCity[2].Total != 580 {
		t.Errorf("by city = %+v", byCity)
	}
}

func TestSelectStarNeedsUnsafe(t *testing.T) {
	db, _ := newDB(t)
	// SELECT * returns the app's system fields too (record number,
	// creator, times), which customer has no place for.
	var got []customer
	err := db.Select(&got, "SELECT * FROM customers")
	if err == nil || !strings.Contains(err.Error(), "missing destination name") {
		t.Fatalf("Select * into customer: err = %v, want sqlx's missing destination name", err)
	}
	got = nil
	if err := db.Unsafe().Select(&got, "SELECT * FROM customers ORDER BY `$id`"); err != nil {
		t.Fatal(err)
	}
	sameCustomers(t, got, want)
}

func TestGet(t *testing.T) {
	db, _ := newDB(t)
	var c customer
	if err := db.Get(&c, "SELECT "+customerColumns+" FROM customers WHERE `$id` = ?", 3); err != nil {
		t.Fatal(err)
	}
	sameCustomers(t, []customer{c}, want[2:3])

	var credit int64
	if err := db.Get(&credit, "SELECT MAX(credit) FROM customers WHERE city = ?", "Tokyo"); err != nil {
		t.Fatal(err)
	}
	if credit != 500 {
		t.Errorf("max credit = %d, want 500", credit)
	}

	err := db.Get(&c, "SELECT "+customerColumns+" FROM customers WHERE name = ?", "Nobody")
	if !errors.Is(err, sql.ErrNoRows) {
		t.Errorf("Get of no record: err = %v, want sql.ErrNoRows", err)
	}
	err = db.Get(&c, "SELECT nickname FROM customers WHERE `$id` = ?", 1)
	if err == nil || !strings.Contains(err.Error(), "nickname") {
		t.Errorf("Get of an unknown column: err = %v, want one naming nickname", err)
	}
	err = db.Get(&c, "SELECT "+customerColumns+" FROM suppliers")
	if err == nil || !strings.Contains(err.Error(), "suppliers") {
		t.Errorf("Get from an unknown table: err = %v, want one naming suppliers", err)
	}
}

func TestIn(t *testing.T) {
	db, srv := newDB(t)
	if got := sqlx.BindType("kintone"); got != sqlx.QUESTION {
		t.Fatalf("BindType(kintone) = %d, want QUESTION", got)
	}
	tests := []struct {
		name     string
		query    string
		args     []any
		wantSQL  string
		wantName []string
	}{
		{
			"strings", "SELECT name FROM customers WHERE city IN (?) AND credit > ? ORDER BY `$id`",
			[]any{[]string{"Osaka", "Tokyo"}, 100},
			"SELECT name FROM customers WHERE city IN (?, ?) AND credit > ? ORDER BY `$id`",
			[]string{"Aoi Trading", "Blue Harbor"},
		},
		{
			"ids", "SELECT name FROM customers WHERE `$id` IN (?)",
			[]any{[]int64{4, 1, 99}},
			"SELECT name FROM customers WHERE `$id` IN (?, ?, ?)",
			[]string{"Aoi Trading", "Dune Logistics"},
		},
		{
			"one element", "SELECT name FROM customers WHERE name IN (?)",
			[]any{[]string{"Blue Harbor"}},
			"SELECT name FROM customers WHERE name IN (?)",
			[]string{"Blue Harbor"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, args, err := sqlx.In(tt.query, tt.args...)
			if err != nil {
				t.Fatal(err)
			}
			q = db.Rebind(q)
			if q != tt.wantSQL {
				t.Errorf("sqlx.In query = %q, want %q", q, tt.wantSQL)
			}
			srv.ResetStats()
			var names []string
			if err := db.Select(&names, q, args...); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(names, tt.wantName) {
				t.Errorf("names = %q, want %q", names, tt.wantName)
			}
			// The expanded statement is one read: a single GET.
			if n := srv.Stats().Count("GET", "records"); n != 1 {
				t.Errorf("GET records = %d, want 1", n)
			}
		})
	}

	// sqlx.In refuses an empty list, before anything is sent.
	if _, _, err := sqlx.In("SELECT name FROM customers WHERE city IN (?)", []string{}); err == nil {
		t.Error("sqlx.In with an empty list: no error")
	}

	// Without sqlx.In, the driver binds a []string to IN (?) itself.
	var names []string
	if err := db.Select(&names, "SELECT name FROM customers WHERE city IN (?) ORDER BY name DESC", []string{"Osaka", "Tokyo"}); err != nil {
		t.Fatal(err)
	}
	if w := []string{"Cedar & Sons", "Blue Harbor", "Aoi Trading"}; !reflect.DeepEqual(names, w) {
		t.Errorf("names = %q, want %q", names, w)
	}
}

// insertCustomer is sqlx's named INSERT of a customer.
const insertCustomer = "INSERT INTO customers (name, city, credit, since) VALUES (:name, :city, :credit, :since)"

func TestNamedExec(t *testing.T) {
	db, srv := newDB(t)
	check := func(res sql.Result, err error, wantID, wantRows int64) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if wantID != 0 {
			if id, err := res.LastInsertId(); err != nil || id != wantID {
				t.Errorf("LastInsertId = %d, %v; want %d", id, err, wantID)
			}
		}
		if n, err := res.RowsAffected(); err != nil || n != wantRows {
			t.Errorf("RowsAffected = %d, %v; want %d", n, err, wantRows)
		}
	}

	// One struct: LastInsertId is the new $id.
	elm := customer{Name: "Elm Works", City: text("Nagoya"), Credit: 42, Since: date("2024-02-29")}
	res, err := db.NamedExec(insertCustomer, elm)
	check(res, err, 5, 1)

	// A slice becomes one multi-row VALUES, sent in one request;
	// LastInsertId is the first new $id.
	batch := []customer{
		{Name: "Fir Foods", City: text("Sapporo"), Credit: 10},
		{Name: "Gum Tree", Credit: 20, Since: date("2020-01-31")},
		{Name: "Hazel Inc", City: text("Osaka"), Credit: 30},
	}
	srv.ResetStats()
	res, err = db.NamedExec(insertCustomer, batch)
	check(res, err, 6, 3)
	if st := srv.Stats(); st.Count("POST", "records")+st.Count("POST", "bulkRequest") != 1 {
		t.Errorf("writes for 3 rows: %v, want one POST", st.ByEndpoint)
	}

	// $id cannot be a named parameter (:$id); bind it under another name.
	res, err = db.NamedExec("UPDATE customers SET credit = :credit WHERE `$id` = :id", map[string]any{"credit": 999, "id": 6})
	check(res, err, 0, 1)
	// A struct works for UPDATE too, with the condition on a unique field.
	res, err = db.NamedExec("UPDATE customers SET city = :city WHERE name = :name", customer{Name: "Gum Tree", City: text("Kobe")})
	check(res, err, 0, 1)
	res, err = db.NamedExec("DELETE FROM customers WHERE city = :city", map[string]any{"city": "Tokyo"})
	check(res, err, 0, 2)

	var got []customer
	if err := db.Select(&got, "SELECT "+customerColumns+" FROM customers ORDER BY `$id`"); err != nil {
		t.Fatal(err)
	}
	elm.ID, elm.Revision = 5, 1
	fir, gum, hazel := batch[0], batch[1], batch[2]
	fir.ID, fir.Revision, fir.Credit = 6, 2, 999
	gum.ID, gum.Revision, gum.City = 7, 2, text("Kobe")
	hazel.ID, hazel.Revision = 8, 1
	sameCustomers(t, got, []customer{want[1], want[3], elm, fir, gum, hazel})
}

func TestNamedExecErrors(t *testing.T) {
	db, _ := newDB(t)
	tests := []struct {
		name  string
		query string
		arg   any
		want  []string // in the error, besides a Kintone error code
	}{
		{"duplicate unique value", insertCustomer, customer{Name: "Aoi Trading"}, []string{"name"}},
		{"required field empty", insertCustomer, customer{City: text("Kyoto")}, []string{"name"}},
		{"second row of a batch", insertCustomer, []customer{{Name: "New One"}, {Name: "Blue Harbor"}}, []string{"row 2", "name"}},
		{"unknown column", "UPDATE customers SET rating = :rating WHERE `$id` = :id", map[string]any{"rating": 5, "id": 1}, []string{"rating"}},
		{"missing named argument", insertCustomer, map[string]any{"name": "X"}, []string{"city"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := db.NamedExec(tt.query, tt.arg)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not name %q", err, w)
				}
			}
		})
	}
	// Nothing of the failed statements was written: a multi-row INSERT
	// in one request is all or nothing.
	var n int64
	if err := db.Get(&n, "SELECT COUNT(*) FROM customers"); err != nil {
		t.Fatal(err)
	}
	if n != int64(len(seed)) {
		t.Errorf("%d records after failed writes, want %d", n, len(seed))
	}
}

func TestNewDbFromConnector(t *testing.T) {
	_, srv := newDB(t)
	cfg, err := dsn.Parse(srv.DSN())
	if err != nil {
		t.Fatal(err)
	}
	// sql.OpenDB carries no driver name: give it to sqlx.
	db := sqlx.NewDb(sql.OpenDB(kintone.NewConnector(cfg)), "kintone")
	defer db.Close()
	if db.DriverName() != "kintone" || sqlx.BindType(db.DriverName()) != sqlx.QUESTION {
		t.Errorf("DriverName %q, BindType %d", db.DriverName(), sqlx.BindType(db.DriverName()))
	}
	var n int
	if err := db.Get(&n, "SELECT COUNT(*) FROM customers WHERE city = ?", "Tokyo"); err != nil || n != 2 {
		t.Errorf("count = %d, %v; want 2", n, err)
	}
}
