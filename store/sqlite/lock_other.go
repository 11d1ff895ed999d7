//go:build !unix

package sqlite

import "os"

// tryLock always succeeds where flock is not available: one writer at a
// time is then the operator's to ensure.
func tryLock(*os.File) (bool, error) { return true, nil }

func unlock(*os.File) {}
