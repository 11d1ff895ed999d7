package feeds

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestWriteRejectsBadInput(t *testing.T) {
	tests := []struct {
		name    string
		format  Format
		edit    func(*Feed)
		wantErr string
	}{
		{"unknown format", "html", func(*Feed) {}, "unknown format"},
		{"feed without id", FormatAtom, func(f *Feed) { f.ID = "" }, "feed id: empty"},
		{"relative feed id", FormatRSS, func(f *Feed) { f.ID = "/feed.atom" }, "not an absolute IRI"},
		{"entry without id", FormatJSON, func(f *Feed) { f.Entries[1].ID = " " }, "entry 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := sampleFeed()
			tt.edit(&f)
			var buf bytes.Buffer
			err := Write(&buf, tt.format, f)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Write error = %v, want one mentioning %q", err, tt.wantErr)
			}
			if buf.Len() != 0 {
				t.Errorf("Write wrote %d bytes before failing", buf.Len())
			}
		})
	}
	if err := Write(&bytes.Buffer{}, "html", sampleFeed()); !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("unknown format error %v is not ErrUnknownFormat", err)
	}
}

func TestWriteUpdatedFallbacks(t *testing.T) {
	newest := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	f := Feed{
		ID: "https://news.example.org/feed.atom",
		Entries: []Entry{
			{ID: "tag:x,2026:1", Title: "only published", Published: newest.Add(-time.Hour)},
			{ID: "tag:x,2026:2", Title: "newest", Updated: newest.Add(123 * time.Millisecond)},
			{ID: "tag:x,2026:3", Title: "no dates"},
		},
	}
	_, doc := renderAtom(t, f)
	if doc.Updated != "2026-11-21T12:00:00Z" {
		t.Errorf("feed updated = %q, want the newest entry's", doc.Updated)
	}
	want := []string{"2026-11-21T11:00:00Z", "2026-11-21T12:00:00Z", "2026-11-21T12:00:00Z"}
	for i, e := range doc.Entries {
		if e.Updated != want[i] {
			t.Errorf("entry %d (%s) updated = %q, want %q", i, e.Title.Text, e.Updated, want[i])
		}
	}
	if len(doc.Authors) == 0 || doc.Authors[0].Name == "" {
		t.Error("feed without any author got no fallback author")
	}
}

func TestWriteRSS(t *testing.T) {
	f := sampleFeed()
	var buf bytes.Buffer
	if err := Write(&buf, FormatRSS, f); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version string `xml:"version,attr"`
		Channel struct {
			Title       string    `xml:"title"`
			Links       []rssLink `xml:"link"`
			Description string    `xml:"description"`
			Items       []struct {
				Title       string    `xml:"title"`
				Links       []rssLink `xml:"link"`
				Description string    `xml:"description"`
				Creator     string    `xml:"http://purl.org/dc/elements/1.1/ creator"`
				Categories  []struct {
					Domain string `xml:"domain,attr"`
					Term   string `xml:",chardata"`
				} `xml:"category"`
				GUID struct {
					ID          string `xml:",chardata"`
					IsPermaLink string `xml:"isPermaLink,attr"`
				} `xml:"guid"`
				Source struct {
					URL string `xml:"url,attr"`
				} `xml:"source"`
			} `xml:"item"`
		} `xml:"channel"`
	}
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("RSS is not well-formed: %v", err)
	}
	link, self, _ := splitRSSLinks(doc.Channel.Links)
	if doc.Version != "2.0" || link != f.AlternateURL || self != f.SelfURL || doc.Channel.Description == "" {
		t.Errorf("channel: version %q link %q self %q description %q", doc.Version, link, self, doc.Channel.Description)
	}
	if len(doc.Channel.Items) != 3 {
		t.Fatalf("%d items, want 3", len(doc.Channel.Items))
	}
	first, hostile := doc.Channel.Items[0], doc.Channel.Items[1]
	if first.GUID.ID != f.Entries[0].ID || first.GUID.IsPermaLink != "false" {
		t.Errorf("guid = %+v, want the tag URI with isPermaLink=false (a tag: URI is not a link)", first.GUID)
	}
	link, _, related := splitRSSLinks(first.Links)
	if link != f.Entries[0].Link || first.Creator != "Example Wire" || len(first.Categories) != 4 || first.Source.URL == "" || len(related) != 2 {
		t.Errorf("first item lost author, categories, source or related links: %+v", first)
	}
	if c := first.Categories[len(first.Categories)-1]; c.Term != "event:story:42" || c.Domain != "https://news.example.org/events.atom" {
		t.Errorf("event category = %+v, want term event:story:42 with the events feed as domain", c)
	}
	if first.Categories[0].Domain != "" {
		t.Errorf("plain category %+v got a domain", first.Categories[0])
	}
	if hostile.Title != f.Entries[1].Title {
		t.Errorf("hostile title = %q, want the literal text", hostile.Title)
	}
	if strings.Contains(strings.ToLower(hostile.Description), "<script") {
		t.Errorf("description not sanitised: %s", hostile.Description)
	}
}

// rssLink is an RSS <link> or an <atom:link>; encoding/xml matches both to
// an unqualified tag, so they are told apart by namespace.
type rssLink struct {
	XMLName xml.Name
	Href    string `xml:"href,attr"`
	Rel     string `xml:"rel,attr"`
	Text    string `xml:",chardata"`
}

func splitRSSLinks(links []rssLink) (link, self string, related []string) {
	for _, l := range links {
		switch {
		case l.XMLName.Space == "":
			link = l.Text
		case l.Rel == "self":
			self = l.Href
		case l.Rel == "related":
			related = append(related, l.Href)
		}
	}
	return link, self, related
}

func TestWriteJSON(t *testing.T) {
	f := sampleFeed()
	f.Entries[2].SummaryHTML = "<script>only a script</script>"
	var buf bytes.Buffer
	if err := Write(&buf, FormatJSON, f); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version string `json:"version"`
		Title   string `json:"title"`
		FeedURL string `json:"feed_url"`
		Home    string `json:"home_page_url"`
		Items   []struct {
			ID          string   `json:"id"`
			URL         string   `json:"url"`
			Title       string   `json:"title"`
			ContentHTML string   `json:"content_html"`
			ContentText string   `json:"content_text"`
			Summary     string   `json:"summary"`
			Tags        []string `json:"tags"`
			Authors     []struct {
				Name string `json:"name"`
			} `json:"authors"`
			Ext struct {
				Related []struct {
					URL      string `json:"url"`
					Language string `json:"language"`
				} `json:"related"`
				Categories []struct {
					Term, Scheme, Label string
				} `json:"categories"`
			} `json:"_aggregator"`
		} `json:"items"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("JSON Feed is not valid JSON: %v", err)
	}
	if doc.Version != "https://jsonfeed.org/version/1.1" || doc.FeedURL != f.SelfURL || doc.Home != f.AlternateURL {
		t.Errorf("feed: version %q feed_url %q home_page_url %q", doc.Version, doc.FeedURL, doc.Home)
	}
	if len(doc.Items) != 3 {
		t.Fatalf("%d items, want 3", len(doc.Items))
	}
	for i, it := range doc.Items {
		if it.ContentHTML == "" && it.ContentText == "" {
			t.Errorf("item %d has neither content_html nor content_text", i)
		}
		if it.Summary != "" {
			t.Errorf("item %d summary %q: JSON Feed summaries are plain text, HTML belongs in content_html", i, it.Summary)
		}
	}
	first := doc.Items[0]
	if first.URL != f.Entries[0].Link || len(first.Tags) != 4 || len(first.Authors) != 1 || len(first.Ext.Related) != 2 {
		t.Errorf("first item lost url, tags, authors or related links: %+v", first)
	}
	if first.Tags[3] != "event:story:42" || len(first.Ext.Categories) != 1 || first.Ext.Categories[0].Scheme != "https://news.example.org/events.atom" {
		t.Errorf("event category: tags %q, _aggregator.categories %+v", first.Tags, first.Ext.Categories)
	}
	if len(first.Ext.Related) == 2 && (first.Ext.Related[0].Language != "" || first.Ext.Related[1].Language != "ko") {
		t.Errorf("related languages %+v, want none and ko", first.Ext.Related)
	}
	if doc.Items[1].Title != f.Entries[1].Title || strings.Contains(doc.Items[1].ContentHTML, "<script") {
		t.Errorf("hostile item: title %q content %q", doc.Items[1].Title, doc.Items[1].ContentHTML)
	}

	var empty bytes.Buffer
	if err := Write(&empty, FormatJSON, Feed{ID: "https://news.example.org/feed.json"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(empty.String(), `"items": []`) {
		t.Errorf("an empty JSON Feed must still carry an items array:\n%s", empty.String())
	}
}
