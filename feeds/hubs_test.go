package feeds

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"reflect"
	"testing"
)

// TestHubLinks: every format names each WebSub hub and exactly one self
// link, as WebSub's discovery asks of a feed document.
func TestHubLinks(t *testing.T) {
	hubs := []string{"https://hub.example.net/", "http://127.0.0.1:9/hub?x=1&y=2"}
	f := sampleFeed()
	f.Hubs = hubs

	type link struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	}
	relsOf := func(links []link) (self []string, hub []string) {
		for _, l := range links {
			switch l.Rel {
			case "self":
				self = append(self, l.Href)
			case "hub":
				hub = append(hub, l.Href)
			}
		}
		return self, hub
	}
	check := func(format Format, self, hub []string) {
		t.Helper()
		if !reflect.DeepEqual(self, []string{f.SelfURL}) {
			t.Errorf("%s: self links %q, want exactly %q", format, self, f.SelfURL)
		}
		if !reflect.DeepEqual(hub, hubs) {
			t.Errorf("%s: hub links %q, want %q", format, hub, hubs)
		}
	}

	var atom struct {
		Links []link `xml:"http://www.w3.org/2005/Atom link"`
	}
	if err := xml.Unmarshal(renderFeed(t, FormatAtom, f), &atom); err != nil {
		t.Fatal(err)
	}
	self, hub := relsOf(atom.Links)
	check(FormatAtom, self, hub)

	var rss struct {
		Channel struct {
			Links []link `xml:"http://www.w3.org/2005/Atom link"`
		} `xml:"channel"`
	}
	if err := xml.Unmarshal(renderFeed(t, FormatRSS, f), &rss); err != nil {
		t.Fatal(err)
	}
	self, hub = relsOf(rss.Channel.Links)
	check(FormatRSS, self, hub)

	var js struct {
		FeedURL string `json:"feed_url"`
		Hubs    []struct{ Type, URL string }
	}
	if err := json.Unmarshal(renderFeed(t, FormatJSON, f), &js); err != nil {
		t.Fatal(err)
	}
	hub = nil
	for _, h := range js.Hubs {
		if h.Type != "WebSub" {
			t.Errorf("json: hub type %q, want WebSub", h.Type)
		}
		hub = append(hub, h.URL)
	}
	check(FormatJSON, []string{js.FeedURL}, hub)

	// No hubs configured: no hub links, and still one self link.
	f.Hubs = nil
	atom.Links = nil
	if err := xml.Unmarshal(renderFeed(t, FormatAtom, f), &atom); err != nil {
		t.Fatal(err)
	}
	if self, hub := relsOf(atom.Links); len(hub) != 0 || len(self) != 1 {
		t.Errorf("without hubs: self %q, hub %q", self, hub)
	}
}

func renderFeed(t *testing.T, format Format, f Feed) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, format, f); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
