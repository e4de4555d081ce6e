package main

import (
	"io"
	"os"

	"golang.org/x/term"
)

// streams are the command's standard streams and what is known about the
// terminal behind them. Tests build them over buffers.
type streams struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
	// InTTY, OutTTY and ErrTTY say whether each stream is a terminal.
	InTTY, OutTTY, ErrTTY bool
	// Width is the terminal's width in columns, 0 when unknown.
	Width int
}

func newStreams(in *os.File, out, errw *os.File) *streams {
	s := &streams{In: in, Out: out, Err: errw}
	s.InTTY = term.IsTerminal(int(in.Fd()))
	s.OutTTY = term.IsTerminal(int(out.Fd()))
	s.ErrTTY = term.IsTerminal(int(errw.Fd()))
	if s.ErrTTY {
		if w, _, err := term.GetSize(int(errw.Fd())); err == nil {
			s.Width = w
		}
	}
	return s
}
