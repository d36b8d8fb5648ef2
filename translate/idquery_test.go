package translate

import "testing"

// The page queries of seek and leap reads keep the plan's condition and
// bound $id on the right sides.
func TestIDQueries(t *testing.T) {
	asc := planOf(t, "SELECT title FROM ORD WHERE amount >= 10", Options{}).Read
	desc := planOf(t, "SELECT title FROM ORD WHERE amount >= 10 ORDER BY $id DESC", Options{}).Read
	if !asc.Unordered || desc.Unordered {
		t.Fatalf("Unordered: %v without ORDER BY, %v with ORDER BY $id DESC", asc.Unordered, desc.Unordered)
	}
	for _, tc := range []struct{ got, want string }{
		{first(asc.SeekQuery(0, 0)), "amount >= 10 order by $id asc limit 500"},
		{first(asc.SeekQuery(70, 500)), "amount >= 10 and $id > 70 order by $id asc limit 500"},
		{first(desc.SeekQuery(70, 500)), "amount >= 10 and $id < 70 order by $id desc limit 500"},
		{asc.LeapQuery(0, 499, 500), "amount >= 10 order by $id asc limit 500 offset 499"},
		{asc.LeapQuery(70, 998, 3), "amount >= 10 and $id > 70 order by $id asc limit 3 offset 998"},
		{desc.LeapQuery(70, 0, 500), "amount >= 10 and $id < 70 order by $id desc limit 500"},
	} {
		if tc.got != tc.want {
			t.Errorf("got  %s\nwant %s", tc.got, tc.want)
		}
	}
	if limited := planOf(t, "SELECT title FROM ORD WHERE title LIKE 'a%' LIMIT 3", Options{}).Read; limited.Unordered {
		t.Error("a LIMIT picks rows by position, yet the read is Unordered")
	}
}

func first(q string, _ int) string { return q }
