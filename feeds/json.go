package feeds

import (
	"encoding/json"
	"fmt"
	"io"

	gorilla "github.com/gorilla/feeds"
)

// jsonFeed extends gorilla's JSONFeed. Its items array is always present, as
// JSON Feed requires (gorilla omits an empty one).
type jsonFeed struct {
	*gorilla.JSONFeed
	Items []*jsonItem `json:"items"`
}

// jsonItem extends gorilla's JSONItem with the "_aggregator" extension
// object (JSON Feed 1.1 "custom objects") carrying what JSON Feed has no
// field for: the related links with their languages, the categories with a
// scheme (their terms are also tags) and the original feed.
type jsonItem struct {
	*gorilla.JSONItem
	Language  string         `json:"language,omitempty"`
	Extension *jsonExtension `json:"_aggregator,omitempty"`
}

type jsonExtension struct {
	Related    []jsonLink     `json:"related,omitempty"`
	Categories []jsonCategory `json:"categories,omitempty"`
	Source     *jsonSource    `json:"source,omitempty"`
}

type jsonLink struct {
	URL      string `json:"url"`
	Title    string `json:"title,omitempty"`
	Language string `json:"language,omitempty"`
}

type jsonCategory struct {
	Term   string `json:"term"`
	Scheme string `json:"scheme,omitempty"`
	Label  string `json:"label,omitempty"`
}

type jsonSource struct {
	ID      string `json:"id,omitempty"`
	Title   string `json:"title,omitempty"`
	URL     string `json:"url,omitempty"`
	FeedURL string `json:"feed_url,omitempty"`
	Updated string `json:"updated,omitempty"`
}

// jsonDocument builds the JSON Feed document: gorilla's JSONFeed, extended.
func jsonDocument(p *prepared) *jsonFeed {
	g := (&gorilla.JSON{Feed: p.gorillaFeed()}).JSONFeed()
	g.HomePageUrl = p.AlternateURL
	g.FeedUrl = p.SelfURL
	g.Language = p.Language
	for _, h := range p.Hubs {
		g.Hubs = append(g.Hubs, &gorilla.JSONHub{Type: "WebSub", Url: h})
	}
	doc := &jsonFeed{JSONFeed: g, Items: make([]*jsonItem, len(g.Items))}
	for i, gi := range g.Items {
		e := &p.entries[i]
		// JSON Feed's summary is plain text; the sanitised HTML is the content.
		gi.Summary = ""
		gi.ContentHTML = e.summary
		if gi.ContentHTML == "" {
			gi.ContentText = e.Title // one of content_html, content_text is required
		}
		gi.Tags = e.categories
		it := &jsonItem{JSONItem: gi, Language: e.Language}
		var ext jsonExtension
		for _, c := range e.schemed {
			gi.Tags = append(gi.Tags, c.Term)
			ext.Categories = append(ext.Categories, jsonCategory(c))
		}
		for _, r := range e.related {
			ext.Related = append(ext.Related, jsonLink{URL: r.Href, Title: r.Title, Language: r.Lang})
		}
		if s := e.Source; s != nil {
			ext.Source = &jsonSource{ID: s.ID, Title: s.Title, URL: s.Link, FeedURL: s.FeedURL, Updated: formatTime(normTime(s.Updated))}
		}
		if ext.Related != nil || ext.Categories != nil || ext.Source != nil {
			it.Extension = &ext
		}
		doc.Items[i] = it
	}
	g.Items = nil
	return doc
}

func writeJSON(w io.Writer, p *prepared) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(jsonDocument(p)); err != nil {
		return fmt.Errorf("encode json: %w", err)
	}
	return nil
}
