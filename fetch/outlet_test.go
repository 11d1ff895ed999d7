package fetch

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

func parseFixture(t *testing.T, name, feedURL string) *Feed {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", "aggregators", name))
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse(body, "application/rss+xml", feedURL)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestGoogleNewsItems checks that a Google News item is read as its
// outlet's article: author and outlet from <source>, the " - Outlet"
// suffix gone from the title, no body from the link-only description, the
// redirect link kept but marked never to be fetched.
func TestGoogleNewsItems(t *testing.T) {
	f := parseFixture(t, "googlenews.xml", "https://news.google.com/rss/search?q=North+Korea+Russia")
	if len(f.Entries) != 2 {
		t.Fatalf("%d entries, want 2", len(f.Entries))
	}
	want := []struct{ title, outlet, outletURL string }{
		{"Putin accepts Kim Jong Un's invitation to visit North Korea, Pyongyang says", "Reuters", "https://www.reuters.com"},
		{"Russia and North Korea sign partnership pact", "AP News", "https://apnews.com"},
	}
	for i, e := range f.Entries {
		w := want[i]
		if e.Title != w.title || e.Outlet != w.outlet || e.Author != w.outlet || e.OutletURL != w.outletURL {
			t.Errorf("entry %d: title %q outlet %q author %q outlet URL %q; want %+v", i, e.Title, e.Outlet, e.Author, e.OutletURL, w)
		}
		if e.Text != "" || e.SummaryHTML != "" {
			t.Errorf("entry %d: the link-only description became body text %q / summary %q", i, e.Text, e.SummaryHTML)
		}
		if !e.Redirect || e.URL == "" || e.GUID == "" {
			t.Errorf("entry %d: redirect %v, link %q, guid %q: the redirect is kept as the link and marked", i, e.Redirect, e.URL, e.GUID)
		}
	}
}

// TestBingNewsItems checks Bing's shape: News:Source names the outlet and
// the apiclick redirect names the article, which becomes the link.
func TestBingNewsItems(t *testing.T) {
	f := parseFixture(t, "bingnews.xml", "https://www.bing.com/news/search?q=north+korea+russia&format=rss")
	if len(f.Entries) != 1 {
		t.Fatalf("%d entries, want 1", len(f.Entries))
	}
	e := f.Entries[0]
	if e.Outlet != "Reuters" || e.Author != "Reuters" || e.Redirect {
		t.Errorf("outlet %q author %q redirect %v", e.Outlet, e.Author, e.Redirect)
	}
	if want := "https://www.reuters.com/world/asia-pacific/putin-accepts-kim-invitation-2024-06-18/"; e.URL != want || e.CanonicalURL != want {
		t.Errorf("link %q canonical %q, want the article %q", e.URL, e.CanonicalURL, want)
	}
	if e.Text == "" {
		t.Error("Bing's description is a real summary and must stay body text")
	}
}

func TestTrimOutletSuffix(t *testing.T) {
	for _, tt := range []struct{ title, outlet, want string }{
		{"Kim meets Putin - Reuters", "Reuters", "Kim meets Putin"},
		{"Kim meets Putin | AP News", "ap news", "Kim meets Putin"},
		{"Kim - Putin summit - Yonhap News Agency", "Yonhap News Agency", "Kim - Putin summit"},
		{"Kim meets Putin - TASS", "Reuters", "Kim meets Putin - TASS"}, // another outlet's name stays
		{"Reuters", "Reuters", "Reuters"},
		{" - Reuters", "Reuters", " - Reuters"},
	} {
		if got := trimOutletSuffix(tt.title, tt.outlet); got != tt.want {
			t.Errorf("trimOutletSuffix(%q, %q) = %q, want %q", tt.title, tt.outlet, got, tt.want)
		}
	}
}

func TestOutletHost(t *testing.T) {
	for in, want := range map[string]string{
		"https://www.reuters.com":            "reuters.com",
		"https://apnews.com/article/x":       "apnews.com",
		"http://WWW.Yna.co.kr:8080/view/AEN": "yna.co.kr",
		"not a url":                          "",
	} {
		if got := OutletHost(in); got != want {
			t.Errorf("OutletHost(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestArticleNeverFetchesARedirectLink checks that an aggregator's redirect
// link is refused without a request.
func TestArticleNeverFetchesARedirectLink(t *testing.T) {
	f := New(Options{}, nil, nil)
	_, err := f.Article(context.Background(), ArticleRequest{URL: "https://news.google.com/rss/articles/CBMiWmh0dHBz?oc=5"})
	if Kind(err) != "redirect_link" {
		t.Fatalf("Article of a Google News link: %v (kind %q), want redirect_link", err, Kind(err))
	}
}
