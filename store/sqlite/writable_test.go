package sqlite

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// readOnly makes path read-only for the rest of the test: by its mode, and
// for root, whom modes do not stop, by the immutable attribute (chattr +i).
// It skips the test when it cannot.
func readOnly(t *testing.T, path string) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() != 0 {
		if err := os.Chmod(path, fi.Mode().Perm()&0o555); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(path, fi.Mode().Perm()) })
		return
	}
	chattr, err := exec.LookPath("chattr")
	if err != nil {
		t.Skip("running as root and chattr is not on PATH (e2fsprogs): cannot make a file read-only")
	}
	if out, err := exec.Command(chattr, "+i", path).CombinedOutput(); err != nil {
		t.Skipf("running as root and chattr +i %s failed (%v: %s): cannot make a file read-only", path, err, out)
	}
	t.Cleanup(func() { exec.Command(chattr, "-i", path).Run() })
}

// TestWriterRejectsReadOnlyState: a writer's open of a state file that
// opens but takes no writes fails at once, naming the file, instead of
// every later write failing; a reader still opens it.
func TestWriterRejectsReadOnlyState(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "state.db")
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CheckWritable(ctx); err != nil {
		t.Errorf("CheckWritable on a writable store: %v", err)
	}
	st.Close()
	readOnly(t, path)

	_, err = OpenWith(ctx, path, Options{Writer: true})
	if !errors.Is(err, ErrNotWritable) || !strings.Contains(err.Error(), path) {
		t.Errorf("writer's open of a read-only state: %v; want ErrNotWritable naming %s", err, path)
	}
	r, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("reader's open of a read-only state: %v", err)
	}
	defer r.Close()
	if err := r.CheckWritable(ctx); !errors.Is(err, ErrNotWritable) || !strings.Contains(err.Error(), path) {
		t.Errorf("CheckWritable on a read-only state: %v; want ErrNotWritable naming %s", err, path)
	}
	if _, err := r.Counts(ctx); err != nil {
		t.Errorf("reading a read-only state: %v", err)
	}
}

// TestCheckPath: the state's directory must exist and take new files; the
// file, when it exists, must open for writing. Every error names the path.
func TestCheckPath(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "plain")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := CheckPath(filepath.Join(dir, "state.db")); err != nil {
		t.Errorf("a new state in a writable directory: %v", err)
	}
	if err := CheckPath(file); err != nil {
		t.Errorf("an existing writable file: %v", err)
	}
	missing := filepath.Join(dir, "no", "such", "dir")
	if err := CheckPath(filepath.Join(missing, "state.db")); err == nil || !strings.Contains(err.Error(), missing+" does not exist") {
		t.Errorf("a state in a missing directory: %v; want it to name %s", err, missing)
	}
	if err := CheckPath(filepath.Join(file, "state.db")); err == nil || !strings.Contains(err.Error(), file+" is not a directory") {
		t.Errorf("a state under a file: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("CheckPath left files behind: %v", entries)
	}

	roDir := filepath.Join(dir, "ro")
	if err := os.Mkdir(roDir, 0o755); err != nil {
		t.Fatal(err)
	}
	readOnly(t, roDir)
	if err := CheckPath(filepath.Join(roDir, "state.db")); !errors.Is(err, ErrNotWritable) || !strings.Contains(err.Error(), roDir) {
		t.Errorf("a state in a read-only directory: %v; want ErrNotWritable naming %s", err, roDir)
	}
}
