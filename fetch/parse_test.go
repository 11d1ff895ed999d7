package fetch

import (
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/unicode"
)

const rss2Fixture = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>NK &amp; Russia Watch</title>
  <link>/</link>
  <language>en</language>
  <item>
    <title>Kim &lt;b&gt;meets&lt;/b&gt; Putin</title>
    <link>/2024/01/visit?utm_source=rss&amp;id=7</link>
    <guid isPermaLink="false">nk-1</guid>
    <description>&lt;p&gt;First paragraph.&lt;/p&gt;&lt;p&gt;Second &amp;amp; last.&lt;/p&gt;</description>
    <content:encoded><![CDATA[<p>Full text one.</p><script>alert(1)</script><p>Full text two.</p>]]></content:encoded>
    <dc:creator>Jane Doe</dc:creator>
    <category>Diplomacy</category>
    <category> Diplomacy </category>
    <category>Russia</category>
    <pubDate>Tue, 16 Jan 2024 10:00:00 +0900</pubDate>
  </item>
  <item>
    <title>No guid, no date</title>
    <link>https://example.org/story-2</link>
    <description>Plain description.</description>
  </item>
  <item>
    <title>Nothing but a title</title>
  </item>
</channel>
</rss>`

const atomFixture = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ko">
  <title type="html">Pyongyang &amp;amp; Moscow</title>
  <id>urn:uuid:feed-1</id>
  <link href="https://atom.example/"/>
  <entry>
    <title>Treaty signed</title>
    <id>tag:atom.example,2024:1</id>
    <link href="entries/1"/>
    <updated>2024-06-20T08:00:00Z</updated>
    <summary type="html">&lt;p&gt;Summary here&lt;/p&gt;</summary>
    <content type="html">&lt;p&gt;Content here&lt;/p&gt;</content>
    <author><name>A. Writer</name></author>
    <category term="treaty"/>
  </entry>
  <entry xml:base="https://other.example/base/">
    <title>Second</title>
    <id>tag:atom.example,2024:2</id>
    <link rel="alternate" href="two.html"/>
    <published>2024-06-19T08:00:00Z</published>
    <updated>2024-06-21T08:00:00Z</updated>
  </entry>
</feed>`

const jsonFixture = `{
  "version": "https://jsonfeed.org/version/1.1",
  "title": "JSON Watch",
  "home_page_url": "https://json.example/",
  "items": [
    {"id": "j1", "url": "https://json.example/a#frag", "title": "Ａｒｍｓ deal",
     "content_html": "<div>Line one</div><div>Line two</div>", "summary": "Short",
     "date_published": "2024-03-01T12:00:00+03:00", "authors": [{"name": "Ivan"}], "tags": ["arms"]},
    {"url": "/relative", "content_text": "just text"}
  ]
}`

func mustParse(t *testing.T, body, contentType, feedURL string) *Feed {
	t.Helper()
	f, err := Parse([]byte(body), contentType, feedURL)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return f
}

func TestParseRSS2(t *testing.T) {
	f := mustParse(t, rss2Fixture, "application/rss+xml", "https://nk.example/feed.xml")
	if f.Title != "NK & Russia Watch" || f.Link != "https://nk.example/" || f.ID != "https://nk.example/feed.xml" || f.Language != "en" {
		t.Errorf("feed = %q %q %q %q", f.Title, f.Link, f.ID, f.Language)
	}
	if len(f.Entries) != 3 {
		t.Fatalf("got %d entries, want 3", len(f.Entries))
	}
	e := f.Entries[0]
	checks := []struct{ name, got, want string }{
		{"GUID", e.GUID, "nk-1"},
		{"URL", e.URL, "https://nk.example/2024/01/visit?utm_source=rss&id=7"},
		{"CanonicalURL", e.CanonicalURL, "https://nk.example/2024/01/visit?id=7"},
		{"Title", e.Title, "Kim meets Putin"},
		{"Text", e.Text, "Full text one.\nFull text two."},
		{"SummaryHTML", e.SummaryHTML, "<p>First paragraph.</p><p>Second &amp; last.</p>"},
		{"Author", e.Author, "Jane Doe"},
		{"Categories", strings.Join(e.Categories, "|"), "Diplomacy|Russia"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if want := time.Date(2024, 1, 16, 1, 0, 0, 0, time.UTC); !e.Published.Equal(want) || e.Published.Location() != time.UTC {
		t.Errorf("Published = %v, want %v in UTC", e.Published, want)
	}
	if e2 := f.Entries[1]; e2.GUID != "https://example.org/story-2" || !e2.Published.IsZero() || e2.Text != "Plain description." {
		t.Errorf("entry 2 = GUID %q Published %v Text %q; want link as GUID, zero time, description as text", e2.GUID, e2.Published, e2.Text)
	}
	e3 := f.Entries[2]
	if !strings.HasPrefix(e3.GUID, "sha1:") || len(e3.GUID) != len("sha1:")+40 || e3.URL != "" || e3.CanonicalURL != "" {
		t.Errorf("entry 3 = GUID %q URL %q; want a sha1 GUID and no URL", e3.GUID, e3.URL)
	}
	// The hash GUID must be stable across parses, or re-polling would republish.
	if again := mustParse(t, rss2Fixture, "", "https://nk.example/feed.xml"); again.Entries[2].GUID != e3.GUID {
		t.Errorf("hash GUID not stable: %q vs %q", again.Entries[2].GUID, e3.GUID)
	}
}

func TestParseAtom(t *testing.T) {
	f := mustParse(t, atomFixture, "application/atom+xml", "https://atom.example/feed.atom")
	if f.ID != "urn:uuid:feed-1" || f.Title != "Pyongyang & Moscow" || f.Link != "https://atom.example/" {
		t.Errorf("feed = %q %q %q", f.ID, f.Title, f.Link)
	}
	if len(f.Entries) != 2 {
		t.Fatalf("got %d entries, want 2", len(f.Entries))
	}
	e := f.Entries[0]
	if e.GUID != "tag:atom.example,2024:1" || e.URL != "https://atom.example/entries/1" || e.Text != "Content here" ||
		e.SummaryHTML != "<p>Summary here</p>" || e.Author != "A. Writer" || len(e.Categories) != 1 || e.Categories[0] != "treaty" {
		t.Errorf("entry 1 = %+v", e)
	}
	if want := time.Date(2024, 6, 20, 8, 0, 0, 0, time.UTC); !e.Published.Equal(want) || !e.Updated.Equal(want) {
		t.Errorf("entry 1 dates = %v / %v; want published to fall back to updated %v", e.Published, e.Updated, want)
	}
	e2 := f.Entries[1]
	if e2.URL != "https://other.example/base/two.html" {
		t.Errorf("xml:base link = %q", e2.URL)
	}
	if !e2.Published.Equal(time.Date(2024, 6, 19, 8, 0, 0, 0, time.UTC)) || !e2.Updated.Equal(time.Date(2024, 6, 21, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("entry 2 dates = %v / %v", e2.Published, e2.Updated)
	}
}

func TestParseJSONFeed(t *testing.T) {
	f := mustParse(t, jsonFixture, "application/feed+json", "https://json.example/feed.json")
	if f.Title != "JSON Watch" || f.Link != "https://json.example/" || len(f.Entries) != 2 {
		t.Fatalf("feed = %q %q %d entries", f.Title, f.Link, len(f.Entries))
	}
	e := f.Entries[0]
	if e.GUID != "j1" || e.URL != "https://json.example/a#frag" || e.CanonicalURL != "https://json.example/a" ||
		e.Title != "Arms deal" || e.Text != "Line one\nLine two" || e.SummaryHTML != "Short" || e.Author != "Ivan" {
		t.Errorf("entry 1 = %+v", e)
	}
	if !e.Published.Equal(time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("Published = %v", e.Published)
	}
	if e2 := f.Entries[1]; e2.URL != "https://json.example/relative" || e2.GUID != e2.URL || e2.Text != "just text" {
		t.Errorf("entry 2 = %+v", e2)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, body, contentType string
		want                    error
		inMessage               string
	}{
		{"empty", "", "application/xml", ErrEmptyBody, "empty body"},
		{"whitespace", " \n\t ", "application/xml", ErrEmptyBody, "empty body"},
		{"html page", `<!DOCTYPE html><html><head><link rel="alternate" type="application/rss+xml" href="/rss"><link rel="stylesheet" href="/s.css"></head><body>hi</body></html>`,
			"text/html; charset=utf-8", ErrNotAFeed, "not a feed (text/html); the page advertises feeds: https://site.example/rss"},
		{"html without type", `<html><body><p>error</p></body></html>`, "", ErrNotAFeed, "not a feed (text/html)"},
		{"other xml", `<?xml version="1.0"?><note><to>x</to></note>`, "text/xml", ErrNotAFeed, "root element <note>"},
		{"plain text", "Service Unavailable", "text/plain", ErrNotAFeed, "not a feed (text/plain)"},
		{"json not a feed", `{"error": "rate limited"}`, "application/json", ErrNotAFeed, "not a feed (application/json)"},
		{"broken json", `{"version": "https://jsonfeed.org/version/1", "items": [`, "application/json", ErrParse, "parse: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse([]byte(tt.body), tt.contentType, "https://site.example/feed")
			if !errors.Is(err, tt.want) || f != nil {
				t.Fatalf("Parse = %v, %v; want errors.Is %v", f, err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.inMessage) {
				t.Errorf("error %q does not contain %q", err, tt.inMessage)
			}
		})
	}
}

func TestParseNotAFeedAlternates(t *testing.T) {
	page := `<html><head>
<link rel="alternate" type="application/atom+xml" href="https://site.example/atom.xml">
<LINK REL="Alternate feed" TYPE="application/rss+xml" HREF="rss.xml">
<link rel="alternate" type="text/html" href="/en/">
</head></html>`
	_, err := Parse([]byte(page), "text/html", "https://site.example/news/")
	var nf *NotAFeedError
	if !errors.As(err, &nf) {
		t.Fatalf("err = %v, want *NotAFeedError", err)
	}
	want := []string{"https://site.example/atom.xml", "https://site.example/news/rss.xml"}
	if strings.Join(nf.Alternates, " ") != strings.Join(want, " ") {
		t.Errorf("Alternates = %q, want %q", nf.Alternates, want)
	}
}

// rssWithTitle is a one-item RSS feed whose item title is title, encoded by the caller.
func rssWithTitle(decl, title string) string {
	return decl + "<rss version=\"2.0\"><channel><title>t</title><item><title>" + title + "</title><link>https://a.example/1</link></item></channel></rss>"
}

func TestParseCharsets(t *testing.T) {
	const ru = "Ким Чен Ын прибыл в Москву"
	const ko = "김정은 러시아 방문"
	win1251, _ := charmap.Windows1251.NewEncoder().String(ru)
	koi8r, _ := charmap.KOI8R.NewEncoder().String(ru)
	euckr, _ := korean.EUCKR.NewEncoder().String(ko)
	latin1, _ := charmap.ISO8859_1.NewEncoder().String("Café Ünïcödé")
	utf16le, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(rssWithTitle(`<?xml version="1.0" encoding="utf-16"?>`, ru))
	utf16be, _ := unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewEncoder().String(rssWithTitle(`<?xml version="1.0" encoding="UTF-16"?>`, ko))

	tests := []struct {
		name, body, contentType, want string
	}{
		{"windows-1251 in declaration", rssWithTitle(`<?xml version="1.0" encoding="windows-1251"?>`, win1251), "application/rss+xml", ru},
		{"koi8-r in header only", rssWithTitle(`<?xml version="1.0"?>`, koi8r), "text/xml; charset=KOI8-R", ru},
		{"header overrides declaration", rssWithTitle(`<?xml version="1.0" encoding="iso-8859-1"?>`, koi8r), "text/xml; charset=koi8-r", ru},
		{"header says utf-8, declaration knows better", rssWithTitle(`<?xml version="1.0" encoding="windows-1251"?>`, win1251), "text/xml; charset=utf-8", ru},
		{"euc-kr in declaration", rssWithTitle(`<?xml version="1.0" encoding="EUC-KR"?>`, euckr), "", ko},
		{"iso-8859-1 in declaration", rssWithTitle(`<?xml version="1.0" encoding="ISO-8859-1"?>`, latin1), "", "Café Ünïcödé"},
		{"undeclared latin-1 falls back to windows-1252", rssWithTitle(`<?xml version="1.0"?>`, latin1), "", "Café Ünïcödé"},
		{"utf-8 with a wrong declaration", rssWithTitle(`<?xml version="1.0" encoding="windows-1252"?>`, ru), "", ru},
		{"utf-16le with BOM", utf16le, "application/xml", ru},
		{"utf-16be with BOM", utf16be, "", ko},
		{"utf-8 BOM", "\xEF\xBB\xBF" + rssWithTitle(`<?xml version="1.0" encoding="utf-8"?>`, ru), "", ru},
		{"invalid utf-8 bytes replaced", rssWithTitle(`<?xml version="1.0" encoding="utf-8"?>`, "Москва \xff\xfe конец"), "", "Москва \uFFFD конец"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustParse(t, tt.body, tt.contentType, "https://a.example/feed")
			if len(f.Entries) != 1 || f.Entries[0].Title != tt.want {
				t.Fatalf("entries = %+v; want one titled %q", f.Entries, tt.want)
			}
		})
	}
}

func TestParseRepairsTruncatedXML(t *testing.T) {
	full := rssWithTitle(`<?xml version="1.0"?>`, "first")
	cut := strings.TrimSuffix(full, "</channel></rss>") + "<item><title>second</title><li"
	f := mustParse(t, cut, "", "https://a.example/feed")
	if !f.Repaired || len(f.Entries) < 1 || f.Entries[0].Title != "first" {
		t.Errorf("Repaired=%v entries=%+v; want the complete first entry kept", f.Repaired, f.Entries)
	}
}

func TestParseRSSInJSON(t *testing.T) {
	body := `{"rss":{"version":"2.0","channel":{"title":"Scripting","link":"http://s.example/","item":[
		{"title":"One","link":"http://s.example/1","pubDate":"Mon, 26 Jun 2017 12:20:05 GMT","guid":"g1"},
		{"description":"Two","link":"http://s.example/2"}]}}}`
	f := mustParse(t, body, "application/json", "http://s.example/rss.json")
	if f.Title != "Scripting" || len(f.Entries) != 2 || f.Entries[0].GUID != "g1" || f.Entries[1].Text != "Two" ||
		!f.Entries[0].Published.Equal(time.Date(2017, 6, 26, 12, 20, 5, 0, time.UTC)) {
		t.Errorf("feed = %+v", f)
	}
}

func TestParseSummaryCap(t *testing.T) {
	long := strings.Repeat("<p>paragraph of text</p>", 1000)
	body := `<rss version="2.0"><channel><item><title>x</title><description><![CDATA[` + long + `]]></description></item></channel></rss>`
	e := mustParse(t, body, "", "https://a.example/").Entries[0]
	if len(e.SummaryHTML) > SummaryMaxBytes || len(e.SummaryHTML) < SummaryMaxBytes/2 || !strings.HasSuffix(e.SummaryHTML, ">") {
		t.Errorf("SummaryHTML: %d bytes ending %q; want at most %d, cut after a tag", len(e.SummaryHTML), e.SummaryHTML[max(0, len(e.SummaryHTML)-10):], SummaryMaxBytes)
	}
	if strings.Count(e.Text, "\n") != 999 {
		t.Errorf("Text has %d lines, want the full 1000", strings.Count(e.Text, "\n")+1)
	}
}

func TestParseDropsUnsafeLinks(t *testing.T) {
	body := `<rss version="2.0"><channel><item><title>x</title><link>javascript:alert(1)</link><guid>g</guid></item></channel></rss>`
	if e := mustParse(t, body, "", "https://a.example/").Entries[0]; e.URL != "" || e.GUID != "g" {
		t.Errorf("URL = %q, GUID = %q; want no URL for a javascript: link", e.URL, e.GUID)
	}
}

// TestParseCategoriesPlainText: upstream markup in a category is stripped,
// not kept (the W3C validator's "category should not contain HTML").
func TestParseCategoriesPlainText(t *testing.T) {
	const rss = `<?xml version="1.0"?>
<rss version="2.0"><channel><title>T</title><link>https://c.example/</link>
  <item><guid>c1</guid><title>Story</title><link>https://c.example/1</link>
    <category><![CDATA[<a href="https://c.example/tag/nk">North Korea</a>]]></category>
    <category>&lt;b&gt;Politics&lt;/b&gt;</category>
    <category>AT&amp;T</category>
    <category><![CDATA[<span>Politics</span>]]></category>
  </item>
</channel></rss>`
	const atomDoc = `<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom"><id>tag:c.example,2026:f</id><title>T</title><updated>2026-01-01T00:00:00Z</updated>
  <entry><id>tag:c.example,2026:1</id><title>Story</title><updated>2026-01-01T00:00:00Z</updated>
    <category term="&lt;i&gt;Asia&lt;/i&gt; &amp;amp; Pacific"/>
  </entry>
</feed>`
	tests := []struct {
		name, body, want string
	}{
		{"rss", rss, "North Korea|Politics|AT&T"},
		{"atom", atomDoc, "Asia & Pacific"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustParse(t, tt.body, "", "https://c.example/feed")
			if got := strings.Join(f.Entries[0].Categories, "|"); got != tt.want {
				t.Errorf("categories = %q, want %q", got, tt.want)
			}
		})
	}
}
