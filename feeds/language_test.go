package feeds

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"testing"
)

// TestWriteLanguage checks that the feed's and each entry's language reach
// every format, parsed back with encoding/xml and encoding/json, and that
// a value that is not a language tag is left out.
func TestWriteLanguage(t *testing.T) {
	f := Feed{ID: "https://news.example.org/feed.atom?lang=ko", Title: "t", Language: "ko", Entries: []Entry{
		{ID: "tag:x,2026:1", Title: "one", Language: "ko"},
		{ID: "tag:x,2026:2", Title: "two", Language: "not a tag!"},
		{ID: "tag:x,2026:3", Title: "three"},
	}}
	want := []string{"ko", "", ""}
	write := func(format Format) []byte {
		var b bytes.Buffer
		if err := Write(&b, format, f); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	var atom struct {
		Lang    string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
		Entries []struct {
			Lang string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(write(FormatAtom), &atom); err != nil {
		t.Fatal(err)
	}
	var rss struct {
		Channel struct {
			Language string `xml:"language"`
			Items    []struct {
				Language string `xml:"http://purl.org/dc/elements/1.1/ language"`
			} `xml:"item"`
		} `xml:"channel"`
	}
	if err := xml.Unmarshal(write(FormatRSS), &rss); err != nil {
		t.Fatal(err)
	}
	var js struct {
		Language string `json:"language"`
		Items    []struct {
			Language string `json:"language"`
		} `json:"items"`
	}
	if err := json.Unmarshal(write(FormatJSON), &js); err != nil {
		t.Fatal(err)
	}
	if atom.Lang != "ko" || rss.Channel.Language != "ko" || js.Language != "ko" {
		t.Errorf("feed language: atom %q, rss %q, json %q; want ko", atom.Lang, rss.Channel.Language, js.Language)
	}
	if len(atom.Entries) != 3 || len(rss.Channel.Items) != 3 || len(js.Items) != 3 {
		t.Fatalf("entries: atom %d, rss %d, json %d; want 3", len(atom.Entries), len(rss.Channel.Items), len(js.Items))
	}
	for i, w := range want {
		if atom.Entries[i].Lang != w || rss.Channel.Items[i].Language != w || js.Items[i].Language != w {
			t.Errorf("entry %d language: atom %q, rss %q, json %q; want %q", i,
				atom.Entries[i].Lang, rss.Channel.Items[i].Language, js.Items[i].Language, w)
		}
	}
}
