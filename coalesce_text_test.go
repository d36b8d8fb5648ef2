package kintone_test

import (
	"slices"
	"testing"
)

// A date and a string meet in COALESCE, IFNULL, IF and CASE as text, as
// in MySQL: a date column holding a day and an empty one replaced by the
// same day's text are one value to DISTINCT, GROUP BY and COUNT(DISTINCT)
// (a wrong answer the SQLite differential test found).
func TestDateAndTextMeetAsText(t *testing.T) {
	srv := newEmulator(t)
	shopApp(t, srv, "SHOP")
	db := openDB(t, srv.DSN())
	if _, err := db.Exec("INSERT INTO SHOP (label, due, at) VALUES ('a', '2024-09-19', '2024-01-02 00:00'), ('b', NULL, NULL)"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		query string
		want  []string
	}{
		{"SELECT DISTINCT COALESCE(due, '2024-09-19') FROM SHOP", []string{"2024-09-19"}},
		{"SELECT IFNULL(due, '2024-09-19'), COUNT(*) FROM SHOP GROUP BY 1", []string{"2024-09-19,2"}},
		{"SELECT COUNT(DISTINCT COALESCE(at, '2024-01-02 00:00:00')) FROM SHOP", []string{"1"}},
		{"SELECT DISTINCT CASE WHEN label = 'a' THEN due ELSE '2024-09-19' END FROM SHOP", []string{"2024-09-19"}},
		{"SELECT DISTINCT IF(label = 'a', due, '2024-09-19') FROM SHOP", []string{"2024-09-19"}},
		// Numbers alone stay numbers.
		{"SELECT COALESCE(num, 0) + 1 FROM SHOP ORDER BY 1 LIMIT 1", []string{"1"}},
	} {
		if got := rowStrings(t, db, c.query); !slices.Equal(got, c.want) {
			t.Errorf("%s: got %q, want %q", c.query, got, c.want)
		}
	}
}
