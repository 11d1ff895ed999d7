package feeds

import (
	"bytes"
	"encoding/xml"
	"testing"
)

// parsedArchive is what RFC 5005 adds to an Atom document, read with the
// namespaces resolved.
type parsedArchive struct {
	Archive *struct{} `xml:"http://purl.org/syndication/history/1.0 archive"`
	Links   []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"http://www.w3.org/2005/Atom link"`
	Entries []struct {
		ID string `xml:"http://www.w3.org/2005/Atom id"`
	} `xml:"http://www.w3.org/2005/Atom entry"`
}

func (p parsedArchive) rels() map[string][]string {
	m := map[string][]string{}
	for _, l := range p.Links {
		m[l.Rel] = append(m[l.Rel], l.Href)
	}
	return m
}

func parseArchive(t *testing.T, f Feed) parsedArchive {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, FormatAtom, f); err != nil {
		t.Fatal(err)
	}
	var p parsedArchive
	if err := xml.Unmarshal(buf.Bytes(), &p); err != nil {
		t.Fatalf("not well-formed: %v\n%s", err, buf.String())
	}
	return p
}

// TestAtomArchiveLinks checks the RFC 5005 elements: fh:archive in its
// namespace only on an archive document, each archive link once, none
// when unset, and the entries the same as without them.
func TestAtomArchiveLinks(t *testing.T) {
	variants := atomVariants()
	plain := parseArchive(t, variants["sample"])
	if plain.Archive != nil {
		t.Error("a plain feed carries fh:archive")
	}
	for _, rel := range []string{"current", "prev-archive", "next-archive"} {
		if got := plain.rels()[rel]; got != nil {
			t.Errorf("a plain feed has rel=%s links %v", rel, got)
		}
	}

	sub := parseArchive(t, variants["subscription"])
	if sub.Archive != nil {
		t.Error("the subscription document carries fh:archive")
	}
	if got := sub.rels()["prev-archive"]; len(got) != 1 || got[0] != "https://news.example.org/archive/2026-11.atom" {
		t.Errorf("subscription prev-archive = %v", got)
	}

	arch := parseArchive(t, variants["archive"])
	if arch.Archive == nil {
		t.Error("the archive document has no fh:archive in " + HistoryNS)
	}
	want := map[string]string{
		"self":         "https://news.example.org/archive/2026-10.atom",
		"current":      "https://news.example.org/feed.atom",
		"prev-archive": "https://news.example.org/archive/2026-09.atom",
		"next-archive": "https://news.example.org/archive/2026-11.atom",
	}
	rels := arch.rels()
	for rel, href := range want {
		if got := rels[rel]; len(got) != 1 || got[0] != href {
			t.Errorf("archive rel=%s = %v, want [%s]", rel, got, href)
		}
	}
	if len(arch.Entries) != len(plain.Entries) {
		t.Fatalf("archive has %d entries, plain %d", len(arch.Entries), len(plain.Entries))
	}
	for i := range arch.Entries {
		if arch.Entries[i].ID != plain.Entries[i].ID {
			t.Errorf("entry %d id %q, want %q", i, arch.Entries[i].ID, plain.Entries[i].ID)
		}
	}

	// The oldest archive has no prev-archive, the newest no next-archive.
	ends := variants["archive"]
	ends.PrevArchiveURL, ends.NextArchiveURL = "", ""
	rels = parseArchive(t, ends).rels()
	if rels["prev-archive"] != nil || rels["next-archive"] != nil || len(rels["current"]) != 1 {
		t.Errorf("an archive without neighbours has links %v", rels)
	}
}
