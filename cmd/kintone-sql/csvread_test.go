package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// csvRecord is what csvReader.read returns for one record.
type csvRecord struct {
	fields     []string
	start, end int
}

// readAllCSV reads every record of text, stopping at the first error.
func readAllCSV(text string) ([]csvRecord, error) {
	r := newCSVReader(strings.NewReader(text))
	var out []csvRecord
	for {
		f, start, end, err := r.read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, csvRecord{f, start, end})
	}
}

// TestCSVReaderKeepsLineBreaksInQuotedFields: a quoted field's CRLF, CR
// and LF come back byte for byte (encoding/csv turns CRLF into LF), the
// line break ending a record is not part of it, and each record says the
// lines it spans.
func TestCSVReaderKeepsLineBreaksInQuotedFields(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []csvRecord
	}{
		{"CRLF inside, LF ends", "a,b\n\"x\r\ny\",2\n", []csvRecord{{[]string{"a", "b"}, 1, 1}, {[]string{"x\r\ny", "2"}, 2, 3}}},
		{"CRLF inside, CRLF ends", "a,b\r\n\"x\r\ny\r\n\",2\r\n", []csvRecord{{[]string{"a", "b"}, 1, 1}, {[]string{"x\r\ny\r\n", "2"}, 2, 4}}},
		{"lone CR inside", "\"x\ry\",\"\r\"\n", []csvRecord{{[]string{"x\ry", "\r"}, 1, 1}}},
		{"quotes and commas", "\"say \"\"hi\"\", ok\",\"\"\"\"\n", []csvRecord{{[]string{`say "hi", ok`, `"`}, 1, 1}}},
		{"blanks kept", "  a , b  ,\" c \"\n", []csvRecord{{[]string{"  a ", " b  ", " c "}, 1, 1}}},
		{"empty fields", ",\"\",\n", []csvRecord{{[]string{"", "", ""}, 1, 1}}},
		{"no final line break", "a\nb", []csvRecord{{[]string{"a"}, 1, 1}, {[]string{"b"}, 2, 2}}},
		{"final CR", "a\r", []csvRecord{{[]string{"a"}, 1, 1}}},
		{"blank lines skipped", "\na\n\r\n\nb\n\n", []csvRecord{{[]string{"a"}, 2, 2}, {[]string{"b"}, 5, 5}}},
		{"byte-order mark", "\uFEFF\"a\",b\n", []csvRecord{{[]string{"a", "b"}, 1, 1}}},
		{"blank lines inside quotes", "\"\n\n\",x\ny\n", []csvRecord{{[]string{"\n\n", "x"}, 1, 3}, {[]string{"y"}, 4, 4}}},
		{"long line", strings.Repeat("x", 200000) + ",\"" + strings.Repeat("\r\n", 70000) + "\"\n",
			[]csvRecord{{[]string{strings.Repeat("x", 200000), strings.Repeat("\r\n", 70000)}, 1, 70001}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readAllCSV(tc.text)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestCSVReaderReadsWhatCSVWriterWrote: any record encoding/csv's Writer
// writes (as export does) reads back the same.
func TestCSVReaderReadsWhatCSVWriterWrote(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", " ", ",", `"`, "\r", "\n", "\r\n", "\t", "日", `\`, ""}
	var recs [][]string
	for range 2000 {
		rec := make([]string, 1+rng.IntN(4))
		for i := range rec {
			var b strings.Builder
			for range rng.IntN(6) {
				b.WriteString(pieces[rng.IntN(len(pieces))])
			}
			rec[i] = b.String()
		}
		if len(rec) == 1 && rec[0] == "" {
			continue // encoding/csv writes a blank line, which no reader tells from none
		}
		recs = append(recs, rec)
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.WriteAll(recs); err != nil {
		t.Fatal(err)
	}
	got, err := readAllCSV(buf.String())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(recs) {
		t.Fatalf("%d records, want %d", len(got), len(recs))
	}
	line := 1
	for i, r := range got {
		if !reflect.DeepEqual(r.fields, recs[i]) {
			t.Fatalf("record %d: %q, want %q", i, r.fields, recs[i])
		}
		if r.start != line {
			t.Fatalf("record %d starts on line %d, want %d", i, r.start, line)
		}
		line = r.end + 1
	}
}

// TestCSVReaderErrorsSayWhere: malformed CSV is an error naming the line
// and the field.
func TestCSVReaderErrorsSayWhere(t *testing.T) {
	for _, tc := range []struct {
		name, text  string
		line, field int
		msg         string
	}{
		{"bare quote", "a,b\nx,y\"z\n", 2, 2, "a quote in a field that does not start with one"},
		{"text after the closing quote", "a\n\"x\"y,1\n", 2, 1, "a quoted field must end with a quote followed by a comma"},
		{"no closing quote", "a,b\n1,\"open\nstill\n", 2, 2, "the quoted field that starts on line 2 has no closing quote"},
		{"quote after blanks", "a\n \"x\"\n", 2, 1, "a quote in a field that does not start with one"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readAllCSV(tc.text)
			var se *csvSyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error %v, want a *csvSyntaxError", err)
			}
			if se.line != tc.line || se.field != tc.field || !strings.Contains(se.msg, tc.msg) {
				t.Errorf("line %d, field %d: %s; want line %d, field %d: %s", se.line, se.field, se.msg, tc.line, tc.field, tc.msg)
			}
		})
	}
}

// csvBenchData is 10,000 records of 8 fields, a quarter of them quoted
// with line breaks inside, as an export of texts writes them.
func csvBenchData() []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	for i := range 10000 {
		rec := []string{"12345", "Acme Corporation", "2024-05-06", "1200.50", `["a","b"]`, "", "plain text", "x"}
		if i%4 == 0 {
			rec[6] = "line one, \"quoted\"\r\nline two\r\nline three"
		}
		w.Write(rec)
	}
	w.Flush()
	return buf.Bytes()
}

func BenchmarkCSVReader(b *testing.B) {
	data := csvBenchData()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		r := newCSVReader(bytes.NewReader(data))
		for {
			if _, _, _, err := r.read(); err != nil {
				break
			}
		}
	}
}

// BenchmarkEncodingCSV is the standard library's reader on the same
// data, for comparison.
func BenchmarkEncodingCSV(b *testing.B) {
	data := csvBenchData()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		r := csv.NewReader(bytes.NewReader(data))
		for {
			if _, err := r.Read(); err != nil {
				break
			}
		}
	}
}
