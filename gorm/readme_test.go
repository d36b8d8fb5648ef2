package kintonegorm_test

import (
	"testing"

	"gorm.io/gorm"

	"github.com/kintone-sql/kintone/internal/readmecode"
	"github.com/kintone-sql/kintone/kintonetest"
)

// readmeSnippetFile is the generated copy of the README's GORM snippet.
const readmeSnippetFile = "readme_snippet_test.go"

// The README's GORM snippet is the one the next test runs: a change to
// either fails here (UPDATE_README_SNIPPETS=1 rewrites the copy).
func TestREADMEGormSnippetIsTheOneTested(t *testing.T) {
	want, err := readmecode.Generate("../README.md", "### GORM", readmecode.Harness{
		Package: "kintonegorm_test",
		Func:    "runREADMESnippet",
		Then:    "checkREADMESnippet(t, db, orders, big, o, n)",
	})
	if err != nil {
		t.Fatal(err)
	}
	readmecode.CheckCopy(t, readmeSnippetFile, want, "go test -run TestREADME .")
}

// The README's GORM snippet runs as written against the demo apps.
func TestREADMEGormSnippetRunsAgainstTheDemo(t *testing.T) {
	srv, err := kintonetest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	if err := srv.SeedDemo(); err != nil {
		t.Fatal(err)
	}
	t.Setenv("KINTONE_DSN", srv.DSN())
	runREADMESnippet(t)
}

// checkREADMESnippet checks what the README's snippet read and wrote.
func checkREADMESnippet(t *testing.T, db *gorm.DB, orders []Order, big []Order, o Order, n int64) {
	t.Helper()
	if len(orders) != 2 || orders[0].ID == 0 || orders[1].ID != orders[0].ID+1 {
		t.Errorf("CreateInBatches did not fill in the new $ids: %+v", orders)
	}
	if len(big) == 0 {
		t.Fatal("no order above 100000")
	}
	for i, x := range big {
		if x.Total <= 100000 || x.ID == 0 || x.OrderNo == "" || x.CustomerCode == "" {
			t.Errorf("order %+v", x)
		}
		if i > 0 && x.Total > big[i-1].Total {
			t.Errorf("not ORDER BY total desc at %d", i)
		}
	}
	var again Order
	if err := db.First(&again, 42).Error; err != nil || o.ID != 42 || again.Total != 20 || again.OrderNo != o.OrderNo {
		t.Errorf("First and Updates: %+v, then %+v (%v)", o, again, err)
	}
	var left []Order
	if err := db.Where("order_no LIKE ?", "A-%").Order("order_no").Find(&left).Error; err != nil {
		t.Fatal(err)
	}
	if len(left) != 1 || left[0].OrderNo != "A-3" || left[0].CustomerCode != "C0003" || left[0].Total != 30 {
		t.Errorf("after the Delete of A-1 and A-2: %+v", left)
	}
	var now []Order
	if err := db.Where("total > ?", 100000).Find(&now).Error; err != nil || int64(len(now)) != n {
		t.Errorf("Count = %d, Find finds %d (%v)", n, len(now), err)
	}
}
