package kintonegorm

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"gorm.io/gorm"
)

func TestMigratorRefusesSchemaChanges(t *testing.T) {
	f := newFixture(t, 1)
	m := f.db.Migrator()
	tests := []struct {
		op    string
		run   func() error
		table string
	}{
		{"AutoMigrate", func() error { return f.db.AutoMigrate(&Order{}) }, "orders"},
		{"AutoMigrate", func() error { return m.AutoMigrate(&Order{}, "customers") }, "orders, customers"},
		{"CreateTable", func() error { return m.CreateTable(&Order{}) }, "orders"},
		{"DropTable", func() error { return m.DropTable("orders") }, "orders"},
		{"RenameTable", func() error { return m.RenameTable("orders", "sales") }, "orders"},
		{"AddColumn", func() error { return m.AddColumn(&Order{}, "Amount") }, "orders"},
		{"DropColumn", func() error { return m.DropColumn(&Order{}, "Amount") }, "orders"},
		{"AlterColumn", func() error { return m.AlterColumn(&Order{}, "Amount") }, "orders"},
		{"MigrateColumn", func() error { return m.MigrateColumn(&Order{}, nil, nil) }, "orders"},
		{"MigrateColumnUnique", func() error { return m.MigrateColumnUnique(&Order{}, nil, nil) }, "orders"},
		{"RenameColumn", func() error { return m.RenameColumn(&Order{}, "Amount", "Total") }, "orders"},
		{"CreateView", func() error { return m.CreateView("big_orders", gorm.ViewOption{}) }, "big_orders"},
		{"DropView", func() error { return m.DropView("big_orders") }, "big_orders"},
		{"CreateConstraint", func() error { return m.CreateConstraint(&Order{}, "fk") }, "orders"},
		{"DropConstraint", func() error { return m.DropConstraint(&Order{}, "fk") }, "orders"},
		{"CreateIndex", func() error { return m.CreateIndex(&Order{}, "idx") }, "orders"},
		{"DropIndex", func() error { return m.DropIndex(&Order{}, "idx") }, "orders"},
		{"RenameIndex", func() error { return m.RenameIndex(&Order{}, "a", "b") }, "orders"},
	}
	f.srv.ResetStats()
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			err := tt.run()
			if !errors.Is(err, ErrSchemaChange) {
				t.Fatalf("err = %v, want ErrSchemaChange", err)
			}
			var se *SchemaError
			if !errors.As(err, &se) || se.Op != tt.op || se.Table != tt.table {
				t.Fatalf("err = %#v, want a *SchemaError for %s of %s", err, tt.op, tt.table)
			}
			msg := err.Error()
			for _, w := range []string{tt.op, tt.table, "created and changed in Kintone"} {
				if !strings.Contains(msg, w) {
					t.Errorf("%q does not say %q", msg, w)
				}
			}
		})
	}
	if st := f.srv.Stats(); st.Requests != 0 {
		t.Errorf("refused schema changes sent %d requests: %v", st.Requests, st.ByEndpoint)
	}
}

func TestMigratorReads(t *testing.T) {
	f := newFixture(t, 1)
	m := f.db.Migrator()
	if !m.HasTable(&Order{}) || !m.HasTable("orders") || !m.HasTable("Orders") {
		t.Error("HasTable: orders not found by model, code or name")
	}
	if m.HasTable("suppliers") {
		t.Error("HasTable(suppliers) = true")
	}
	tables, err := m.GetTables()
	if err != nil || !slices.Contains(tables, "orders") {
		t.Errorf("GetTables = %q, %v; want orders among them", tables, err)
	}
	for field, want := range map[string]bool{"Amount": true, "amount": true, "$id": true, "Revision": true, "Nickname": false} {
		if got := m.HasColumn(&Order{}, field); got != want {
			t.Errorf("HasColumn(%s) = %v, want %v", field, got, want)
		}
	}
	if m.HasColumn("suppliers", "amount") {
		t.Error("HasColumn of an unknown table = true")
	}
	cols, err := m.ColumnTypes(&Order{})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]int{}
	for i, c := range cols {
		byName[c.Name()] = i
	}
	id, ok := byName["$id"]
	if !ok {
		t.Fatalf("ColumnTypes has no $id: %v", byName)
	}
	if pk, ok := cols[id].PrimaryKey(); !pk || !ok {
		t.Error("$id is not the primary key")
	}
	no := cols[byName["order_no"]]
	if typ := no.DatabaseTypeName(); typ != "SINGLE_LINE_TEXT" {
		t.Errorf("order_no type = %q, want SINGLE_LINE_TEXT", typ)
	}
	if u, ok := no.Unique(); !u || !ok {
		t.Error("order_no is not unique")
	}
	if n, ok := cols[id].Nullable(); n || !ok {
		t.Error("$id is nullable")
	}
	if n, ok := cols[byName["customer"]].Nullable(); !n || !ok {
		t.Error("customer is not nullable")
	}
	if _, err := m.ColumnTypes("suppliers"); err == nil || !strings.Contains(err.Error(), "suppliers") {
		t.Errorf("ColumnTypes of an unknown table: err = %v", err)
	}
	if m.HasIndex(&Order{}, "idx") || m.HasConstraint(&Order{}, "fk") {
		t.Error("Kintone has no indexes or constraints")
	}
	if idx, err := m.GetIndexes(&Order{}); idx != nil || err != nil {
		t.Errorf("GetIndexes = %v, %v", idx, err)
	}
	if _, err := m.TableType(&Order{}); err == nil {
		t.Error("TableType: no error")
	}
	if m.CurrentDatabase() != "" {
		t.Errorf("CurrentDatabase = %q", m.CurrentDatabase())
	}
}
