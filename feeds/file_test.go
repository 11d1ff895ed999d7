package feeds

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const oldContent = "previous feed, must survive a failed write\n"

// setupOld creates dir/feed.atom holding oldContent.
func setupOld(t *testing.T) (dir, path string) {
	t.Helper()
	dir = t.TempDir()
	path = filepath.Join(dir, "feed.atom")
	if err := os.WriteFile(path, []byte(oldContent), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, path
}

// assertOnly fails unless dir holds exactly the named entries (no leftover
// temporary file).
func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, ",") != strings.Join(names, ",") {
		t.Errorf("directory holds %q, want only %q", got, names)
	}
}

func assertContent(t *testing.T, path, want string) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("%s holds %q, want %q", path, got, want)
	}
}

func TestWriteFileReplacesCompletely(t *testing.T) {
	dir, path := setupOld(t)
	// Make the old file longer than the new one: no tail may survive.
	if err := os.WriteFile(path, []byte(strings.Repeat("x", 1<<16)), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, FormatAtom, sampleFeed()); err != nil {
		t.Fatalf("WriteFile: %v", err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc parsedAtom
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("written file is not a complete Atom document: %v", err)
	}
	if len(doc.Entries) != 3 || !strings.HasSuffix(string(data), "</feed>\n") {
		t.Errorf("written file incomplete: %d entries, ends %q", len(doc.Entries), data[max(0, len(data)-20):])
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o644 {
		t.Errorf("file mode %v, want 0644", info.Mode().Perm())
	}
	assertOnly(t, dir, "feed.atom")
}

func TestWriteFileFailureKeepsOldFile(t *testing.T) {
	errDisk := errors.New("disk full")
	tests := []struct {
		name  string
		write func(path string) error
	}{
		{"invalid feed", func(path string) error {
			f := sampleFeed()
			f.Entries[2].ID = ""
			return WriteFile(path, FormatAtom, f)
		}},
		{"unknown format", func(path string) error { return WriteFile(path, "html", sampleFeed()) }},
		{"render fails mid-way", func(path string) error {
			return writeFileAtomic(path, func(w io.Writer) error {
				// More than bufio's buffer, so part reaches the temp file.
				if _, err := io.WriteString(w, "<feed>"+strings.Repeat("<entry/>", 4096)); err != nil {
					return err
				}
				return errDisk
			})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, path := setupOld(t)
			if err := tt.write(path); err == nil {
				t.Fatal("write succeeded, want an error")
			}
			assertContent(t, path, oldContent)
			assertOnly(t, dir, "feed.atom")
		})
	}
}

func TestWriteFileRenameFails(t *testing.T) {
	// The target is a directory: the temp file is fully written, then the
	// rename fails. Works as root too, unlike a read-only directory.
	dir := t.TempDir()
	target := filepath.Join(dir, "feed.atom")
	if err := os.Mkdir(target, 0o755); err != nil {
		t.Fatal(err)
	}
	err := WriteFile(target, FormatAtom, sampleFeed())
	if err == nil || !strings.Contains(err.Error(), "rename") {
		t.Fatalf("WriteFile error = %v, want a rename error", err)
	}
	if info, err := os.Stat(target); err != nil || !info.IsDir() {
		t.Errorf("target changed: %v %v", info, err)
	}
	assertOnly(t, dir, "feed.atom")
}

func TestWriteFileUnwritableDirectory(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root, which ignores directory permissions; TestWriteFileRenameFails covers a late failure")
	}
	dir, path := setupOld(t)
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(dir, 0o755) })
	if err := WriteFile(path, FormatAtom, sampleFeed()); err == nil {
		t.Fatal("WriteFile into a read-only directory succeeded")
	}
	assertContent(t, path, oldContent)
	assertOnly(t, dir, "feed.atom")
}

func TestWriteFileMissingDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "feed.atom")
	err := WriteFile(path, FormatRSS, sampleFeed())
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("WriteFile error = %v, want one naming %s", err, path)
	}
}

func ExampleWriteFile() {
	dir, err := os.MkdirTemp("", "feeds-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	f := Feed{ID: "https://news.example.org/feed.json", Title: "Example"}
	if err := WriteFile(filepath.Join(dir, "feed.json"), FormatJSON, f); err != nil {
		fmt.Println(err)
		return
	}
	data, _ := os.ReadFile(filepath.Join(dir, "feed.json"))
	fmt.Print(string(data))
	// Output:
	// {
	//   "version": "https://jsonfeed.org/version/1.1",
	//   "title": "Example",
	//   "items": []
	// }
}
