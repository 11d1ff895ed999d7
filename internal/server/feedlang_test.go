package server

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"
	"time"

	"aggregator"
	"aggregator/store/sqlite"
)

// addStory stores a new story headed by an item in lang.
func addStory(t *testing.T, st *sqlite.Store, guid, title, lang string, at time.Time) {
	t.Helper()
	ctx := context.Background()
	src, err := st.EnsureSource(ctx, "wire", "http://wire.example/feed")
	if err != nil {
		t.Fatal(err)
	}
	tx, err := st.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	it := aggregator.Item{SourceID: src.ID, GUID: guid, URL: "http://wire.example/" + guid, CanonicalURL: "http://wire.example/" + guid,
		Title: title, Body: title, Published: at, FirstSeen: at, Updated: at, Language: lang,
		Decision: aggregator.Decision{Verdict: aggregator.VerdictNew, OnTopic: true, TopicRule: "keywords"}}
	if err := tx.NewStory(ctx, &it); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// fetchURL GETs url with the header given and returns the response and its body.
func fetchURL(t *testing.T, url string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

type langAtom struct {
	ID    string `xml:"id"`
	Lang  string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	Links []struct {
		Href string `xml:"href,attr"`
		Rel  string `xml:"rel,attr"`
	} `xml:"link"`
	Entries []struct {
		Lang  string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
		Title string `xml:"title"`
	} `xml:"entry"`
}

func (a langAtom) self() string {
	for _, l := range a.Links {
		if l.Rel == "self" {
			return l.Href
		}
	}
	return ""
}

// TestLanguageFeeds serves the per-language feeds over HTTP: each carries
// only the stories whose head is in its language, names the language,
// has its own self link and ETag and answers 304 to it; a language without
// stories gets a valid empty feed; a malformed lang is a 400; a new story
// changes its language's feed and no other's.
func TestLanguageFeeds(t *testing.T) {
	b := testBackend(t)
	st := b.Store.(*sqlite.Store)
	addStory(t, st, "e1", "Putin lands in Pyongyang", "en", t0)
	addStory(t, st, "i1", "Putin tiba di Pyongyang", "id", t0.Add(time.Hour))
	addStory(t, st, "e2", "Kim and Putin sign a treaty", "en", t0.Add(2*time.Hour))
	addStory(t, st, "u1", "Kim, Putin", "", t0.Add(3*time.Hour))
	clk := &clock{t: t0.Add(4 * time.Hour)}
	s := New(b, Options{Schedule: fakeSchedule{period: time.Minute}, Now: clk.Now})
	if err := s.Publish(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()

	atomOf := func(path string) (langAtom, *http.Response) {
		resp, body := fetchURL(t, srv.URL+path, nil)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, body)
		}
		var doc langAtom
		if err := xml.Unmarshal(body, &doc); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return doc, resp
	}
	main, mainResp := atomOf("/feed.atom")
	en, enResp := atomOf("/feed.atom?lang=en")
	id, idResp := atomOf("/feed.atom?lang=id")
	if len(main.Entries) != 4 || main.Lang != "" {
		t.Errorf("main feed: %d entries, xml:lang %q; want 4 and none", len(main.Entries), main.Lang)
	}
	var titles []string
	for _, e := range en.Entries {
		titles = append(titles, e.Title)
		if e.Lang != "en" {
			t.Errorf("en feed: entry %q has xml:lang %q", e.Title, e.Lang)
		}
	}
	if strings.Join(titles, "|") != "Kim and Putin sign a treaty|Putin lands in Pyongyang" || en.Lang != "en" {
		t.Errorf("en feed: entries %q, xml:lang %q", titles, en.Lang)
	}
	if len(id.Entries) != 1 || id.Entries[0].Title != "Putin tiba di Pyongyang" || id.Lang != "id" {
		t.Errorf("id feed: %+v", id)
	}
	if en.self() != "https://feeds.example.org/feed.atom?lang=en" || en.ID != en.self() || main.self() != "https://feeds.example.org/feed.atom" {
		t.Errorf("self links: main %q, en %q (id %q)", main.self(), en.self(), en.ID)
	}
	etags := map[string]string{"main": mainResp.Header.Get("ETag"), "en": enResp.Header.Get("ETag"), "id": idResp.Header.Get("ETag")}
	if etags["main"] == etags["en"] || etags["en"] == etags["id"] || etags["en"] == "" {
		t.Errorf("ETags not told apart: %v", etags)
	}
	if resp, _ := fetchURL(t, srv.URL+"/feed.atom?lang=en", map[string]string{"If-None-Match": etags["en"]}); resp.StatusCode != 304 {
		t.Errorf("en feed with its ETag: %d, want 304", resp.StatusCode)
	}
	if resp, _ := fetchURL(t, srv.URL+"/feed.atom?lang=id", map[string]string{"If-None-Match": etags["en"]}); resp.StatusCode != 200 {
		t.Errorf("id feed with the en feed's ETag: %d, want 200", resp.StatusCode)
	}
	if resp, _ := fetchURL(t, srv.URL+"/feed.atom?lang=EN", map[string]string{"If-None-Match": etags["en"]}); resp.StatusCode != 304 {
		t.Errorf("lang=EN with the en feed's ETag: %d, want 304 (the same feed)", resp.StatusCode)
	}

	// RSS and JSON Feed.
	resp, body := fetchURL(t, srv.URL+"/feed.rss?lang=id", nil)
	var rss struct {
		Channel struct {
			Language string `xml:"language"`
			Links    []struct {
				Href string `xml:"href,attr"`
				Rel  string `xml:"rel,attr"`
			} `xml:"http://www.w3.org/2005/Atom link"`
			Items []struct {
				Title string `xml:"title"`
			} `xml:"item"`
		} `xml:"channel"`
	}
	if err := xml.Unmarshal(body, &rss); err != nil || resp.StatusCode != 200 {
		t.Fatalf("rss: %d %v", resp.StatusCode, err)
	}
	if rss.Channel.Language != "id" || len(rss.Channel.Items) != 1 || len(rss.Channel.Links) != 1 ||
		rss.Channel.Links[0].Href != "https://feeds.example.org/feed.rss?lang=id" {
		t.Errorf("rss id feed: %+v", rss.Channel)
	}
	resp, body = fetchURL(t, srv.URL+"/feed.json?lang=ko", nil)
	var js struct {
		Version, FeedURL, Language string
		Items                      []json.RawMessage `json:"items"`
	}
	if err := json.Unmarshal(body, &js); err != nil || resp.StatusCode != 200 {
		t.Fatalf("json ko feed: %d %v %s", resp.StatusCode, err, body)
	}
	if js.Language != "ko" || js.Items == nil || len(js.Items) != 0 || !strings.Contains(string(body), `"feed_url": "https://feeds.example.org/feed.json?lang=ko"`) {
		t.Errorf("json ko feed: %s", body)
	}
	ko, _ := atomOf("/feed.atom?lang=ko")
	if len(ko.Entries) != 0 || ko.Lang != "ko" {
		t.Errorf("ko feed: %+v; want an empty feed in ko", ko)
	}

	for _, q := range []string{"lang=", "lang=english", "lang=en-US", "lang=jp", "lang=x-klingon", "lang=en&lang=id", "lang=%3Cscript%3E"} {
		resp, body := fetchURL(t, srv.URL+"/feed.atom?"+q, nil)
		if resp.StatusCode != 400 || !strings.Contains(string(body), "lang") {
			t.Errorf("?%s: %d %q, want 400 naming lang", q, resp.StatusCode, body)
		}
	}

	// A new English story changes the en feed, not the id feed.
	addStory(t, st, "e3", "Putin leaves Pyongyang", "en", t0.Add(5*time.Hour))
	clk.Add(time.Minute)
	if err := s.Publish(context.Background()); err != nil {
		t.Fatal(err)
	}
	en2, enResp2 := atomOf("/feed.atom?lang=en")
	_, idResp2 := atomOf("/feed.atom?lang=id")
	if len(en2.Entries) != 3 || enResp2.Header.Get("ETag") == etags["en"] {
		t.Errorf("after a new en story: %d en entries, ETag %s (was %s)", len(en2.Entries), enResp2.Header.Get("ETag"), etags["en"])
	}
	if idResp2.Header.Get("ETag") != etags["id"] {
		t.Errorf("the id feed's ETag changed without an id story: %s → %s", etags["id"], idResp2.Header.Get("ETag"))
	}
	readByFeedparser(t, srv.URL)
}

// readByFeedparser reads the per-language Atom and RSS feeds with Debian's
// python3-feedparser (which .ci/run installs): not bozo, the language, the
// self link and the entries.
func readByFeedparser(t *testing.T, base string) {
	t.Helper()
	if err := exec.Command("/usr/bin/python3", "-c", "import feedparser").Run(); err != nil {
		t.Skipf("python3-feedparser is not installed (apt-get install python3-feedparser): %v", err)
	}
	const script = `import json, sys, feedparser
d = feedparser.parse(sys.argv[1])
print(json.dumps({"bozo": bool(d.bozo), "version": d.version, "language": d.feed.get("language"),
  "self": next((l.get("href") for l in d.feed.get("links", []) if l.get("rel") == "self"), None),
  "titles": [e.get("title") for e in d.entries]}))`
	for _, c := range []struct {
		path, version, self string
		entries             int
	}{
		{"/feed.atom?lang=en", "atom10", "https://feeds.example.org/feed.atom?lang=en", 3},
		{"/feed.rss?lang=en", "rss20", "https://feeds.example.org/feed.rss?lang=en", 3},
		{"/feed.atom?lang=id", "atom10", "https://feeds.example.org/feed.atom?lang=id", 1},
		{"/feed.atom?lang=ko", "atom10", "https://feeds.example.org/feed.atom?lang=ko", 0},
	} {
		out, err := exec.Command("/usr/bin/python3", "-c", script, base+c.path).Output()
		if err != nil {
			t.Fatalf("feedparser on %s: %v", c.path, err)
		}
		var got struct {
			Bozo              bool
			Version, Language string
			Self              string
			Titles            []string
		}
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("feedparser on %s: %v: %s", c.path, err, out)
		}
		lang := c.path[strings.Index(c.path, "=")+1:]
		if got.Bozo || got.Version != c.version || got.Language != lang || got.Self != c.self || len(got.Titles) != c.entries {
			t.Errorf("feedparser on %s: %+v; want %s, language %s, self %s, %d entries", c.path, got, c.version, lang, c.self, c.entries)
		}
	}
}

// TestLanguageFeedsAreBounded asks for more languages than are kept: each
// gets its feed, and no more than langFeedsMax stay rendered.
func TestLanguageFeedsAreBounded(t *testing.T) {
	s := New(testBackend(t), Options{Schedule: fakeSchedule{period: time.Minute}})
	if err := s.Publish(context.Background()); err != nil {
		t.Fatal(err)
	}
	codes := strings.Fields("aa ab af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr")
	if len(codes) <= langFeedsMax {
		t.Fatalf("only %d languages asked for; the test needs more than %d", len(codes), langFeedsMax)
	}
	for _, c := range codes {
		rec := get(t, s, "/feed.json?lang="+c, nil)
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"language": "`+c+`"`) {
			t.Fatalf("lang=%s: %d %s", c, rec.Code, rec.Body.String())
		}
	}
	if n := s.langs.cache.Len(); n != langFeedsMax {
		t.Errorf("%d languages rendered, want at most and here exactly %d", n, langFeedsMax)
	}
}
