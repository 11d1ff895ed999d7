//go:build !linux

package systemd

// monotonicUsec is only needed under systemd, which runs on Linux.
func monotonicUsec() (uint64, bool) { return 0, false }
