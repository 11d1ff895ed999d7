package push

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"aggregator"
	"aggregator/store/sqlite"
)

// receiver is a local webhook recording the requests it gets; it answers
// 500 to the first failFirst of them.
type receiver struct {
	*httptest.Server
	mu        sync.Mutex
	failFirst int
	calls     int
	got       []received // the requests answered 2xx
}

type received struct {
	body      []byte
	signature string
	ctype     string
}

func newReceiver(t *testing.T, failFirst int) *receiver {
	rc := &receiver{failFirst: failFirst}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		defer rc.mu.Unlock()
		rc.calls++
		if rc.calls <= rc.failFirst {
			http.Error(w, "down for maintenance", http.StatusInternalServerError)
			return
		}
		rc.got = append(rc.got, received{body: body, signature: r.Header.Get(SignatureHeader), ctype: r.Header.Get("Content-Type")})
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) received() (calls int, got []received) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.calls, slices.Clone(rc.got)
}

// verify checks the signature of a request as a receiver would: the
// HMAC-SHA256 of the exact body with the shared secret.
func verify(t *testing.T, secret string, r received) {
	t.Helper()
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(r.body)
	want := "sha256=" + hex.EncodeToString(m.Sum(nil))
	if !hmac.Equal([]byte(r.signature), []byte(want)) {
		t.Errorf("signature %q, want %q", r.signature, want)
	}
}

const feedURL = "https://news.example.org/feed.atom"

// newStory stores a story with a copy from another outlet, queued for the
// webhooks, as a cycle's transaction does.
func newStory(t *testing.T, st *sqlite.Store, guid string, at time.Time, hooks ...string) aggregator.Item {
	t.Helper()
	ctx := context.Background()
	a, err := st.EnsureSource(ctx, "Outlet A", "http://a.example/feed")
	if err != nil {
		t.Fatal(err)
	}
	b, err := st.EnsureSource(ctx, "Outlet B", "http://b.example/feed")
	if err != nil {
		t.Fatal(err)
	}
	tx, err := st.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	head := aggregator.Item{SourceID: a.ID, GUID: guid, URL: "http://a.example/" + guid, CanonicalURL: "http://a.example/" + guid,
		Title: "Story " + guid, Body: "Body of " + guid + ".", SummaryHTML: "<p>Summary of <b>" + guid + "</b> &amp; more.</p>",
		Published: at, FirstSeen: at, Updated: at, Language: "en", Decision: aggregator.Decision{Verdict: aggregator.VerdictNew, OnTopic: true}}
	if err := tx.NewStory(ctx, &head); err != nil {
		t.Fatal(err)
	}
	cp := aggregator.Item{SourceID: b.ID, GUID: guid + "-copy", URL: "http://b.example/" + guid, CanonicalURL: "http://b.example/" + guid,
		Title: "Copy of " + guid, Published: at.Add(time.Minute), FirstSeen: at, Updated: at, StoryID: head.StoryID,
		Decision: aggregator.Decision{Verdict: aggregator.VerdictStoryCopy, Match: aggregator.StoryKey(head.StoryID)}}
	if err := tx.InsertItem(ctx, &cp); err != nil {
		t.Fatal(err)
	}
	for _, h := range hooks {
		if err := tx.QueueNotification(ctx, head.StoryID, h, at); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return head
}

func openStore(t *testing.T, path string) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

var fastBackoff = Backoff{Initial: 5 * time.Millisecond, Max: 20 * time.Millisecond}

func TestWebhookPayloadAndSignature(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	st := openStore(t, path)
	defer st.Close()
	signed, unsigned := newReceiver(t, 0), newReceiver(t, 0)
	const secret = "0123456789abcdef-secret"
	at := time.Date(2026, 12, 1, 8, 30, 0, 0, time.UTC)
	head := newStory(t, st, "s1", at, signed.URL, unsigned.URL+"/hook")

	w := NewWebhooks(WebhooksOptions{Backoff: fastBackoff})
	w.Configure(st, feedURL, []Webhook{{URL: signed.URL, Secret: secret}, {URL: unsigned.URL + "/hook"}})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if pending, err := w.Flush(ctx); err != nil || pending != 0 {
		t.Fatalf("Flush = %d pending, %v", pending, err)
	}
	_, got := signed.received()
	if len(got) != 1 {
		t.Fatalf("signed receiver got %d requests, want 1", len(got))
	}
	verify(t, secret, got[0])
	if got[0].ctype != "application/json" {
		t.Errorf("Content-Type %q", got[0].ctype)
	}
	var p map[string]any
	if err := json.Unmarshal(got[0].body, &p); err != nil {
		t.Fatal(err)
	}
	story := aggregator.Story{ID: head.StoryID, Created: at}
	want := map[string]any{
		"id": aggregator.EntryID(feedURL, story), "title": "Story s1", "link": "http://a.example/s1", "outlet": "Outlet A",
		"language": "en", "published": "2026-12-01T08:30:00Z", "summary": "Summary of s1 & more.",
		"related": []any{map[string]any{"title": "Copy of s1", "link": "http://b.example/s1", "outlet": "Outlet B"}},
	}
	for k, v := range want {
		if gotV, _ := json.Marshal(p[k]); string(gotV) != mustJSON(t, v) {
			t.Errorf("%s = %s, want %s", k, gotV, mustJSON(t, v))
		}
	}
	if len(p) != len(want) {
		t.Errorf("payload has keys %v, want exactly %d", p, len(want))
	}
	if !strings.HasPrefix(p["id"].(string), "tag:news.example.org,2026-12-01:story:") {
		t.Errorf("id %q is not the feed's entry id", p["id"])
	}
	_, plain := unsigned.received()
	if len(plain) != 1 || plain[0].signature != "" || string(plain[0].body) != string(got[0].body) {
		t.Errorf("unsigned receiver got %+v, want the same body without a signature", plain)
	}
	if left, _ := st.PendingNotifications(ctx, 10); len(left) != 0 {
		t.Errorf("still pending after delivery: %+v", left)
	}
	for _, s := range w.Status() {
		if s.Delivered != 1 || s.Pending != 0 || s.Failed != 0 {
			t.Errorf("status %+v", s)
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestWebhookRetriesAndRestart: a receiver that fails twice gets the story
// on the third attempt, the same bytes each time; a restart on the same
// state file repeats no delivered notification and delivers a pending one.
func TestWebhookRetriesAndRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	st := openStore(t, path)
	flaky := newReceiver(t, 2)
	const secret = "another-secret-of-some-length"
	hooks := []Webhook{{URL: flaky.URL, Secret: secret}}
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	newStory(t, st, "r1", t0, flaky.URL)

	w := NewWebhooks(WebhooksOptions{Backoff: fastBackoff})
	w.Configure(st, feedURL, hooks)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if pending, err := w.Flush(ctx); err != nil || pending != 0 {
		t.Fatalf("Flush = %d pending, %v", pending, err)
	}
	calls, got := flaky.received()
	if calls != 3 || len(got) != 1 {
		t.Fatalf("receiver: %d requests, %d accepted; want 3 and 1", calls, len(got))
	}
	verify(t, secret, got[0])
	if s := w.Status()[0]; s.Failed != 2 || s.Delivered != 1 || s.ConsecutiveFailures != 0 {
		t.Errorf("status %+v", s)
	}

	// A second story is queued, then the daemon stops before delivering it
	// (a worker that is never run).
	newStory(t, st, "r2", t0.Add(time.Hour), flaky.URL)
	st.Close()

	st2 := openStore(t, path)
	defer st2.Close()
	w2 := NewWebhooks(WebhooksOptions{Backoff: fastBackoff})
	w2.Configure(st2, feedURL, hooks)
	runCtx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); w2.Run(runCtx) }()
	waitFor(t, "the pending story", func() bool { _, got := flaky.received(); return len(got) == 2 })
	stop()
	<-done
	calls, got = flaky.received()
	if calls != 4 {
		t.Errorf("receiver got %d requests in all, want 4 (the delivered story is not repeated)", calls)
	}
	var p1, p2 Payload
	json.Unmarshal(got[0].body, &p1)
	json.Unmarshal(got[1].body, &p2)
	if p1.Title != "Story r1" || p2.Title != "Story r2" {
		t.Errorf("delivered %q then %q, want r1 then r2", p1.Title, p2.Title)
	}
	verify(t, secret, got[1])
	if left, _ := st2.PendingNotifications(context.Background(), 10); len(left) != 0 {
		t.Errorf("pending after restart: %+v", left)
	}
}

// TestWebhookBackoffStored: a failure's next attempt is stored, so that a
// restart waits it out instead of hammering a failing receiver; rows of a
// webhook no longer configured stay pending, unsent.
func TestWebhookBackoffStored(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	st := openStore(t, path)
	defer st.Close()
	down := newReceiver(t, 1000)
	gone := "http://127.0.0.1:1/removed"
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	newStory(t, st, "b1", t0, down.URL, gone)
	newStory(t, st, "b2", t0, down.URL)

	now := t0
	w := NewWebhooks(WebhooksOptions{Backoff: Backoff{Initial: time.Hour, Max: time.Hour}, Now: func() time.Time { return now }})
	w.Configure(st, feedURL, []Webhook{{URL: down.URL}})
	next, err := w.round(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !next.Equal(t0.Add(time.Hour)) {
		t.Errorf("next attempt %v, want an hour later", next)
	}
	if calls, _ := down.received(); calls != 1 {
		t.Errorf("%d requests, want 1: the second story waits behind the first", calls)
	}
	rows, _ := st.PendingNotifications(context.Background(), 10)
	if len(rows) != 3 || rows[0].Attempts != 1 || !rows[0].NextAttempt.Equal(next) || !strings.Contains(rows[0].LastError, "500") {
		t.Fatalf("outbox after a failure: %+v", rows)
	}
	if s := w.Status()[0]; s.Pending != 2 || !s.NextAttempt.Equal(next) || !strings.Contains(s.LastError, "down for maintenance") {
		t.Errorf("status %+v", s)
	}

	// A new worker (a restart) before the hour is up sends nothing.
	w2 := NewWebhooks(WebhooksOptions{Backoff: Backoff{Initial: time.Hour, Max: time.Hour}, Now: func() time.Time { return now }})
	w2.Configure(st, feedURL, []Webhook{{URL: down.URL}})
	if _, err := w2.round(context.Background()); err != nil {
		t.Fatal(err)
	}
	if calls, _ := down.received(); calls != 1 {
		t.Errorf("%d requests after a restart within the backoff, want still 1", calls)
	}
	now = t0.Add(time.Hour)
	if _, err := w2.round(context.Background()); err != nil {
		t.Fatal(err)
	}
	if calls, _ := down.received(); calls != 2 {
		t.Errorf("%d requests once the backoff passed, want 2", calls)
	}
	rows, _ = st.PendingNotifications(context.Background(), 10)
	if rows[0].Attempts != 2 || !rows[0].NextAttempt.Equal(now.Add(time.Hour)) {
		t.Errorf("second failure: %+v", rows[0])
	}
}
