package feeds

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func TestWriteGolden(t *testing.T) {
	tests := []struct {
		format Format
		golden string
	}{
		{FormatAtom, "sample.atom"},
		{FormatRSS, "sample.rss"},
		{FormatJSON, "sample.json"},
	}
	for _, tt := range tests {
		t.Run(string(tt.format), func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, tt.format, sampleFeed()); err != nil {
				t.Fatalf("Write: %v", err)
			}
			path := filepath.Join("testdata", tt.golden)
			if *update {
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("read golden file (run go test -update to create it): %v", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("output differs from %s (run go test ./feeds -update after checking the change):\n%s", path, buf.String())
			}
		})
	}
}

// TestWriteDeterministic guards the golden files and the server's ETags:
// the same feed renders to the same bytes.
func TestWriteDeterministic(t *testing.T) {
	for _, format := range []Format{FormatAtom, FormatRSS, FormatJSON} {
		var a, b bytes.Buffer
		if err := Write(&a, format, sampleFeed()); err != nil {
			t.Fatal(err)
		}
		if err := Write(&b, format, sampleFeed()); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%s: two renders of the same feed differ", format)
		}
	}
}
