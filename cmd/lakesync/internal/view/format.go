package view

import "io"

// Format is the form a command's output takes, chosen once from its flags.
type Format int

const (
	// Human is text for people (the default).
	Human Format = iota
	// JSON is a JSON document, or JSON lines for the events of apply and
	// state list (--json).
	JSON
	// Markdown is a pull request comment (show --markdown).
	Markdown
)

// FormatOf is the format the --json and --markdown flags ask for.
func FormatOf(json, markdown bool) Format {
	switch {
	case json:
		return JSON
	case markdown:
		return Markdown
	}
	return Human
}

// Terminal is where a command writes, and what the command knows of it.
type Terminal struct {
	Out, Err io.Writer
	// OutTTY says Out is a terminal: the copy draws its bar (on Err).
	OutTTY bool
	// Color says Out may be coloured.
	Color bool
}
