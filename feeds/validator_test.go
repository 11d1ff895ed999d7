package feeds

import (
	"strings"
	"testing"
	"time"
)

// TestCheckID covers what the W3C Feed Validation Service accepts as an
// Atom id: an absolute IRI, a URN of valid syntax, a urn:uuid with a UUID.
func TestCheckID(t *testing.T) {
	valid := []string{
		"https://news.example.org/feed.atom",
		"tag:news.example.org,2026-11-20:story/41",
		"urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6",
		"urn:isbn:0451450523",
		"https://例え.テスト/ニュース",
		"mailto:desk@news.example.org",
	}
	invalid := []string{
		"",
		"urn:uuid:wire-feed",
		"urn:uuid:60a76c80d39911d9b93C0003939e0af6",
		"urn:x:",
		"urn:a:b",
		"/relative/feed",
		"wire-feed",
		"https://news.example.org/a b",
		"https://news.example.org/<x>",
		"https://news.example.org/%zz",
		"https://news.example.org/\u202eevil",
	}
	for _, id := range valid {
		if err := checkID(id); err != nil {
			t.Errorf("checkID(%q) = %v, want nil", id, err)
		}
	}
	for _, id := range invalid {
		if err := checkID(id); err == nil {
			t.Errorf("checkID(%q) = nil, want an error", id)
		}
	}
}

// TestAtomSourceID: an upstream id that is not a valid IRI is never copied
// into <source><id>; the source feed's URL takes its place.
func TestAtomSourceID(t *testing.T) {
	tests := []struct {
		name    string
		src     Source
		wantID  string
		wantOut string // a string the document must not contain, if any
	}{
		{"valid upstream id kept", Source{ID: "tag:wire.example,2026:feed", FeedURL: "https://wire.example/feed.xml"},
			"tag:wire.example,2026:feed", ""},
		{"bad urn:uuid replaced by the feed URL", Source{ID: "urn:uuid:wire-feed", Title: "Wire", FeedURL: "https://wire.example/feed.xml"},
			"https://wire.example/feed.xml", "urn:uuid:wire-feed"},
		{"relative id replaced by the feed URL", Source{ID: "/feed", FeedURL: "https://wire.example/feed.xml"},
			"https://wire.example/feed.xml", "<id>/feed</id>"},
		{"bad id and no feed URL: no id", Source{ID: "urn:uuid:wire-feed", Title: "Wire", Link: "https://wire.example/"},
			"", "urn:uuid:wire-feed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := sampleFeed()
			src := tt.src
			f.Entries[0].Source = &src
			out, doc := renderAtom(t, f)
			got := doc.Entries[0].Source
			if got == nil {
				t.Fatalf("no atom:source in\n%s", out)
			}
			if got.ID != tt.wantID {
				t.Errorf("source id = %q, want %q", got.ID, tt.wantID)
			}
			if tt.wantOut != "" && strings.Contains(out, tt.wantOut) {
				t.Errorf("document contains %q", tt.wantOut)
			}
			if src != tt.src {
				t.Errorf("Write changed the caller's Source: %+v", src)
			}
		})
	}
}

// TestAtomSourceUpdated: every <source> carries an <updated> (the W3C
// validator's MissingSourceElement warning), the source feed's when known,
// else the entry's.
func TestAtomSourceUpdated(t *testing.T) {
	f := sampleFeed()
	known := time.Date(2026, 11, 19, 6, 30, 0, 0, time.UTC)
	f.Entries[0].Source = &Source{ID: "https://a.example/feed", Updated: known}
	f.Entries[1].Source = &Source{ID: "https://b.example/feed"}
	_, doc := renderAtom(t, f)
	if got := doc.Entries[0].Source.Updated; got != "2026-11-19T06:30:00Z" {
		t.Errorf("source updated = %q, want the source feed's 2026-11-19T06:30:00Z", got)
	}
	if got, want := doc.Entries[1].Source.Updated, doc.Entries[1].Updated; got == "" || got != want {
		t.Errorf("source updated = %q, want the entry's %q", got, want)
	}
}

// TestCategoriesPlainText: a category term written out carries no markup,
// not even escaped (the W3C validator's "category should not contain HTML").
func TestCategoriesPlainText(t *testing.T) {
	f := sampleFeed()
	f.Entries[0].Categories = []string{`<a href="https://c.example/tag">North Korea</a>`, "<b>Politics</b>", "AT&T", "a < b", "Politics"}
	out, doc := renderAtom(t, f)
	var got []string
	for _, c := range doc.Entries[0].Categories {
		got = append(got, c.Term)
	}
	if want := "North Korea|Politics|AT&T|a < b"; strings.Join(got, "|") != want {
		t.Errorf("terms = %q, want %q", strings.Join(got, "|"), want)
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "<category") && (strings.Contains(line, "&lt;b") || strings.Contains(line, "&lt;a")) {
			t.Errorf("escaped markup left in a category: %s", line)
		}
	}
}
