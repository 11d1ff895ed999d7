package config

import (
	"strconv"
	"strings"
)

// Error is one problem with a configuration file. Parse and Validate
// return several of them joined with errors.Join; errors.As finds the
// first.
type Error struct {
	File  string // the file, as given to Load or Parse
	Line  int    // 1-based; 0 when the problem has no place in the file
	Field string // e.g. "sources[2].url"; empty for problems with the whole file
	Msg   string
}

// Error formats e as "file:line: field: message".
func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
	} else {
		b.WriteString("config")
	}
	if e.Line > 0 {
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}
