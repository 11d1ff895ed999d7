package server

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"aggregator"
)

// TestStatusPageShowsGUIDClashes polls a feed whose two entries share a GUID
// but not their link: the sources table says so, naming both links.
func TestStatusPageShowsGUIDClashes(t *testing.T) {
	item := func(link, title, body string) string {
		return fmt.Sprintf(`<item><title>%s</title><link>%s</link><guid isPermaLink="false">same-guid</guid>
			<pubDate>Mon, 02 Mar 2026 08:00:00 GMT</pubDate><description>%s</description></item>`, title, link, body)
	}
	feed := `<?xml version="1.0"?><rss version="2.0"><channel><title>w</title><link>http://w.example/</link>` +
		item("http://w.example/rail", "Kim and Putin open a railway bridge",
			"North Korea and Russia opened the Tumen river railway bridge to freight trains on Monday, officials in Pyongyang said.") +
		item("http://w.example/kremlin", "Kim visits the Kremlin",
			"Kim Jong Un arrived in Moscow for talks with Vladimir Putin on military cooperation and sanctions, the Kremlin said.") +
		`</channel></rss>`
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, feed)
	}))
	defer up.Close()
	b := testBackend(t, aggregator.Source{Name: "Wire", URL: up.URL})
	rep, err := b.Pipeline.Poll(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	s := New(b, Options{Schedule: fakeSchedule{period: time.Minute, next: t0.Add(time.Minute)}})
	s.RecordCycle(rep, nil)
	page := get(t, s, "/status", nil).Body.String()
	want := `two entries share the GUID <code>same-guid</code> but not their link, kept as separate items: ` +
		`<a href="http://w.example/rail">http://w.example/rail</a> and <a href="http://w.example/kremlin">http://w.example/kremlin</a>`
	if !strings.Contains(page, want) {
		t.Errorf("status page lacks the clash line %q", want)
	}
	if c, _ := b.Store.Counts(context.Background()); c.Items != 2 {
		t.Errorf("%d items stored, want 2", c.Items)
	}
}
