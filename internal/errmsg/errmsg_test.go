package errmsg_test

import (
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/kintone-sql/kintone/internal/errmsg"
)

type codeError struct{ code string }

func (e *codeError) Error() string { return "kintone: 400 " + e.code }

func TestInnerDropsThePrefixAndKeepsTheChain(t *testing.T) {
	cause := &codeError{"CB_VA01"}
	err := fmt.Errorf("kintone: commit: %w", errmsg.Inner(cause))
	if got, want := err.Error(), "kintone: commit: 400 CB_VA01"; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
	var ce *codeError
	if !errors.As(err, &ce) || ce != cause {
		t.Errorf("errors.As does not find the wrapped error")
	}
	plain := fmt.Errorf("kintone: reading: %w", errmsg.Inner(io.ErrUnexpectedEOF))
	if got, want := plain.Error(), "kintone: reading: unexpected EOF"; got != want || !errors.Is(plain, io.ErrUnexpectedEOF) {
		t.Errorf("message %q (Is %v), want %q", got, errors.Is(plain, io.ErrUnexpectedEOF), want)
	}
	if errmsg.Inner(nil) != nil {
		t.Error("Inner(nil) is not nil")
	}
	if got := errmsg.Text(cause); got != "400 CB_VA01" {
		t.Errorf("Text %q", got)
	}
}

func ExampleInner() {
	cause := errors.New("kintone: 503 Service Unavailable")
	fmt.Println(fmt.Errorf("kintone: commit: %w", errmsg.Inner(cause)))
	// Output: kintone: commit: 503 Service Unavailable
}
