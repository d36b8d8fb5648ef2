package suggest

import (
	"reflect"
	"strings"
	"testing"
)

func TestDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"abc", "", 3}, {"pagesize", "pagesize", 0}, {"pagesise", "pagesize", 1},
		{"kitten", "sitting", 3}, {"顧客名", "顧客", 1}, {"顧客名", "顧問名", 1},
		{"titel", "title", 1}, {"ab", "ba", 1}, {"abc", "ca", 3}} {
		if got := Distance(tt.a, tt.b); got != tt.d {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.d)
		}
	}
}

func TestNearest(t *testing.T) {
	names := []string{"Orders", "Customers", "ORDERS", "Tasks", "orders_archive", "顧客名"}
	for _, tt := range []struct {
		name string
		want []string
	}{
		{"Ordrs", []string{"Orders", "ORDERS"}},
		{"orders", []string{"Orders", "ORDERS"}}, // distance 0 ignoring case: still a suggestion
		{"Custmer", []string{"Customers"}},
		{"Task", []string{"Tasks"}},
		{"xyz", nil},
		{"Tsaks", []string{"Tasks"}},
		{"顧客", []string{"顧客名"}},
		{strings.Repeat("a", 200), nil},
	} {
		if got := Nearest(tt.name, names, 3); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Nearest(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
	if got := Nearest("Ordrs", names, 1); !reflect.DeepEqual(got, []string{"Orders"}) {
		t.Errorf("n = 1: %q", got)
	}
	if got := Nearest("a", []string{"b", "b", "c"}, 5); !reflect.DeepEqual(got, []string{"b", "c"}) {
		t.Errorf("duplicates: %q", got)
	}
}
