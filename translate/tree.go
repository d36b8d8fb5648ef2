package translate

import (
	"fmt"

	"github.com/kintone-sql/kintone/translate/plan"
)

// Tree returns the plan tree of a statement: for a SELECT, what Go does
// over the records Kintone returns; for a write, a plan.Write over the
// rows it writes (the VALUES, the records it names, or the tree of the
// read that finds them). EXPLAIN's plan column prints it.
func Tree(st Statement) plan.Node {
	switch st := st.(type) {
	case *Select:
		return st.root
	case *Insert:
		w := &plan.Write{Op: "insert", App: st.App, Request: "POST records.json", Target: "new records"}
		if st.Upsert() {
			w.Op, w.Request, w.Target = "upsert", "PUT records.json", "updateKey "+st.KeyField+", added when no record has the key"
		}
		w.Input = writeSource(st.Select, len(st.Items), "row", "of VALUES")
		return w
	case *Update:
		w := &plan.Write{Op: "update", App: st.App, Request: "PUT records.json"}
		switch {
		case st.Select != nil:
			w.Target, w.Revisions = "by $id", "checked"
		case st.ByKey:
			w.Target, w.Revisions = "updateKey "+st.Items[0].Key.Field, "not checked"
		default:
			w.Target, w.Revisions = "by $id", revisionsOf(st.Items)
		}
		w.Input = writeSource(st.Select, len(st.Items), "record", "named by the WHERE")
		return w
	case *Delete:
		w := &plan.Write{Op: "delete", App: st.App, Request: "DELETE records.json", Target: "by $id"}
		w.Revisions = "checked"
		if st.Select == nil {
			w.Revisions = revisionsOf(st.Items)
		}
		w.Input = writeSource(st.Select, len(st.Items), "record", "named by the WHERE")
		return w
	}
	panic(fmt.Sprintf("translate: no tree for %T", st))
}

// writeSource is the input of a write: the read's tree, or n rows known when
// the statement was bound.
func writeSource(sel *Select, n int, noun, of string) plan.Node {
	if sel != nil {
		return sel.root
	}
	return &plan.Values{Rows: n, Noun: noun, Of: of}
}

// revisionsOf says whether writes of items check a revision.
func revisionsOf(items []WriteItem) string {
	if len(items) > 0 && items[0].Revision > 0 {
		return "checked"
	}
	return "not checked"
}
