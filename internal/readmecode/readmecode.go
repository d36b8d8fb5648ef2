// Package readmecode turns a Go snippet of the README into a test file, so
// that the README's examples are run as written: the tests of the gorm and
// examples modules keep a generated copy of their snippet, check that it is
// the README's current text, and run it against the emulator.
//
// A snippet is what a reader would paste into a function: an import block,
// type and method declarations, then statements that assign errors to err
// without checking them. The generated file puts the declarations at the
// top level and the statements, unchanged, into one test helper, with a
// check after every statement that assigns err (quoting the statement),
// between the test's own setup and assertions.
package readmecode

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"
)

// Snippet is a Go code block of the README.
type Snippet struct {
	Code string // the block's text, without the fences
	Line int    // the README line of the block's first line of code
}

// Find returns the first ```go block after the heading line (the whole
// line, as "### sqlx").
func Find(readme []byte, heading string) (Snippet, error) {
	lines := strings.Split(string(readme), "\n")
	start := slices.Index(lines, heading)
	if start < 0 {
		return Snippet{}, fmt.Errorf("the README has no line %q", heading)
	}
	for i := start + 1; i < len(lines); i++ {
		if strings.HasPrefix(lines[i], "#") {
			break
		}
		if lines[i] != "```go" {
			continue
		}
		for j := i + 1; j < len(lines); j++ {
			if lines[j] == "```" {
				return Snippet{Code: strings.Join(lines[i+1:j], "\n") + "\n", Line: i + 2}, nil
			}
		}
		return Snippet{}, fmt.Errorf("the go block at README line %d is not closed", i+1)
	}
	return Snippet{}, fmt.Errorf("no go block under %q", heading)
}

// Harness is what the test adds around a snippet.
type Harness struct {
	Package string   // the test file's package
	Func    string   // the name of the helper that runs the snippet
	Imports []string // import paths the harness needs besides the snippet's
	Given   string   // statements before the snippet
	Then    string   // statements after it (the assertions)
}

// File returns the test file that runs s: gofmt'ed Go source.
func File(s Snippet, h Harness) ([]byte, error) {
	imports, decls, body, err := split(s)
	if err != nil {
		return nil, err
	}
	var extra []string // the harness's imports, in a group of their own
	for _, p := range append([]string{"testing"}, h.Imports...) {
		if !slices.ContainsFunc(imports, func(spec string) bool { return strings.HasSuffix(spec, strconv.Quote(p)) }) {
			extra = append(extra, strconv.Quote(p))
		}
	}
	checked, err := checkErrors(body)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated from README.md by internal/readmecode; DO NOT EDIT.\n\npackage %s\n\nimport (\n", h.Package)
	for _, spec := range imports {
		b.WriteString("\t" + spec + "\n")
	}
	b.WriteString("\n")
	for _, spec := range extra {
		b.WriteString("\t" + spec + "\n")
	}
	b.WriteString(")\n\n")
	for _, d := range decls {
		b.WriteString(d + "\n\n")
	}
	fmt.Fprintf(&b, "// %s runs the README's snippet, stopping at the first error it assigns.\n", h.Func)
	fmt.Fprintf(&b, "func %s(t *testing.T) {\n", h.Func)
	var parts []string
	for _, part := range []string{h.Given, strings.TrimSpace(checked), h.Then} {
		if part != "" {
			parts = append(parts, part)
		}
	}
	b.WriteString(strings.Join(parts, "\n\n") + "\n}\n")
	out, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("the generated file does not parse: %v\n%s", err, b.Bytes())
	}
	return out, nil
}

// split cuts a snippet into its import specs, its top-level declarations
// (type and func blocks, with the comments above them) and the lines of
// its statements (with their README line numbers kept by blank lines for
// what was taken out).
func split(s Snippet) (imports, decls, body []string, err error) {
	lines := strings.Split(strings.TrimRight(s.Code, "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		switch {
		case l == "import (":
			j := i + 1
			for j < len(lines) && lines[j] != ")" {
				imports = append(imports, strings.TrimSpace(lines[j])) // blank lines keep the groups
				j++
			}
			if j == len(lines) {
				return nil, nil, nil, fmt.Errorf("README line %d: import block not closed", s.Line+i)
			}
			body = append(body, make([]string, j-i+1)...)
			i = j
		case strings.HasPrefix(l, "import "):
			imports = append(imports, strings.TrimPrefix(l, "import "))
			body = append(body, "")
		case strings.HasPrefix(l, "type ") || strings.HasPrefix(l, "func "):
			j := i
			if strings.HasSuffix(l, "{") {
				for j < len(lines) && lines[j] != "}" {
					j++
				}
				if j == len(lines) {
					return nil, nil, nil, fmt.Errorf("README line %d: declaration not closed", s.Line+i)
				}
			}
			decls = append(decls, strings.Join(lines[i:j+1], "\n"))
			body = append(body, make([]string, j-i+1)...)
			i = j
		default:
			body = append(body, l)
		}
	}
	return imports, decls, body, nil
}

// checkErrors returns the statements with "if err != nil { t.Fatalf(...) }"
// after each one that assigns err, the message quoting the statement's
// first line (not its README line number, so that an edit elsewhere in
// the README leaves the generated file as it is).
func checkErrors(body []string) (string, error) {
	src := "package p\nfunc _() {\n" + strings.Join(body, "\n") + "\n}\n"
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "README.md", src, parser.ParseComments)
	if err != nil {
		return "", fmt.Errorf("the snippet's statements do not parse: %v", err)
	}
	after := map[int]string{} // body line index -> the statement's first line
	for _, st := range f.Decls[0].(*ast.FuncDecl).Body.List {
		as, ok := st.(*ast.AssignStmt)
		if !ok || !slices.ContainsFunc(as.Lhs, func(e ast.Expr) bool {
			id, ok := e.(*ast.Ident)
			return ok && id.Name == "err"
		}) {
			continue
		}
		start, end := fset.Position(st.Pos()).Line-3, fset.Position(st.End()).Line-3
		line := strings.TrimSpace(body[start])
		if i := strings.Index(line, " //"); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if r := []rune(line); len(r) > 60 {
			line = string(r[:57]) + "..."
		}
		after[end] = line
	}
	var b strings.Builder
	for i, l := range body {
		b.WriteString(l + "\n")
		if line, ok := after[i]; ok {
			fmt.Fprintf(&b, "if err != nil {\n\tt.Fatalf(\"README: %%s: %%v\", %s, err)\n}\n", strconv.Quote(line))
		}
	}
	return b.String(), nil
}
