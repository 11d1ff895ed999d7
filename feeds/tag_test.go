package feeds

import (
	"net/url"
	"testing"
	"time"
)

func TestTagURI(t *testing.T) {
	day := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		feedURL  string
		created  time.Time
		specific string
		want     string
	}{
		{"contract example", "https://news.example.org/feed.atom", day, "story/42", "tag:news.example.org,2026-11-21:story/42"},
		{"port and case dropped", "HTTP://News.Example.ORG:8080/feed.atom", day, "story/42", "tag:news.example.org,2026-11-21:story/42"},
		{"date taken in UTC", "https://news.example.org/", time.Date(2026, 11, 22, 1, 0, 0, 0, time.FixedZone("KST", 9*3600)), "s", "tag:news.example.org,2026-11-21:s"},
		{"spaces and unicode escaped", "https://news.example.org/", day, "a b/ё", "tag:news.example.org,2026-11-21:a%20b/%D1%91"},
		{"percent triplets kept", "https://news.example.org/", day, "a%20b%zz", "tag:news.example.org,2026-11-21:a%20b%25zz"},
		{"no host", "not a url", day, "x", "tag:invalid,2026-11-21:x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := TagURI(tt.feedURL, tt.created, tt.specific)
			if got != tt.want {
				t.Errorf("TagURI = %q, want %q", got, tt.want)
			}
			if again := TagURI(tt.feedURL, tt.created, tt.specific); again != got {
				t.Errorf("TagURI not stable: %q then %q", got, again)
			}
			if u, err := url.Parse(got); err != nil || !u.IsAbs() {
				t.Errorf("TagURI result %q is not an absolute URI: %v", got, err)
			}
		})
	}
}
