package sqlite

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrNotWritable is wrapped by the errors of CheckPath, CheckWritable and
// a writer's OpenWith when the state cannot be written: a read-only file,
// directory or file system.
var ErrNotWritable = errors.New("not writable")

// CheckPath reports whether a writer's store can be kept at path, without
// opening it: the directory exists and takes new files (SQLite's -wal and
// -shm files, the lock file), and the file, when it exists, opens for
// writing. It leaves nothing behind.
func CheckPath(path string) error {
	if path == "" {
		return errors.New("store: empty path")
	}
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("store: %s: directory %s does not exist", path, dir)
	case err != nil:
		return fmt.Errorf("store: %s: directory: %w", path, err)
	case !fi.IsDir():
		return fmt.Errorf("store: %s: %s is not a directory", path, dir)
	}
	probe, err := os.CreateTemp(dir, ".aggregator-probe-*")
	if err != nil {
		return fmt.Errorf("store: %s: directory %s: %w: %w", path, dir, ErrNotWritable, err)
	}
	probe.Close()
	os.Remove(probe.Name())
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil // created on first open
	case err != nil:
		return fmt.Errorf("store: %s: %w: %w", path, ErrNotWritable, err)
	}
	return f.Close()
}

// CheckWritable reports whether the database takes writes: it rewrites the
// header's user_version with its own value in a transaction that it rolls
// back, so that nothing changes. A read-only state fails it with
// ErrNotWritable.
func (s *Store) CheckWritable(ctx context.Context) error {
	if err := s.writeProbe(ctx); err != nil {
		return fmt.Errorf("store: %s: %w", s.path, err)
	}
	return nil
}

func (s *Store) writeProbe(ctx context.Context) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var v int64
	if err := tx.tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return fmt.Errorf("read user_version: %w", err)
	}
	if _, err := tx.tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v)); err != nil {
		return fmt.Errorf("%w: %w", ErrNotWritable, err)
	}
	return nil
}
