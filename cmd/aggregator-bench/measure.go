package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

// cost is the wall and process CPU time (user + system) of one phase.
type cost struct {
	wall, user, sys time.Duration
}

func (c cost) cpu() time.Duration { return c.user + c.sys }

func (c cost) String() string {
	return fmt.Sprintf("wall %.3f s, CPU %.3f s (user %.3f, sys %.3f)",
		c.wall.Seconds(), c.cpu().Seconds(), c.user.Seconds(), c.sys.Seconds())
}

// add returns the sum of two costs.
func (c cost) add(d cost) cost {
	return cost{wall: c.wall + d.wall, user: c.user + d.user, sys: c.sys + d.sys}
}

// measure runs fn and returns what it cost the process.
func measure(fn func() error) (cost, error) {
	u0, s0, _ := processCPU()
	start := time.Now()
	err := fn()
	wall := time.Since(start)
	u1, s1, _ := processCPU()
	return cost{wall: wall, user: u1 - u0, sys: s1 - s0}, err
}

// profiled measures fn, with a CPU profile written to path when it is set.
func profiled(path string, fn func() error) (cost, error) {
	stop, err := startCPUProfile(path)
	if err != nil {
		return cost{}, err
	}
	c, err := measure(fn)
	stop()
	return c, err
}

// startCPUProfile starts a CPU profile written to path, or nothing when
// path is "". The function it returns stops the profile and closes the
// file.
func startCPUProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// writeHeapProfile writes the live heap to path.
func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("heap profile: %w", err)
	}
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		f.Close()
		return fmt.Errorf("heap profile: %w", err)
	}
	return f.Close()
}

// heapAlloc returns the bytes of allocated heap objects after a garbage
// collection.
func heapAlloc() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
