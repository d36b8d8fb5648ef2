package optimize_test

import (
	"testing"

	"github.com/kintone-sql/kintone/internal/kql"
	"github.com/kintone-sql/kintone/internal/scan"
	"github.com/kintone-sql/kintone/translate/optimize"
)

// TestChooseRead walks every branch of the strategy choice with the
// smallest shape that reaches it.
func TestChooseRead(t *testing.T) {
	byTitle := []kql.OrderKey{{Field: "title", Explicit: true}}
	byIDDesc := []kql.OrderKey{{Field: "$id", Desc: true, Explicit: true}}
	tests := []struct {
		name  string
		shape optimize.ReadShape
		want  scan.Strategy
		query string
		check func(t *testing.T, c optimize.ReadChoice)
	}{
		{"limit within a page", optimize.ReadShape{Keys: byTitle, Limit: 10, Offset: 5, HasUpdateTime: true}, scan.Single,
			"order by title asc, $id asc limit 10 offset 5", func(t *testing.T, c optimize.ReadChoice) {
				if c.GoLimit {
					t.Error("LIMIT left to Go")
				}
			}},
		{"no order", optimize.ReadShape{Limit: -1}, scan.Seek, "order by $id asc", func(t *testing.T, c optimize.ReadChoice) {
			if !c.Unordered || c.MaxRecords != 0 {
				t.Errorf("unordered %v, max %d", c.Unordered, c.MaxRecords)
			}
		}},
		{"$id desc with a limit past a page", optimize.ReadShape{Keys: byIDDesc, Limit: 900}, scan.Seek, "order by $id desc", func(t *testing.T, c optimize.ReadChoice) {
			if !c.Desc || c.Unordered || c.MaxRecords != 900 {
				t.Errorf("desc %v unordered %v max %d", c.Desc, c.Unordered, c.MaxRecords)
			}
		}},
		{"$id under useCursor=always", optimize.ReadShape{Limit: -1, Cursor: optimize.CursorAlways}, scan.Cursor, "order by $id asc", nil},
		{"creation time: keyset", optimize.ReadShape{Keys: []kql.OrderKey{{Field: "made", Explicit: true}}, KeysetExact: true, Limit: -1}, scan.Keyset, "order by made asc, $id asc", nil},
		{"text within the offset limit", optimize.ReadShape{Keys: byTitle, Limit: 2000, Offset: 100, HasUpdateTime: true}, scan.Offset, "order by title asc, $id asc", func(t *testing.T, c optimize.ReadChoice) {
			if c.CursorFallback || c.Offset != 100 || c.MaxRecords != 2000 || c.GoLimit {
				t.Errorf("fallback %v offset %d max %d golimit %v", c.CursorFallback, c.Offset, c.MaxRecords, c.GoLimit)
			}
		}},
		{"text, maybe past the offset limit", optimize.ReadShape{Keys: byTitle, Limit: -1, HasUpdateTime: true}, scan.Offset, "order by title asc, $id asc", func(t *testing.T, c optimize.ReadChoice) {
			if !c.CursorFallback {
				t.Error("no cursor fallback")
			}
		}},
		{"text without an update time", optimize.ReadShape{Keys: byTitle, Limit: -1}, scan.Cursor, "order by title asc, $id asc", nil},
		{"text under useCursor=never", optimize.ReadShape{Keys: byTitle, Limit: -1, Cursor: optimize.CursorNever}, scan.Seek, "order by $id asc", func(t *testing.T, c optimize.ReadChoice) {
			if !c.SortInGo || !c.Unordered {
				t.Errorf("sort in Go %v, unordered %v", c.SortInGo, c.Unordered)
			}
		}},
		{"a write's targets sorted by text", optimize.ReadShape{Keys: byTitle, Limit: 50, WriteTargets: true, HasUpdateTime: true, GoWork: true}, scan.Seek, "order by $id asc", func(t *testing.T, c optimize.ReadChoice) {
			if !c.SortInGo || !c.GoLimit {
				t.Errorf("sort in Go %v, LIMIT in Go %v", c.SortInGo, c.GoLimit)
			}
		}},
		{"Go filters: no limit to Kintone", optimize.ReadShape{Limit: 10, GoWork: true}, scan.Seek, "order by $id asc", func(t *testing.T, c optimize.ReadChoice) {
			if c.MaxRecords != 0 || !c.GoLimit {
				t.Errorf("max %d, LIMIT in Go %v", c.MaxRecords, c.GoLimit)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := optimize.ChooseRead(tt.shape)
			if c.Strategy != tt.want {
				t.Fatalf("strategy %v, want %v", c.Strategy, tt.want)
			}
			if got := c.Query.String(); got != tt.query {
				t.Errorf("query %q, want %q", got, tt.query)
			}
			if tt.check != nil {
				tt.check(t, c)
			}
		})
	}
}
