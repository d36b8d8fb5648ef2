package readmecode

import (
	"strings"
	"testing"
)

const readme = "# Title\n\n### Demo\n\nText.\n\n```go\nimport (\n\t\"os\"\n)\n\ntype T struct {\n\tA int\n}\n\nfunc (T) Name() string { return \"t\" }\n\nv, err := f(os.Args)\n// a comment\nerr = g(\n\tv,\n)\nh()\n```\n\n### Other\n"

func TestFindAndFile(t *testing.T) {
	s, err := Find([]byte(readme), "### Demo")
	if err != nil {
		t.Fatal(err)
	}
	if s.Line != 8 || !strings.HasPrefix(s.Code, "import (\n") || !strings.HasSuffix(s.Code, "h()\n") {
		t.Fatalf("snippet %+v", s)
	}
	src, err := File(s, Harness{Package: "p", Func: "run", Imports: []string{"fmt"}, Given: "f := func([]string) (int, error) { return 1, nil }\ng := func(int) error { return nil }\nh := func() {}", Then: "fmt.Println(v)"})
	if err != nil {
		t.Fatal(err)
	}
	got := string(src)
	for _, want := range []string{
		"// Code generated from README.md",
		"import (\n\t\"os\"\n\n\t\"fmt\"\n\t\"testing\"\n)",
		"type T struct {\n\tA int\n}\n\nfunc (T) Name() string { return \"t\" }\n",
		"v, err := f(os.Args)\n\tif err != nil {\n\t\tt.Fatalf(\"README: %s: %v\", \"v, err := f(os.Args)\", err)\n\t}\n\t// a comment\n",
		"err = g(\n\t\tv,\n\t)\n\tif err != nil {\n\t\tt.Fatalf(\"README: %s: %v\", \"err = g(\", err)\n\t}\n\th()\n\n\tfmt.Println(v)\n}\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the file lacks %q:\n%s", want, got)
		}
	}
	if strings.Count(got, "if err != nil") != 2 {
		t.Errorf("want a check after each of the 2 assignments to err:\n%s", got)
	}
}

func TestFindAndFileErrors(t *testing.T) {
	for heading, want := range map[string]string{
		"### Nope":  "no line",
		"### Other": "no go block",
		"# Title":   "no go block", // the next heading ends the search
	} {
		if _, err := Find([]byte(readme), heading); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", heading, err, want)
		}
	}
	if _, err := Find([]byte("### A\n```go\nx := 1\n"), "### A"); err == nil || !strings.Contains(err.Error(), "not closed") {
		t.Errorf("unclosed block: %v", err)
	}
	for code, want := range map[string]string{
		"import (\n\t\"os\"\n":       "import block not closed",
		"type T struct {\n\tA int\n": "declaration not closed",
		"x := := 1\n":                "do not parse",
	} {
		if _, err := File(Snippet{Code: code, Line: 1}, Harness{Package: "p", Func: "f"}); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", code, err, want)
		}
	}
}
