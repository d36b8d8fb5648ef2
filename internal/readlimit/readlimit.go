// Package readlimit reads a file or a stream whole, up to a bound.
//
// Every whole read of something a user names (a certificate file in a DSN,
// a CA bundle given to the emulator, an SQL script) goes through it, so
// that a path such as /dev/zero, /dev/urandom or an endless pipe costs at
// most the bound in memory and fails with an error that says the bound,
// instead of reading until memory runs out.
//
// Files of any kind are accepted: regular files, and also pipes and
// devices, because /dev/stdin and a shell's process substitution
// (<(command), read as /dev/fd/N) are legitimate ways to hand over a
// certificate or a script. A regular file above the bound is refused from
// its size without being read; anything else is read through an
// io.LimitReader of bound+1 bytes. A pipe is read until its writer closes
// it, as any program reading a file does.
package readlimit

import (
	"io"
	"os"
	"strconv"
)

// TooLargeError reports a file or stream with more than Limit bytes.
type TooLargeError struct {
	// Limit is the most bytes accepted.
	Limit int64
}

// Error says the bound, as "is larger than 4 MiB".
func (e *TooLargeError) Error() string { return "is larger than " + FormatSize(e.Limit) }

// File reads the file at path whole, refusing more than limit bytes with a
// *TooLargeError. Other errors are those of os.Open and Read.
func File(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	size := int64(-1)
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > 0 { // /proc files say 0
		if st.Size() > limit {
			return nil, &TooLargeError{Limit: limit}
		}
		size = st.Size()
	}
	return read(f, limit, size)
}

// All reads r to its end, refusing more than limit bytes with a
// *TooLargeError; it stops reading at limit+1 bytes.
func All(r io.Reader, limit int64) ([]byte, error) {
	return read(r, limit, -1)
}

// read reads r up to limit+1 bytes; size, when not -1, is the expected
// length, read into one buffer. Otherwise r is read in chunks joined at
// the end, so that reading n bytes allocates about 2n, not the 4n to 5n of
// a slice grown by append.
func read(r io.Reader, limit, size int64) ([]byte, error) {
	lr := io.LimitReader(r, limit+1)
	if size >= 0 {
		buf := make([]byte, 0, size+1) // +1 to see EOF without growing
		for {
			if len(buf) == cap(buf) {
				buf = append(buf, 0)[:len(buf)] // the file grew meanwhile
			}
			n, err := lr.Read(buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+n]
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, err
			}
		}
		return checked(buf, limit)
	}
	var (
		chunks [][]byte
		total  int
	)
	for {
		c := make([]byte, chunkSize)
		n, err := io.ReadFull(lr, c)
		chunks = append(chunks, c[:n])
		total += n
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if int64(total) > limit {
		return nil, &TooLargeError{Limit: limit}
	}
	if len(chunks) == 1 {
		return chunks[0], nil
	}
	buf := make([]byte, 0, total)
	for _, c := range chunks {
		buf = append(buf, c...)
	}
	return buf, nil
}

// chunkSize is the unit in which streams of unknown length are read.
const chunkSize = 64 << 10

// checked returns buf, or a *TooLargeError when it holds more than limit
// bytes.
func checked(buf []byte, limit int64) ([]byte, error) {
	if int64(len(buf)) > limit {
		return nil, &TooLargeError{Limit: limit}
	}
	return buf, nil
}

// FormatSize writes n bytes in the largest binary unit that divides it
// (4 MiB, 512 KiB), else in bytes.
func FormatSize(n int64) string {
	for _, u := range []struct {
		suffix string
		n      int64
	}{{" GiB", 1 << 30}, {" MiB", 1 << 20}, {" KiB", 1 << 10}} {
		if n != 0 && n%u.n == 0 {
			return strconv.FormatInt(n/u.n, 10) + u.suffix
		}
	}
	return strconv.FormatInt(n, 10) + " bytes"
}
