package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"golang.org/x/term"
)

const shellHelp = `Statements end with ";" and may span several lines.
  \d           list the tables (apps)
  \d TABLE     describe a table's columns (fields)
  \f [FORMAT]  show or set the output format: table, csv, tsv, jsonl, markdown
  \?           this help
  \q           quit (or Ctrl-D)
Tab completes keywords and table and column names. Ctrl-C drops the
statement being typed, or cancels the one running.
`

// Prompts: the first line of a statement, a continuation line, and a
// continuation inside a quoted string or identifier or a comment.
const (
	promptFirst   = "kintone> "
	promptMore    = "      -> "
	promptSingle  = "      '> "
	promptDouble  = "      \"> "
	promptBackq   = "      `> "
	promptComment = "     /*> "
	shellHint     = "\\? for help, \\q to quit"
)

// shell is the interactive shell: a line editor (golang.org/x/term's) on
// the terminal in raw mode, switched back to the terminal's normal mode
// while a statement runs, so that its output needs no translation and
// Ctrl-C interrupts it.
type shell struct {
	a    *app
	s    *session
	out  outOpts
	fd   int
	raw  *term.State // the terminal's state before raw mode
	t    *term.Terminal
	hist *history
	comp *completer
	ctrl *interruptReader

	buf string // the statement typed so far
}

// shellCmd runs the interactive shell on the terminal at stdin.
func (a *app) shellCmd(ctx context.Context, o mainOpts, out outOpts) error {
	in, ok := a.stdin.(*os.File)
	if !ok {
		return errors.New("the shell needs a terminal on stdin")
	}
	cctx, stop := a.interruptible(ctx)
	s, err := a.connect(cctx, o.conn)
	stop()
	if err != nil {
		return err
	}
	defer s.close()
	sh := &shell{a: a, s: s, out: out, fd: int(in.Fd())}
	sh.hist = loadHistory(historyPath(a.getenv), s.red)
	sh.comp = newCompleter(ctx, s.db)
	sh.ctrl = &interruptReader{r: in}
	if !a.quiet {
		fmt.Fprintf(a.stdout, "kintone-sql: connected to %s. Statements end with \";\"; %s.\n", s.host, shellHint)
	}
	if sh.raw, err = term.MakeRaw(sh.fd); err != nil {
		return fmt.Errorf("the shell cannot set up the terminal: %w", err)
	}
	defer term.Restore(sh.fd, sh.raw)
	sh.t = term.NewTerminal(struct {
		io.Reader
		io.Writer
	}{sh.ctrl, a.stdout}, promptFirst)
	sh.t.History = sh.hist
	sh.t.AutoCompleteCallback = sh.autoComplete
	return sh.loop(ctx)
}

// loop reads and runs until \q, Ctrl-D or the end of input.
func (sh *shell) loop(ctx context.Context) error {
	for {
		if w, h, err := term.GetSize(sh.fd); err == nil && w > 0 && h > 0 {
			sh.t.SetSize(w, h)
		}
		sh.comp.pending = sh.buf
		line, err := sh.t.ReadLine()
		if sh.ctrl.take() {
			// Ctrl-C: drop what was typed.
			sh.buf = ""
			sh.t.SetPrompt(promptFirst)
			continue
		}
		if err == io.EOF {
			sh.t.Write([]byte("\n"))
			return nil
		}
		if err != nil && !errors.Is(err, term.ErrPasteIndicator) {
			return err
		}
		if strings.TrimSpace(sh.buf) == "" {
			sh.buf = ""
			if quit, handled := sh.command(ctx, strings.TrimSpace(line)); handled {
				if quit {
					return nil
				}
				continue
			}
		}
		if sh.buf != "" {
			sh.buf += "\n"
		}
		sh.buf += line
		r := splitStatements(sh.buf)
		for _, st := range r.stmts {
			sh.hist.add(st.text + ";")
			sh.run(ctx, st.text)
		}
		sh.buf = ""
		if !r.restBlank || r.state != inText {
			sh.buf = r.rest
		}
		sh.t.SetPrompt(promptFor(sh.buf, r.state))
	}
}

// promptFor returns the prompt for the next line after buf.
func promptFor(buf string, state lexState) string {
	switch {
	case buf == "":
		return promptFirst
	case state == inSingle:
		return promptSingle
	case state == inDouble:
		return promptDouble
	case state == inBackquote:
		return promptBackq
	case state == inBlockComment:
		return promptComment
	}
	return promptMore
}

// command runs a backslash command or quit/exit typed on a line of its
// own. handled is false when the line is not a command.
func (sh *shell) command(ctx context.Context, line string) (quit, handled bool) {
	word, arg, _ := strings.Cut(strings.TrimSuffix(line, ";"), " ")
	arg = strings.TrimSpace(arg)
	switch strings.ToLower(word) {
	case "quit", "exit":
		return arg == "", arg == ""
	case `\q`, `\quit`:
		return true, true
	case "help", `\?`, `\h`:
		if word == "help" && arg != "" {
			return false, false
		}
		sh.hist.add(line)
		sh.cooked(func() { fmt.Fprint(sh.a.stdout, shellHelp) })
		return false, true
	case `\d`:
		sh.hist.add(line)
		if arg == "" {
			sh.run(ctx, "SHOW TABLES")
		} else {
			sh.run(ctx, "SHOW FULL COLUMNS FROM "+quoteIdent(arg))
		}
		return false, true
	case `\f`:
		sh.hist.add(line)
		sh.cooked(func() {
			if arg == "" {
				fmt.Fprintf(sh.a.stdout, "output format: %s\n", sh.out.format)
				return
			}
			f, err := checkFormat(arg, formats)
			if err != nil {
				fmt.Fprintf(sh.a.stderr, "ERROR: %s\n", err)
				return
			}
			sh.out.format = f
		})
		return false, true
	}
	if strings.HasPrefix(word, `\`) {
		sh.cooked(func() { fmt.Fprintf(sh.a.stderr, "ERROR: unknown command %s; \\? lists the commands\n", word) })
		return false, true
	}
	return false, false
}

// run runs one statement in cooked mode and prints its result or error;
// Ctrl-C cancels it.
func (sh *shell) run(ctx context.Context, query string) {
	ctx, stop := sh.a.interruptible(ctx)
	defer stop()
	sh.cooked(func() {
		if _, err := sh.a.execute(ctx, sh.s.db, query, sh.a.stdout, sh.out); err != nil {
			fmt.Fprintf(sh.a.stderr, "ERROR: %s\n", message(err, sh.s.red))
			if p, ok := errorPosition(err); ok {
				printCaret(sh.a.stderr, query, p.Line, p.Column)
			}
		}
	})
}

// cooked runs f with the terminal in its normal mode.
func (sh *shell) cooked(f func()) {
	term.Restore(sh.fd, sh.raw)
	defer term.MakeRaw(sh.fd)
	f()
}

// autoComplete is the line editor's key hook: Tab completes.
func (sh *shell) autoComplete(line string, pos int, key rune) (string, int, bool) {
	if key != '\t' {
		return "", 0, false
	}
	newLine, newPos, cands := sh.comp.complete(line, pos)
	if len(cands) > 0 {
		const most = 100
		list := cands
		more := ""
		if len(list) > most {
			list, more = list[:most], fmt.Sprintf("  (and %d more)", len(cands)-most)
		}
		sh.t.Write([]byte(strings.Join(list, "  ") + more + "\n"))
	}
	return newLine, newPos, true
}

// interruptReader passes the terminal's input to the line editor, turning
// Ctrl-C into Enter and remembering it, so that the shell can tell it from
// Ctrl-D (the editor reports both as io.EOF).
type interruptReader struct {
	r    io.Reader
	mu   sync.Mutex
	hit  bool
	rest []byte // input read but not passed on yet
}

func (ir *interruptReader) Read(p []byte) (int, error) {
	ir.mu.Lock()
	defer ir.mu.Unlock()
	if len(ir.rest) == 0 {
		buf := make([]byte, len(p))
		n, err := ir.r.Read(buf)
		if n == 0 {
			return 0, err
		}
		ir.rest = buf[:n]
	}
	if ir.rest[0] == 3 {
		ir.hit = true
		ir.rest = ir.rest[1:]
		p[0] = '\r'
		return 1, nil
	}
	n := len(ir.rest)
	if i := strings.IndexByte(string(ir.rest), 3); i >= 0 {
		n = i
	}
	n = copy(p, ir.rest[:n])
	ir.rest = ir.rest[n:]
	return n, nil
}

// take reports whether Ctrl-C was pressed since the last call.
func (ir *interruptReader) take() bool {
	ir.mu.Lock()
	defer ir.mu.Unlock()
	hit := ir.hit
	ir.hit = false
	return hit
}
