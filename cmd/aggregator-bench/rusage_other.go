//go:build !linux

package main

import "time"

// processCPU reports that process CPU time is not measured on this system.
func processCPU() (user, sys time.Duration, ok bool) { return 0, 0, false }

// peakRSS is not measured on this system.
func peakRSS() int64 { return 0 }

// threadCPU is not measured on this system.
func threadCPU() time.Duration { return 0 }
