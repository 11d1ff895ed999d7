package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestOneWriterAtATime checks that a second writer on one state file fails
// at once with NoWait, naming the holder, and otherwise waits until the
// first closes; a reader opens beside a writer.
func TestOneWriterAtATime(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "state.db")
	first, err := OpenWith(ctx, path, Options{Writer: true, Holder: "aggregator serve"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = OpenWith(ctx, path, Options{Writer: true, NoWait: true})
	if !errors.Is(err, ErrInUse) || !strings.Contains(err.Error(), "aggregator serve") || !strings.Contains(err.Error(), "pid ") {
		t.Fatalf("second writer with NoWait: %v; want ErrInUse naming the holder", err)
	}
	reader, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("a reader beside the writer: %v", err)
	}
	reader.Close()

	waited := make(chan string, 1)
	opened := make(chan *Store, 1)
	go func() {
		s, err := OpenWith(ctx, path, Options{Writer: true, Waiting: func(h string) { waited <- h }})
		if err != nil {
			t.Error(err)
		}
		opened <- s
	}()
	select {
	case h := <-waited:
		if !strings.Contains(h, "aggregator serve") {
			t.Errorf("waiting message %q does not name the holder", h)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the second writer did not say it waits")
	}
	select {
	case <-opened:
		t.Fatal("the second writer opened while the first held the file")
	case <-time.After(3 * lockRetry):
	}
	first.Close()
	select {
	case s := <-opened:
		if s != nil {
			s.Close()
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the second writer did not open after the first closed")
	}

	ctx2, cancel := context.WithCancel(ctx)
	holder, _ := OpenWith(ctx, path, Options{Writer: true})
	defer holder.Close()
	cancel()
	if _, err := OpenWith(ctx2, path, Options{Writer: true}); !errors.Is(err, context.Canceled) {
		t.Errorf("waiting with a cancelled context: %v", err)
	}
}

// TestMigratesOnceWhenStartedTogether opens one new state file from eight
// readers and writers at once: every open succeeds (no "duplicate column"
// from two migrations) and the schema is at the newest version.
func TestMigratesOnceWhenStartedTogether(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "state.db")
	var wg sync.WaitGroup
	var mu sync.Mutex
	var stores []*Store
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := OpenWith(ctx, path, Options{Writer: i%2 == 0})
			if err != nil {
				t.Errorf("open %d: %v", i, err)
				return
			}
			if i%2 == 0 {
				if v, err := s.SchemaVersion(ctx); err != nil || v != len(migrations) {
					t.Errorf("writer %d: schema version %d, %v; want %d", i, v, err, len(migrations))
				}
				s.Close() // let the next writer in
				return
			}
			mu.Lock()
			stores = append(stores, s)
			mu.Unlock()
		}()
	}
	wg.Wait()
	for _, s := range stores {
		if v, err := s.SchemaVersion(ctx); err != nil || v != len(migrations) {
			t.Errorf("schema version %d, %v; want %d", v, err, len(migrations))
		}
		s.Close()
	}
}

// TestReaderOfANewerSchema checks that a reader of a state file migrated
// by a newer program fails at once, naming the versions, while a writer
// holds the file (instead of waiting for a migration that never comes).
func TestReaderOfANewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "state.db")
	w, err := OpenWith(ctx, path, Options{Writer: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := w.db.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES (?)`, len(migrations)+1); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := Open(ctx, path); err == nil || !strings.Contains(err.Error(), "newer than this program") {
		t.Fatalf("reader of a newer schema: %v", err)
	}
}
