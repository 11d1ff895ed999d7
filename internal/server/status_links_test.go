package server

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"aggregator"
)

// TestNoEmptyLinks polls two outlets reporting the same two stories; one
// outlet's link to each is unsafe (javascript:) and dropped. Neither the
// status page nor the feed has an empty link, and the copy without a link
// is in the feed's "also reported by" as text, as it is on the status page.
func TestNoEmptyLinks(t *testing.T) {
	const (
		bridge = "North Korea and Russia opened the Tumen river railway bridge to freight trains on Monday, officials in Pyongyang said, " +
			"after two years of construction paid for by Moscow. The first train carried coal and fertiliser across the border, " +
			"and Russian railways said daily traffic would begin next month."
		kremlin = "Kim Jong Un arrived in Moscow for talks with Vladimir Putin on military cooperation and sanctions, the Kremlin said, " +
			"his first visit to the Russian capital in five years. The two leaders are expected to sign an agreement on " +
			"technology transfers and the supply of artillery shells."
	)
	item := func(guid, link, title, body string, day int) string {
		return fmt.Sprintf(`<item><title>%s</title><link>%s</link><guid isPermaLink="false">%s</guid>
			<pubDate>Mon, 0%d Mar 2026 08:00:00 GMT</pubDate><description>%s</description></item>`, title, link, guid, day, body)
	}
	channel := func(items ...string) string {
		return `<?xml version="1.0"?><rss version="2.0"><channel><title>w</title><link>http://w.example/</link>` +
			strings.Join(items, "") + `</channel></rss>`
	}
	// Wire first reports the bridge without a safe link and the Kremlin
	// visit with one; Herald, polled later, the other way round.
	wire := channel(item("w1", "javascript:alert(1)", "Railway bridge opens", bridge, 2),
		item("w2", "http://wire.example/kremlin", "Kim in Moscow", kremlin, 2))
	herald := channel(item("h1", "http://herald.example/bridge", "Bridge to Russia opens", bridge, 3),
		item("h2", "javascript:void(0)", "Kim visits the Kremlin", kremlin, 3))
	var heraldReady atomic.Bool
	serve := func(body func() string) *httptest.Server {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, body())
		}))
		t.Cleanup(srv.Close)
		return srv
	}
	upWire := serve(func() string { return wire })
	upHerald := serve(func() string {
		if heraldReady.Load() {
			return herald
		}
		return channel()
	})
	b := testBackend(t, aggregator.Source{Name: "Wire", URL: upWire.URL}, aggregator.Source{Name: "Herald", URL: upHerald.URL})
	ctx := context.Background()
	if _, err := b.Pipeline.Poll(ctx, nil); err != nil {
		t.Fatal(err)
	}
	heraldReady.Store(true)
	rep, err := b.Pipeline.PollAll(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := b.Store.Counts(ctx); c.Stories != 2 || c.Items != 4 {
		t.Fatalf("stored %d stories of %d items, want 2 of 4 (each Herald item a copy of Wire's)", c.Stories, c.Items)
	}
	s := New(b, Options{Schedule: fakeSchedule{period: time.Minute, next: t0.Add(time.Minute)}})
	s.RecordCycle(rep, nil)
	if err := s.Publish(ctx); err != nil {
		t.Fatal(err)
	}

	reading := get(t, s, "/", nil).Body.String()
	if strings.Contains(reading, `href=""`) {
		t.Errorf("reading page has an empty link:\n%s", reading)
	}
	for _, want := range []string{"Railway bridge opens", "Kim visits the Kremlin"} {
		if !strings.Contains(reading, want) {
			t.Errorf("reading page lacks %q (a story or copy without a link)", want)
		}
	}
	page := get(t, s, "/status", nil).Body.String()
	if strings.Contains(page, `href=""`) {
		t.Errorf("status page has an empty link:\n%s", page)
	}
	for _, want := range []string{
		`<div class="title">Railway bridge opens</div>`, // the head without a link, as text
		`<li><a href="http://herald.example/bridge">Herald</a>: Bridge to Russia opens</li>`,
		`<div class="title"><a href="http://wire.example/kremlin">Kim in Moscow</a></div>`,
		`<li>Herald: Kim visits the Kremlin</li>`, // the copy without a link, as text
	} {
		if !strings.Contains(page, want) {
			t.Errorf("status page lacks %s", want)
		}
	}

	feed := get(t, s, "/feed.atom", nil).Body.String()
	if strings.Contains(feed, `href=""`) || strings.Contains(feed, `href=&#34;&#34;`) {
		t.Errorf("feed has an empty link:\n%s", feed)
	}
	for _, want := range []string{
		`&lt;li&gt;Herald: Kim visits the Kremlin&lt;/li&gt;`,
		`&lt;li&gt;&lt;a href=&#34;http://herald.example/bridge&#34; rel=&#34;nofollow noopener&#34;&gt;Herald&lt;/a&gt;: Bridge to Russia opens&lt;/li&gt;`,
	} {
		if !strings.Contains(feed, want) {
			t.Errorf("feed's also reported by lacks %s\n%s", want, feed)
		}
	}
}
