package feeds

import (
	"fmt"
	"io"
	"testing"
)

// BenchmarkWrite renders a 100-entry feed, about what the lead serves.
func BenchmarkWrite(b *testing.B) {
	f := sampleFeed()
	base := f.Entries
	f.Entries = nil
	for i := range 100 {
		e := base[i%len(base)]
		e.ID = fmt.Sprintf("%s/%d", e.ID, i)
		f.Entries = append(f.Entries, e)
	}
	for _, format := range []Format{FormatAtom, FormatRSS, FormatJSON} {
		b.Run(string(format), func(b *testing.B) {
			for b.Loop() {
				if err := Write(io.Discard, format, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
