package aggregator_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"aggregator"
	"aggregator/fetch"
)

// A full_text: auto source has the pages of its short new entries fetched,
// oldest first, at most ArticlesPerCycle a cycle; a long entry needs none.
// Every page fetched is stored, failed ones with their kind.
func TestFullTextOldestFirstWithinTheLimit(t *testing.T) {
	var mu sync.Mutex
	requested := map[string]int{}
	var feed string
	srv := serveHandler(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/feed" {
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, feed)
			return
		}
		mu.Lock()
		requested[r.URL.Path]++
		mu.Unlock()
		http.NotFound(w, r)
	}))
	long := strings.Repeat("Pyongyang and Moscow officials met again to talk about trade. ", 12)
	item := func(n, hour int, text string) string {
		return fmt.Sprintf(`<item><title>North Korea and Russia item %d</title><link>%s/a/%d</link><guid>g%d</guid>
			<pubDate>Mon, 09 Mar 2026 %02d:00:00 GMT</pubDate><description>%s</description></item>`, n, srv.URL, n, n, hour, text)
	}
	// Feed order is newest first; /a/0 is the oldest and long.
	feed = `<?xml version="1.0"?><rss version="2.0"><channel><title>S</title><link>` + srv.URL + `/</link>` +
		item(3, 9, "Kim met Putin.") + item(2, 8, "Kim met Putin again.") + item(1, 7, "Lavrov went to Pyongyang.") +
		item(0, 6, long) + `</channel></rss>`

	f := newPollFixture(t, fetch.Options{}, aggregator.Source{Name: "S", URL: srv.URL + "/feed", FullText: aggregator.FullTextAuto})
	f.opts.ArticlesPerCycle = 2
	f.reconfigure(t, f.opts.Sources...)
	rep := f.poll(t)
	if sr := reportFor(t, rep, "S"); sr.Err != nil || sr.Entries != 4 {
		t.Fatalf("report %+v", sr)
	}
	want := map[string]int{"/a/1": 1, "/a/2": 1}
	mu.Lock()
	got := fmt.Sprint(requested)
	mu.Unlock()
	if got != fmt.Sprint(want) {
		t.Errorf("article requests %s, want %v (the two oldest short entries)", got, want)
	}
	ctx := context.Background()
	for n := range 4 {
		a, err := f.store.ArticleByURL(ctx, fetch.CanonicalURL(fmt.Sprintf("%s/a/%d", srv.URL, n)))
		fetched := want[fmt.Sprintf("/a/%d", n)] == 1
		switch {
		case fetched && (err != nil || a.ErrorKind != "status" || a.Status != 404 || a.Extracted()):
			t.Errorf("article %d: %+v, %v; want a stored failure of kind status", n, a, err)
		case !fetched && !errors.Is(err, aggregator.ErrNotFound):
			t.Errorf("article %d stored (%+v, %v), want none", n, a, err)
		}
	}
}
