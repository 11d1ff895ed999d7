package sqlite

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// One writer at a time. A process that polls and decides (aggregator fetch,
// aggregator serve) holds an exclusive lock on the state file's companion
// PATH.lock for as long as its store is open, so that no two processes
// decide against indexes loaded from one state: the second waits, or with
// NoWait fails at once, in both cases saying who holds the file. Readers
// (aggregator explain) take no lasting lock, and migrations run under the
// same lock, so that processes starting together migrate exactly once.

// ErrInUse is returned by OpenWith, with NoWait, when another process
// holds the state file.
var ErrInUse = errors.New("in use by another process")

// Options say how OpenWith treats a state file that another process
// holds.
type Options struct {
	// Writer takes the state file's lock for as long as the store is open.
	Writer bool
	// NoWait fails with ErrInUse instead of waiting for the lock.
	NoWait bool
	// Waiting, when not nil, is called once when the lock is held by
	// another process and the open waits for it, with who holds it.
	Waiting func(holder string)
	// Holder describes this process in the lock file, for the message of a
	// process that waits for it ("aggregator serve"); "" is the program name.
	Holder string
}

// lockRetry is how often a waiting open tries the lock again.
const lockRetry = 200 * time.Millisecond

// fileLock is an open lock file.
type fileLock struct {
	f    *os.File
	path string
}

func openLockFile(path string) (*fileLock, error) {
	f, err := os.OpenFile(path+".lock", os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	return &fileLock{f: f, path: f.Name()}, nil
}

// acquire takes the lock, waiting unless opts.NoWait, and records this
// process as its holder.
func (l *fileLock) acquire(ctx context.Context, opts Options) error {
	told := false
	for {
		ok, err := tryLock(l.f)
		if err != nil {
			return fmt.Errorf("lock %s: %w", l.path, err)
		}
		if ok {
			return l.writeHolder(opts.Holder)
		}
		holder := l.holder()
		if opts.NoWait {
			return fmt.Errorf("%w (%s; not waiting)", ErrInUse, holder)
		}
		if !told && opts.Waiting != nil {
			opts.Waiting(holder)
			told = true
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("wait for %s (%s): %w", l.path, holder, ctx.Err())
		case <-time.After(lockRetry):
		}
	}
}

// writeHolder records who holds the lock.
func (l *fileLock) writeHolder(what string) error {
	if what == "" {
		what = "aggregator"
	}
	host, _ := os.Hostname()
	line := fmt.Sprintf("pid %d (%s on %s, since %s)", os.Getpid(), what, host, time.Now().UTC().Format(time.RFC3339))
	if err := l.f.Truncate(0); err != nil {
		return fmt.Errorf("lock %s: %w", l.path, err)
	}
	if _, err := l.f.WriteAt([]byte(line+"\n"), 0); err != nil {
		return fmt.Errorf("lock %s: %w", l.path, err)
	}
	return nil
}

// holder says who holds the lock, as its holder wrote it.
func (l *fileLock) holder() string {
	b := make([]byte, 512)
	n, _ := l.f.ReadAt(b, 0)
	if h := strings.TrimSpace(string(b[:n])); h != "" {
		return "held by " + h
	}
	return "held by another process"
}

// release gives the lock up and closes the file.
func (l *fileLock) release() error {
	if l == nil {
		return nil
	}
	unlock(l.f)
	return l.f.Close()
}
