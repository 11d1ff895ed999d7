// Package sqlite is the aggregator's default store: one SQLite file in WAL
// mode (through the pure-Go modernc.org/sqlite driver) holding each
// source's fetch state, every item seen with the decision taken on it, and
// the stories that items are grouped into. It implements the store
// interfaces of the root package (aggregator.Store and its parts) and the
// read side of the status page.
//
// Every write that belongs together is one transaction (see Tx), so a crash
// at any instant loses nothing that was reported as stored and never leaves
// half an item behind. What only SQLite accepts (? placeholders,
// LastInsertId, PRAGMAs) stays in this package.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"aggregator"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Store is an open state database. It is safe for concurrent use.
type Store struct {
	db   *sql.DB
	path string

	stmtMu sync.Mutex
	stmts  map[string]*sql.Stmt // prepared once, by query text (stmts.go)

	lock *fileLock // held while the store is open, for a writer (lock.go)
}

// Open opens (creating when needed) the SQLite database at path, switches it
// to WAL mode and applies any pending migrations.
func Open(ctx context.Context, path string) (*Store, error) {
	return OpenWith(ctx, path, Options{})
}

// OpenWith is Open with the state file's lock (lock.go): a writer holds it
// while the store is open, waiting for another holder unless opts.NoWait;
// any open migrates under it.
func OpenWith(ctx context.Context, path string, opts Options) (*Store, error) {
	if path == "" {
		return nil, errors.New("store: open: empty path")
	}
	if opts.Writer {
		if err := CheckPath(path); err != nil {
			return nil, err
		}
	} else if dir := filepath.Dir(path); dir != "" {
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("store: open %s: directory: %w", path, err)
		}
	}
	q := url.Values{}
	for _, p := range []string{
		"busy_timeout(10000)",
		"journal_mode(WAL)",
		"synchronous(FULL)",
		"foreign_keys(ON)",
	} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	s := &Store{db: db, path: path}
	if err := s.lockAndMigrate(ctx, opts); err != nil {
		s.lock.release()
		db.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return s, nil
}

// lockAndMigrate takes a writer's lock, or for a reader waits until no
// migration is due or it can migrate under the lock itself.
func (s *Store) lockAndMigrate(ctx context.Context, opts Options) error {
	lk, err := openLockFile(s.path)
	if err != nil {
		return err
	}
	if opts.Writer {
		s.lock = lk
		if err := lk.acquire(ctx, opts); err != nil {
			return err
		}
		if err := s.db.PingContext(ctx); err != nil {
			return err
		}
		if err := s.migrate(ctx); err != nil {
			return err
		}
		// A read-only file opens and reads; the first write would fail.
		return s.writeProbe(ctx)
	}
	defer lk.release()
	for {
		if err := s.db.PingContext(ctx); err != nil {
			return err
		}
		v, err := s.SchemaVersion(ctx)
		switch {
		case err == nil && v == len(migrations):
			return nil
		case err == nil && v > len(migrations):
			return fmt.Errorf("database schema version %d is newer than this program (%d)", v, len(migrations))
		}
		ok, err := tryLock(lk.f)
		if err != nil {
			return fmt.Errorf("lock %s: %w", lk.path, err)
		}
		if ok {
			return s.migrate(ctx)
		}
		select { // a writer holds it: it migrates before it decides anything
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(lockRetry):
		}
	}
}

// Path returns the file the store was opened from.
func (s *Store) Path() string { return s.path }

// Close closes the database.
func (s *Store) Close() error {
	s.closeStmts()
	err := s.db.Close()
	if lerr := s.lock.release(); err == nil {
		err = lerr
	}
	if err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.db.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}

// Tx is one write transaction. Obtain it with Begin; finish it with Commit or
// Rollback (Rollback after Commit is a no-op, so defer it).
type Tx struct {
	tx    *sql.Tx
	s     *Store
	stmts map[string]*sql.Stmt // the store's statements bound to tx, by query text
}

// Begin starts a write transaction of a poll cycle.
func (s *Store) Begin(ctx context.Context) (aggregator.CycleTx, error) {
	return s.begin(ctx)
}

// begin starts a write transaction.
func (s *Store) begin(ctx context.Context) (*Tx, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store: begin: %w", err)
	}
	return &Tx{tx: tx, s: s}, nil
}

// Commit makes the transaction's writes durable.
func (t *Tx) Commit() error {
	if err := t.tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// Rollback discards the transaction's writes.
func (t *Tx) Rollback() error {
	err := t.tx.Rollback()
	if err != nil && !errors.Is(err, sql.ErrTxDone) {
		return fmt.Errorf("store: rollback: %w", err)
	}
	return nil
}

// unixNano and fromUnixNano store times as integer nanoseconds since the
// epoch, UTC; the zero time is stored as 0.
func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromUnixNano(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// The store implements every store interface of the pipeline.
var _ aggregator.Store = (*Store)(nil)
