package feeds

import (
	"bytes"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// atomVariants are feeds that exercise Atom's fallbacks: each must render to
// a valid document.
func atomVariants() map[string]Feed {
	sample := sampleFeed()

	noAuthors := sampleFeed()
	noAuthors.Author = ""
	for i := range noAuthors.Entries {
		noAuthors.Entries[i].Author = ""
	}

	noLink := sampleFeed()
	noLink.Entries[2].Link = ""
	noLink.Entries[2].SummaryHTML = ""

	noDates := sampleFeed()
	noDates.Updated = time.Time{}
	noDates.Language = "ru"
	for i := range noDates.Entries {
		noDates.Entries[i].Published = time.Time{}
		noDates.Entries[i].Updated = time.Time{}
	}

	bare := Feed{ID: "https://news.example.org/feed.atom"}

	controlChars := sampleFeed()
	controlChars.Entries[0].Title = "bell\a and nul\x00 and bad utf-8 \xff"
	controlChars.Entries[0].Author = "form\ffeed"

	subscription := sampleFeed()
	subscription.PrevArchiveURL = "https://news.example.org/archive/2026-11.atom"
	subscription.Stylesheet = "feed.css"

	archive := sampleFeed()
	archive.ID, archive.SelfURL = "https://news.example.org/archive/2026-10.atom", "https://news.example.org/archive/2026-10.atom"
	archive.Archive, archive.CurrentURL = true, "https://news.example.org/feed.atom"
	archive.PrevArchiveURL = "https://news.example.org/archive/2026-09.atom"
	archive.NextArchiveURL = "https://news.example.org/archive/2026-11.atom"

	return map[string]Feed{
		"subscription":  subscription,
		"archive":       archive,
		"sample":        sample,
		"no authors":    noAuthors,
		"no link":       noLink,
		"no dates":      noDates,
		"bare":          bare,
		"control chars": controlChars,
	}
}

// parsedAtom is just enough of an Atom document to check the rules RELAX NG
// cannot (the schema's Schematron assertions) and what a reader shows.
type parsedAtom struct {
	XMLName xml.Name     `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string       `xml:"id"`
	Title   parsedText   `xml:"title"`
	Updated string       `xml:"updated"`
	Authors []parsedName `xml:"author"`
	Links   []parsedLink `xml:"link"`
	Entries []struct {
		ID        string       `xml:"id"`
		Title     parsedText   `xml:"title"`
		Updated   string       `xml:"updated"`
		Published string       `xml:"published"`
		Authors   []parsedName `xml:"author"`
		Links     []parsedLink `xml:"link"`
		Content   *parsedText  `xml:"content"`
		Summary   *parsedText  `xml:"summary"`
		Source    *struct {
			ID      string       `xml:"id"`
			Updated string       `xml:"updated"`
			Authors []parsedName `xml:"author"`
		} `xml:"source"`
		Categories []struct {
			Term string `xml:"term,attr"`
		} `xml:"category"`
	} `xml:"entry"`
}

type parsedText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

type parsedName struct {
	Name string `xml:"name"`
}

type parsedLink struct {
	Href  string `xml:"href,attr"`
	Rel   string `xml:"rel,attr"`
	Title string `xml:"title,attr"`
}

func renderAtom(t *testing.T, f Feed) (string, parsedAtom) {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, FormatAtom, f); err != nil {
		t.Fatalf("Write: %v", err)
	}
	var doc parsedAtom
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("output is not well-formed Atom: %v\n%s", err, buf.String())
	}
	return buf.String(), doc
}

// TestAtomSchematronRules checks what the schema's Schematron rules and RFC
// 4287 require beyond the grammar, for every variant.
func TestAtomSchematronRules(t *testing.T) {
	for name, f := range atomVariants() {
		t.Run(name, func(t *testing.T) {
			out, doc := renderAtom(t, f)
			if !strings.HasPrefix(out, `<?xml version="1.0" encoding="UTF-8"?>`) {
				t.Errorf("no XML declaration: %.60q", out)
			}
			if doc.ID == "" {
				t.Error("feed has no id")
			}
			mustRFC3339(t, "feed updated", doc.Updated)
			feedAuthor := len(doc.Authors) > 0 && doc.Authors[0].Name != ""
			if len(doc.Entries) != len(f.Entries) {
				t.Fatalf("%d entries in output, want %d", len(doc.Entries), len(f.Entries))
			}
			for i, e := range doc.Entries {
				if e.ID != f.Entries[i].ID {
					t.Errorf("entry %d id = %q, want %q", i, e.ID, f.Entries[i].ID)
				}
				if e.Title.Type != "text" {
					t.Errorf("entry %d title type = %q, want text", i, e.Title.Type)
				}
				mustRFC3339(t, "entry updated", e.Updated)
				if e.Published != "" {
					mustRFC3339(t, "entry published", e.Published)
				}
				hasAuthor := len(e.Authors) > 0 || (e.Source != nil && len(e.Source.Authors) > 0)
				if !hasAuthor && !feedAuthor {
					t.Errorf("entry %d has no author and neither has the feed", i)
				}
				alternate := e.Content != nil
				for _, l := range e.Links {
					if l.Href == "" {
						t.Errorf("entry %d has a link without href", i)
					}
					if l.Rel == "alternate" || l.Rel == "" {
						alternate = true
					}
				}
				if !alternate {
					t.Errorf("entry %d has neither a rel=alternate link nor content", i)
				}
			}
		})
	}
}

func mustRFC3339(t *testing.T, what, s string) {
	t.Helper()
	if _, err := time.Parse(time.RFC3339, s); err != nil {
		t.Errorf("%s %q is not RFC 3339: %v", what, s, err)
	}
}

// TestAtomWhatReadersShow checks the sample feed as a reader would present it.
func TestAtomWhatReadersShow(t *testing.T) {
	f := sampleFeed()
	out, doc := renderAtom(t, f)
	if strings.Contains(out, "<script") {
		t.Errorf("output contains a live <script> element:\n%s", out)
	}
	if got, want := doc.Entries[1].Title.Text, f.Entries[1].Title; got != want {
		t.Errorf("hostile title shown as %q, want the literal text %q", got, want)
	}
	if doc.Entries[1].Summary == nil || doc.Entries[1].Summary.Type != "html" {
		t.Fatalf("hostile entry summary = %+v, want type html", doc.Entries[1].Summary)
	}
	summary := strings.ToLower(doc.Entries[1].Summary.Text)
	for _, bad := range []string{"<script", "<iframe", "<style", "<form", "<object", "<embed", "onclick", "onerror", "javascript:", "vbscript:", "data:", "style="} {
		if strings.Contains(summary, bad) {
			t.Errorf("sanitised summary still contains %q: %s", bad, summary)
		}
	}
	if !strings.Contains(summary, "launch <em>confirmed</em>.") {
		t.Errorf("sanitised summary lost its text: %s", summary)
	}

	var self, alt string
	for _, l := range doc.Links {
		switch l.Rel {
		case "self":
			self = l.Href
		case "alternate":
			alt = l.Href
		}
	}
	if self != f.SelfURL || alt != f.AlternateURL {
		t.Errorf("feed links self=%q alternate=%q, want %q and %q", self, alt, f.SelfURL, f.AlternateURL)
	}

	first := doc.Entries[0]
	var related []parsedLink
	for _, l := range first.Links {
		if l.Rel == "related" {
			related = append(related, l)
		}
	}
	if len(related) != 2 || related[0].Href != f.Entries[0].Related[0].Href || related[1].Title != "Example Herald" {
		t.Errorf("related links = %+v, want the two other outlets", related)
	}
	if first.Source == nil || first.Source.ID != f.Entries[0].Source.ID {
		t.Errorf("atom:source = %+v, want id %q", first.Source, f.Entries[0].Source.ID)
	}
	if len(first.Categories) != 3 || first.Categories[2].Term != "North Korea" {
		t.Errorf("categories = %+v", first.Categories)
	}
}

// TestAtomValidatesAgainstSchema runs jing (and xmllint when present) on every
// variant written to a file.
func TestAtomValidatesAgainstSchema(t *testing.T) {
	shared := os.Getenv("AGGREGATOR_SHARED")
	if shared == "" {
		t.Skip("AGGREGATOR_SHARED is not set; set it to the shared dir to validate against schemas/atom/atom.rnc")
	}
	jing, err := exec.LookPath("jing")
	if err != nil {
		t.Skip("jing is not on PATH (apt-get install jing); cannot validate against the RELAX NG schema")
	}
	rnc := filepath.Join(shared, "schemas", "atom", "atom.rnc")
	rng := filepath.Join(shared, "schemas", "atom", "atom.rng")
	if _, err := os.Stat(rnc); err != nil {
		t.Fatalf("schema missing: %v", err)
	}
	xmllint, _ := exec.LookPath("xmllint")
	dir := t.TempDir()
	for name, f := range atomVariants() {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".atom")
			if err := WriteFile(path, FormatAtom, f); err != nil {
				t.Fatalf("WriteFile: %v", err)
			}
			// jing reports validation errors on stdout; Debian's wrapper
			// script prints classpath warnings on stderr.
			var stdout, stderr bytes.Buffer
			cmd := exec.Command(jing, "-c", rnc, path)
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil || stdout.Len() > 0 {
				t.Errorf("jing -c atom.rnc: %v\n%s%s", err, stdout.String(), stderr.String())
			}
			if xmllint == "" {
				return
			}
			if out, err := exec.Command(xmllint, "--noout", "--nonet", "--relaxng", rng, path).CombinedOutput(); err != nil {
				t.Errorf("xmllint --relaxng atom.rng: %v\n%s", err, out)
			}
		})
	}
}
