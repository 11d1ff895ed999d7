package seeds

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEmbedded(t *testing.T) {
	want := []struct{ name, title string }{
		{"000_c4fe606cd232d100.txt", "Pyongyang mengatakan Putin mungkin akan segera mengunjungi Korea Utara"},
		{"001_0b52db60a65bf272.txt", "Korea Utara mengklaim bahwa Presiden Rusia Vladimir Putin telah menerima dengan “senang hati” undangan dari Kim Jong Un untuk mengunjungi negaranya."},
		{"002_d941ebfd04aa38f2.txt", "Diundang Kim Jong-un, Putin Akan Berkunjung ke Korea Utara"},
		{"003_a3a8ff49fa06a43c.txt", "Sumber: Reuters | Editor: Barratut Taqiyyah Rafie"},
		{"004_8e5a2328831e48ff.txt", "Menteri Kim Jong-Un Siap Sambut Putin di Pyongyang, Bukti Korea Utara-Rusia Makin Mesra"},
	}
	got := Embedded()
	if len(got) != len(want) {
		t.Fatalf("Embedded() returned %d articles, want %d", len(got), len(want))
	}
	for i, w := range want {
		a := got[i]
		if a.Name != w.name {
			t.Errorf("article %d: name %q, want %q", i, a.Name, w.name)
		}
		if a.Title != w.title {
			t.Errorf("%s: title %q, want %q", a.Name, a.Title, w.title)
		}
		if !strings.Contains(a.Text, a.Title) {
			t.Errorf("%s: text does not contain the title", a.Name)
		}
		if !strings.Contains(a.Text, "Putin") || strings.Contains(a.Text, "\r") {
			t.Errorf("%s: text looks wrong: %.80q", a.Name, a.Text)
		}
	}
}

func TestEmbeddedMatchesFiles(t *testing.T) {
	// Every *.txt next to this file must be embedded and parse cleanly.
	files, err := LoadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	emb := Embedded()
	if len(files) != len(emb) {
		t.Fatalf("LoadDir(.) found %d seeds, Embedded() %d", len(files), len(emb))
	}
	for i := range files {
		if files[i] != emb[i] {
			t.Errorf("%s: embedded article differs from the file", files[i].Name)
		}
	}
}

func TestEmbeddedReturnsCopy(t *testing.T) {
	a := Embedded()
	a[0].Title = "changed"
	if Embedded()[0].Title == "changed" {
		t.Error("changing the slice from Embedded() changed the embedded seeds")
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name      string
		data      string
		wantTitle string
		wantText  string
		wantErr   error
	}{
		{
			name:      "navigation lines are skipped",
			data:      "Notification\n\n×\nCari Berita\n\nPutin visits Pyongyang again\nBody text.\n",
			wantTitle: "Putin visits Pyongyang again",
		},
		{
			name:      "CRLF becomes LF",
			data:      "Kim meets Putin\r\nBody.\r\n",
			wantTitle: "Kim meets Putin",
			wantText:  "Kim meets Putin\nBody.\n",
		},
		{
			name:      "byte order mark is dropped",
			data:      "\uFEFFKim meets Putin\n",
			wantTitle: "Kim meets Putin",
			wantText:  "Kim meets Putin\n",
		},
		{
			name:      "short lines only: first non-blank line",
			data:      "\n  Summit  \nends\n",
			wantTitle: "Summit",
		},
		{name: "empty", data: "", wantErr: ErrEmpty},
		{name: "white space only", data: " \r\n\t\n", wantErr: ErrEmpty},
		{name: "latin-1", data: "Kim trifft Putin in Wladiwostok \xe4\xf6\n", wantErr: ErrInvalidUTF8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Parse("x.txt", []byte(tt.data))
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				if !strings.Contains(err.Error(), "x.txt") {
					t.Errorf("error %q does not name the file", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if a.Name != "x.txt" || a.Title != tt.wantTitle {
				t.Errorf("got name %q title %q, want x.txt %q", a.Name, a.Title, tt.wantTitle)
			}
			if tt.wantText != "" && a.Text != tt.wantText {
				t.Errorf("text %q, want %q", a.Text, tt.wantText)
			}
		})
	}
}

func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("b.txt", "Second seed article here\nbody\n")
	write("a.txt", "First seed article here\nbody\n")
	write("notes.md", "not a seed")
	if err := os.Mkdir(filepath.Join(dir, "sub.txt"), 0o755); err != nil {
		t.Fatal(err)
	}

	got, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Name != "a.txt" || got[1].Name != "b.txt" {
		t.Fatalf("LoadDir = %+v, want a.txt and b.txt in that order", got)
	}
	if got[0].Title != "First seed article here" {
		t.Errorf("title %q", got[0].Title)
	}

	empty, err := LoadDir(t.TempDir())
	if err != nil || len(empty) != 0 {
		t.Errorf("LoadDir(empty dir) = %v, %v; want no articles and no error", empty, err)
	}
}

func TestLoadDirErrors(t *testing.T) {
	tests := []struct {
		name    string
		content string
		want    string
	}{
		{"empty.txt", "", ": empty"},
		{"bad.txt", "\xff\xfe K\x00i\x00m\x00", ": not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "a.txt"), []byte("A good seed article\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, tt.name)
			if err := os.WriteFile(path, []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := LoadDir(dir)
			if err == nil {
				t.Fatal("LoadDir succeeded, want an error")
			}
			want := "seeds: " + path + tt.want
			if err.Error() != want {
				t.Errorf("error %q, want %q", err, want)
			}
		})
	}

	t.Run("missing dir", func(t *testing.T) {
		missing := filepath.Join(t.TempDir(), "nope")
		_, err := LoadDir(missing)
		if err == nil || !strings.Contains(err.Error(), missing) || !errors.Is(err, os.ErrNotExist) {
			t.Errorf("error %v, want one naming %s and wrapping ErrNotExist", err, missing)
		}
	})

	t.Run("unreadable file", func(t *testing.T) {
		// A symlink named *.txt that points at a directory: listed as a
		// file, but reading it fails (even as root).
		dir := t.TempDir()
		path := filepath.Join(dir, "link.txt")
		if err := os.Symlink(t.TempDir(), path); err != nil {
			t.Skipf("cannot make a symlink: %v", err)
		}
		_, err := LoadDir(dir)
		want := "seeds: read " + path + ": is a directory"
		if err == nil || err.Error() != want {
			t.Errorf("error %v, want %q", err, want)
		}
	})
}
