package aggregator_test

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"aggregator"
	"aggregator/feeds"
	"aggregator/fetch"
)

// TestAggregatorItemsFoldIntoTheOutletsArticle polls an outlet's own feed,
// an English and an Indonesian Google News search and a Bing News search
// that carry its article and another outlet's: the feed has one entry per
// article, attributed to the outlet, titled without the " - Outlet" suffix,
// with no "also reported by" line from the aggregators.
func TestAggregatorItemsFoldIntoTheOutletsArticle(t *testing.T) {
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join("fetch", "testdata", "aggregators", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	google := read("googlenews.xml")
	// The Indonesian edition carries the AP article under its own ids.
	googleID := strings.ReplaceAll(strings.ReplaceAll(google, "CBMi", "CBMj"), "hl=en-US", "hl=id")
	mux := http.NewServeMux()
	for path, body := range map[string]string{
		"/reuters.xml": read("reuters.xml"), "/google-en.xml": google, "/google-id.xml": googleID, "/bing.xml": read("bingnews.xml"),
	} {
		mux.Handle(path, &feedHandler{body: body})
	}
	srv := serveHandler(t, mux)
	f := newPollFixture(t, fetch.Options{},
		aggregator.Source{Name: "Google News (en)", URL: srv.URL + "/google-en.xml"},
		aggregator.Source{Name: "Reuters", URL: srv.URL + "/reuters.xml"},
		aggregator.Source{Name: "Google News (id)", URL: srv.URL + "/google-id.xml"},
		aggregator.Source{Name: "Bing News", URL: srv.URL + "/bing.xml"})
	f.clock.Set(time.Date(2024, 6, 19, 13, 0, 0, 0, time.UTC))
	rep := f.poll(t)
	total, failed := rep.Totals()
	if failed != 0 || total.New != 2 || total.Duplicates != 4 {
		t.Fatalf("totals %+v (%d failed), want 2 new and 4 duplicates", total, failed)
	}

	feed, err := f.p.Feed(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	byTitle := map[string]feeds.Entry{}
	for _, e := range feed.Entries {
		byTitle[e.Title] = e
	}
	if len(feed.Entries) != 2 {
		t.Fatalf("%d entries, want one per article: %+v", len(feed.Entries), byTitle)
	}
	for title, want := range map[string]struct{ author, link string }{
		"Putin accepts Kim Jong Un's invitation to visit North Korea, Pyongyang says": {"Reuters", "https://www.reuters.com/world/asia-pacific/putin-accepts-kim-invitation-2024-06-18/"},
		"Russia and North Korea sign partnership pact":                                {"AP News", "https://news.google.com/rss/articles/"},
	} {
		e, ok := byTitle[title]
		if !ok {
			t.Errorf("no entry titled %q; entries %v", title, feed.Entries)
			continue
		}
		if e.Author != want.author || !strings.HasPrefix(e.Link, want.link) {
			t.Errorf("%q: author %q link %q, want %q and %s…", title, e.Author, e.Link, want.author, want.link)
		}
		if len(e.Related) != 0 || strings.Contains(e.SummaryHTML, "Also reported by") {
			t.Errorf("%q: the aggregators' copies are listed as other reports: %+v", title, e.Related)
		}
		if strings.Contains(e.SummaryHTML, "<font") || strings.Contains(e.SummaryHTML, "news.google.com") {
			t.Errorf("%q: the aggregator's link-only description is the summary: %s", title, e.SummaryHTML)
		}
	}

	// The aggregator's item is explained as the same article.
	exps, err := f.p.Explain(context.Background(), "https://news.google.com/rss/articles/CBMiWmh0dHBzOi8vd3d3LnJldXRlcnMuY29tL3dvcmxkL2FzaWEtcGFjaWZpYy9wdXRpbi1hY2NlcHRzLWtpbS1pbnZpdGF0aW9uLTIwMjQtMDYtMTgv0gEA?oc=5")
	if err != nil || len(exps) != 1 {
		t.Fatalf("explain the Google item: %v, %d explanations", err, len(exps))
	}
	if d := exps[0].Item.Decision; d.Verdict != aggregator.VerdictSameArticle && d.Verdict != aggregator.VerdictNew {
		t.Errorf("Google item: verdict %s (%s)", d.Verdict, d.TopicRule)
	}
	var buf bytes.Buffer
	if err := feeds.Write(&buf, feeds.FormatAtom, feed); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "Pyongyang says - Reuters") || strings.Contains(buf.String(), "<name>Google News") {
		t.Errorf("the Atom feed still shows the aggregator's title or author:\n%s", buf.String())
	}
}
