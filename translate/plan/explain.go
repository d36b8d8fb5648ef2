package plan

import "strings"

// Explain prints the tree, one node per line, the root first and each
// input indented under the node that reads it:
//
//	limit 10
//	└─ sort by amount DESC keeping the first 10 (holds 10 rows)
//	   └─ project title, amount
//	      └─ kintone read (seek)
func Explain(n Node) string {
	var b strings.Builder
	explain(&b, n, "", "")
	return b.String()
}

func explain(b *strings.Builder, n Node, first, rest string) {
	b.WriteString(first)
	b.WriteString(n.Describe())
	b.WriteByte('\n')
	kids := n.Children()
	for i, k := range kids {
		if i == len(kids)-1 {
			explain(b, k, rest+"└─ ", rest+"   ")
		} else {
			explain(b, k, rest+"├─ ", rest+"│  ")
		}
	}
}

// Steps lists what the plan does in Go, the leaf first, one entry per
// node: every node but the projections and the Kintone read, which
// EXPLAIN shows in its own columns. It is the one-line form of the tree,
// EXPLAIN SELECT's go column.
func Steps(n Node) []string {
	var out []string
	var visit func(Node)
	visit = func(n Node) {
		for _, k := range n.Children() {
			visit(k)
		}
		switch n.(type) {
		case *Project, *KintoneRead:
			return
		}
		out = append(out, n.Describe())
	}
	visit(n)
	return out
}
