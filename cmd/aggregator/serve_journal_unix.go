//go:build unix

package main

import (
	"fmt"
	"os"
	"syscall"
)

// sameStream reports whether f is the stream named by a JOURNAL_STREAM
// value ("device:inode"); known is false when that cannot be told.
func sameStream(f *os.File, journalStream string) (same, known bool) {
	var dev, ino uint64
	if _, err := fmt.Sscanf(journalStream, "%d:%d", &dev, &ino); err != nil {
		return false, false
	}
	fi, err := f.Stat()
	if err != nil {
		return false, false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return false, false
	}
	return uint64(st.Dev) == dev && uint64(st.Ino) == ino, true
}
