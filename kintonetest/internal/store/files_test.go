package store

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func fileSpec() AppSpec {
	return AppSpec{Name: "F", Fields: []*fieldProp{
		{Type: "FILE", Code: "f"},
		{Type: "FILE", Code: "g"},
		{Type: "SUBTABLE", Code: "t", Fields: map[string]*fieldProp{"tf": {Type: "FILE", Code: "tf"}}},
	}}
}

func keys(ks ...string) string {
	list := make([]map[string]string, len(ks))
	for i, k := range ks {
		list[i] = map[string]string{"fileKey": k}
	}
	return jsonOf(list)
}

func upload(t *testing.T, s *Store, name, data string) string {
	t.Helper()
	k, err := s.Upload(name, "text/plain", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func download(t *testing.T, s *Store, key, want string) {
	t.Helper()
	ref, data, err := s.Download(key)
	if err != nil {
		t.Fatalf("download %s: %v", key, err)
	}
	if string(data) != want || ref.FileKey != key || ref.Size != int64(len(want)) {
		t.Fatalf("download %s: %+v %q", key, ref, data)
	}
}

func filesOfRecord(t *testing.T, s *Store, app, id int64, code string) []FileRef {
	t.Helper()
	f, _ := record(t, s, app, id).Values[code].([]FileRef)
	return f
}

func TestFiles(t *testing.T) {
	for _, durable := range []bool{false, true} {
		name := "memory"
		if durable {
			name = "durable"
		}
		t.Run(name, func(t *testing.T) {
			opts := Options{Clock: fixedClock}
			if durable {
				opts.Dir = t.TempDir()
			}
			s, err := Open(opts)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			testFiles(t, s)
		})
	}
}

func testFiles(t *testing.T, s *Store) {
	app := mustApp(t, s, fileSpec())
	k1, k2, k3 := upload(t, s, "one.txt", "1"), upload(t, s, "two.txt", "22"), upload(t, s, "three.txt", "333")

	// An upload key is not a download key.
	_, _, err := s.Download(k1)
	wantCode(t, err, "GAIA_BL01")

	add(t, s, user, app, in("f", keys(k1, k2), "t", `[{"value":{"tf":{"value":`+keys(k3)+`}}}]`))
	f := filesOfRecord(t, s, app, 1, "f")
	if len(f) != 2 || f[0].Name != "one.txt" || f[1].Name != "two.txt" {
		t.Fatalf("files %+v", f)
	}
	a1, a2 := f[0].FileKey, f[1].FileKey
	a3 := record(t, s, app, 1).Values["t"].([]Row)[0].Values["tf"].([]FileRef)[0].FileKey
	download(t, s, a1, "1")
	download(t, s, a2, "22")
	download(t, s, a3, "333")

	// A consumed upload key and an unknown key are GAIA_BL01.
	wantCode(t, tryAdd(s, user, app, true, in("f", keys(k1))), "GAIA_BL01")
	wantCode(t, tryAdd(s, user, app, true, in("f", keys("nope"))), "GAIA_BL01")
	// Another record's attachment cannot be borrowed.
	add(t, s, user, app, Input{})
	_, err = update(s, user, app, false, true, UpdateItem{ID: 2, Revision: -1, Record: in("g", keys(a1))})
	wantCode(t, err, "GAIA_BL01")
	// A key given twice in one request is consumed once.
	k4 := upload(t, s, "four.txt", "4444")
	wantCode(t, tryAdd(s, user, app, true, in("f", keys(k4, k4))), "GAIA_BL01")

	// Keep a1 (moved to g), drop a2, add k4.
	_, err = update(s, user, app, false, true, UpdateItem{ID: 1, Revision: -1, Record: in("f", keys(k4), "g", keys(a1))})
	if err != nil {
		t.Fatal(err)
	}
	deepEqual(t, "g", filesOfRecord(t, s, app, 1, "g"), []FileRef{{ContentType: "text/plain", FileKey: a1, Name: "one.txt", Size: 1}})
	download(t, s, a1, "1")
	_, _, err = s.Download(a2)
	wantCode(t, err, "GAIA_BL01")
	a4 := filesOfRecord(t, s, app, 1, "f")[0].FileKey
	download(t, s, a4, "4444")
	download(t, s, a3, "333") // the table was not sent: its attachment stays
	// An attachment may move, but not be copied next to where it stays.
	_, err = update(s, user, app, false, true, UpdateItem{ID: 1, Revision: -1, Record: in("f", keys(a4, a3))})
	wantCode(t, err, "GAIA_BL01")

	// Deleting the record deletes its attachments, table rows included.
	if err := s.Write(user, func(tx *Tx) error { return tx.Delete(app, []int64{1}, nil) }); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{a1, a3, a4} {
		_, _, err := s.Download(k)
		wantCode(t, err, "GAIA_BL01")
	}

	// Deploying without a FILE field deletes its attachments.
	k5 := upload(t, s, "five.txt", "5")
	res := add(t, s, user, app, in("g", keys(k5)))
	a5 := filesOfRecord(t, s, app, res[0].ID, "g")[0].FileKey
	if _, err := s.DeletePreviewFields(app, []string{"g"}, -1); err != nil {
		t.Fatal(err)
	}
	if err := s.Deploy([]int64{app}, false); err != nil {
		t.Fatal(err)
	}
	_, _, err = s.Download(a5)
	wantCode(t, err, "GAIA_BL01")
}

func TestUploadExpires(t *testing.T) {
	s := openMem(t)
	app := mustApp(t, s, fileSpec())
	k := upload(t, s, "old.txt", "x")
	late := user
	late.Now = testNow.Add(uploadTTL + time.Minute)
	wantCode(t, tryAdd(s, late, app, true, in("f", keys(k))), "GAIA_BL01")
	add(t, s, user, app, in("f", keys(k))) // still good within the TTL
}

func TestUploadKeepsBytes(t *testing.T) {
	s := openMem(t)
	app := mustApp(t, s, fileSpec())
	buf := []byte("abc")
	k, err := s.Upload("b.bin", "application/octet-stream", buf)
	if err != nil {
		t.Fatal(err)
	}
	copy(buf, "xyz") // the caller may reuse its buffer
	add(t, s, user, app, in("f", keys(k)))
	ref := filesOfRecord(t, s, app, 1, "f")[0]
	_, data, err := s.Download(ref.FileKey)
	if err != nil || !bytes.Equal(data, []byte("abc")) {
		t.Fatalf("download: %q %v", data, err)
	}
}

// TestDownloadRefusesABlobChangedOnDisk: a durable attachment whose blob
// on disk grew (up to an endless 64 MiB, sparse) or shrank is an error,
// read no further than its recorded size, never served with another
// length.
func TestDownloadRefusesABlobChangedOnDisk(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(Options{Clock: fixedClock, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	app := mustApp(t, s, fileSpec())
	k := upload(t, s, "one.txt", "12345")
	add(t, s, user, app, in("f", keys(k)))
	a := filesOfRecord(t, s, app, 1, "f")[0].FileKey
	download(t, s, a, "12345")
	blob := filepath.Join(dir, "files", k)
	for _, size := range []int64{64 << 20, 6, 4} {
		if err := os.Truncate(blob, size); err != nil {
			t.Fatal(err)
		}
		if _, data, err := s.Download(a); err == nil || data != nil || !strings.Contains(err.Error(), "5 bytes recorded") {
			t.Errorf("blob of %d bytes: %d bytes, err %v; want an error naming the recorded size", size, len(data), err)
		}
	}
}
