//go:build !linux

package dedupe

import "syscall"

// rusageThread falls back to the whole process where there is no
// per-thread usage.
const rusageThread = syscall.RUSAGE_SELF
