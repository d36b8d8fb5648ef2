package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// lineWriter hands each line run writes to the test.
type lineWriter struct{ lines chan string }

func (w lineWriter) Write(p []byte) (int, error) {
	sc := bufio.NewScanner(bytes.NewReader(p))
	for sc.Scan() {
		w.lines <- sc.Text()
	}
	return len(p), nil
}

func TestRunPrintsURLServesAndStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	out := lineWriter{lines: make(chan string, 10)}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--listen", "127.0.0.1:0", "--demo", "--quiet", "--user", "ann:pw", "--time-zone", "Asia/Tokyo"}, out, io.Discard)
	}()
	var url string
	select {
	case url = <-out.lines:
	case err := <-done:
		t.Fatalf("run ended early: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("no URL printed")
	}
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("first line %q is not the base URL", url)
	}
	req, _ := http.NewRequest("GET", url+"/k/v1/records.json?app=1&totalCount=true&query=limit%201", nil)
	req.Header.Set("X-Cybozu-Authorization", "YW5uOnB3") // ann:pw
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), `"totalCount":"120"`) {
		t.Fatalf("demo app 1: %d %s", res.StatusCode, body)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run after cancel: %v", err)
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--user", "nopassword"},
		{"--basic-auth", "x"},
		{"--tls-cert", "a.pem"},
		{"--time-zone", "Mars/Olympus"},
		{"--client-ca", "/nonexistent.pem"},
		{"stray"},
	} {
		var stderr bytes.Buffer
		err := run(context.Background(), append([]string{"--listen", "127.0.0.1:0"}, args...), io.Discard, &stderr)
		if err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}
