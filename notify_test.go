package aggregator_test

import (
	"context"
	"testing"
	"time"

	"aggregator"
	"aggregator/fetch"
)

// TestPollQueuesNotifications: a cycle queues one notification per new
// story and webhook, in the story's transaction; copies, updates and a
// second cycle queue none.
func TestPollQueuesNotifications(t *testing.T) {
	wire := serveHandler(t, &feedHandler{body: onTopicRSS("wire", 3, "")})
	same := serveHandler(t, &feedHandler{body: onTopicRSS("wire", 3, "")}) // the same articles through another feed
	f := newPollFixture(t, fetch.Options{Timeout: 5 * time.Second},
		aggregator.Source{Name: "wire", URL: wire.URL + "/feed"}, aggregator.Source{Name: "mirror", URL: same.URL + "/feed"})
	hooks := []string{"https://desk.example.com/hook", "http://127.0.0.1:9/other"}
	f.opts.Notify = hooks
	f.reconfigure(t, f.opts.Sources...)

	rep := f.poll(t)
	total, _ := rep.Totals()
	if total.New != 3 || total.Duplicates != 3 {
		t.Fatalf("first cycle: %+v", total)
	}
	ctx := context.Background()
	rows, err := f.store.PendingNotifications(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 6 {
		t.Fatalf("%d notifications queued, want 3 stories × 2 webhooks: %+v", len(rows), rows)
	}
	stories := map[int64]int{}
	for i, n := range rows {
		if n.Endpoint != hooks[i%2] || !n.Queued.Equal(f.clock.Now()) {
			t.Errorf("row %d = %+v", i, n)
		}
		stories[n.StoryID]++
	}
	views, err := f.store.LatestStories(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range views {
		if stories[v.ID] != 2 {
			t.Errorf("story %d queued %d times, want once per webhook", v.ID, stories[v.ID])
		}
	}

	f.clock.Set(f.clock.Now().Add(time.Hour))
	f.poll(t)
	if again, _ := f.store.PendingNotifications(ctx, 100); len(again) != 6 {
		t.Errorf("after a cycle with nothing new: %d rows, want still 6", len(again))
	}
}
