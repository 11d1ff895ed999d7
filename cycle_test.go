package aggregator_test

import (
	"aggregator"
	"context"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"aggregator/fetch"
)

// TestPollRerunIsConditional checks the one-shot case: with no hint and no
// error a source is due again at once, and the second poll is conditional.
func TestPollRerunIsConditional(t *testing.T) {
	good := &feedHandler{body: onTopicRSS("wire", 4, "")}
	srv := serveHandler(t, good)
	f := newPollFixture(t, fetch.Options{Timeout: 5 * time.Second}, aggregator.Source{Name: "wire", URL: srv.URL + "/feed"})
	rep := f.poll(t)
	if sr := reportFor(t, rep, "wire"); sr.Err != nil || sr.New != 4 || sr.Skipped {
		t.Fatalf("first poll: %+v", sr)
	}
	src := f.source(t, "wire")
	if !src.NextFetchAt.Equal(rep.Started) || src.NextFetchReason != aggregator.ReasonSchedule {
		t.Errorf("no hints: next poll %v (%s), want the cycle start %v", src.NextFetchAt, src.NextFetchReason, rep.Started)
	}
	f.clock.Set(f.clock.Now().Add(time.Second))
	rep = f.poll(t)
	if sr := reportFor(t, rep, "wire"); sr.Skipped || !sr.NotModified || good.count.Load() != 2 || good.lastINM.Load() == "" {
		t.Fatalf("immediate rerun: %+v, %d requests, If-None-Match %q", sr, good.count.Load(), good.lastINM.Load())
	}
}

// TestPollHonoursHints checks each hint a source can give: the next poll
// is pushed later by it, the source is skipped (and reported as such) until
// then, and polled again once it is due.
func TestPollHonoursHints(t *testing.T) {
	tests := []struct {
		name    string
		channel string
		header  http.Header
		delay   time.Duration
		reason  string
	}{
		{"ttl", "<ttl>90</ttl>", nil, 90 * time.Minute, aggregator.ReasonTTL},
		{"max-age", "", http.Header{"Cache-Control": {"public, max-age=7200"}}, 2 * time.Hour, aggregator.ReasonMaxAge},
		{"expires", "", http.Header{"Date": {"Sat, 01 Jan 2022 00:00:00 GMT"}, "Expires": {"Sat, 01 Jan 2022 03:00:00 GMT"}}, 3 * time.Hour, aggregator.ReasonExpires},
		{"sy:updatePeriod", `<sy:updatePeriod xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">daily</sy:updatePeriod>
			<sy:updateFrequency xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">2</sy:updateFrequency>`, nil, 12 * time.Hour, aggregator.ReasonUpdatePeriod},
		{"longest wins", "<ttl>30</ttl>", http.Header{"Cache-Control": {"max-age=3600"}}, time.Hour, aggregator.ReasonMaxAge},
		{"shorter than the schedule", "<ttl>5</ttl>", nil, 5 * time.Minute, aggregator.ReasonTTL},
		{"capped at a day", "<ttl>100000</ttl>", nil, aggregator.MaxDelay, aggregator.ReasonTTL},
		// The clock starts Tuesday 09:00 UTC: hours 9-11 skipped means noon.
		{"skipHours", "<skipHours><hour>9</hour><hour>10</hour><hour>11</hour></skipHours>", nil, 3 * time.Hour, aggregator.ReasonSkipHours},
		{"skipDays", "<skipDays><day>Tuesday</day></skipDays>", nil, 15 * time.Hour, aggregator.ReasonSkipDays},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &feedHandler{body: onTopicRSS("hinted", 2, tt.channel), header: tt.header}
			srv := serveHandler(t, h)
			f := newPollFixture(t, fetch.Options{Timeout: 5 * time.Second}, aggregator.Source{Name: "hinted", URL: srv.URL + "/feed"})
			start := f.clock.Now()
			f.poll(t)
			src := f.source(t, "hinted")
			if want := start.Add(tt.delay); !src.NextFetchAt.Equal(want) || src.NextFetchReason != tt.reason {
				t.Fatalf("next poll %v (%s), want %v (%s)", src.NextFetchAt, src.NextFetchReason, want, tt.reason)
			}
			// A cycle before that time leaves the source alone, and says so.
			f.clock.Set(start.Add(tt.delay / 2))
			rep := f.poll(t)
			if sr := reportFor(t, rep, "hinted"); !sr.Skipped || !sr.NextPoll.Equal(src.NextFetchAt) || h.count.Load() != 1 {
				t.Fatalf("cycle before the hint: %+v, %d requests", sr, h.count.Load())
			}
			// The cycle at that time polls it.
			f.clock.Set(src.NextFetchAt)
			rep = f.poll(t)
			if sr := reportFor(t, rep, "hinted"); sr.Skipped || h.count.Load() != 2 {
				t.Fatalf("cycle at the hint: %+v, %d requests", sr, h.count.Load())
			}
		})
	}
}

// TestPollPermanentRedirect checks that 301 and 308 move the stored URL
// (and later polls go straight there) while 302 and 307 do not, and that
// the config URL wins again when it changes.
func TestPollPermanentRedirect(t *testing.T) {
	feed := &feedHandler{body: onTopicRSS("moved", 2, "")}
	mux := http.NewServeMux()
	mux.Handle("/new", feed)
	mux.Handle("/301", http.RedirectHandler("/new", http.StatusMovedPermanently))
	mux.Handle("/308", http.RedirectHandler("/new", http.StatusPermanentRedirect))
	mux.Handle("/302", http.RedirectHandler("/new", http.StatusFound))
	mux.Handle("/307", http.RedirectHandler("/new", http.StatusTemporaryRedirect))
	mux.Handle("/other", &feedHandler{body: onTopicRSS("other", 1, "")})
	var mu sync.Mutex
	hits := map[string]int{}
	count := func(path string) int {
		mu.Lock()
		defer mu.Unlock()
		return hits[path]
	}
	srv := serveHandler(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	for _, tt := range []struct {
		path  string
		moves bool
	}{{"/301", true}, {"/308", true}, {"/302", false}, {"/307", false}} {
		t.Run(tt.path, func(t *testing.T) {
			mu.Lock()
			clear(hits)
			mu.Unlock()
			f := newPollFixture(t, fetch.Options{Timeout: 5 * time.Second, Concurrency: 1}, aggregator.Source{Name: "s", URL: srv.URL + tt.path})
			rep := f.poll(t)
			sr := reportFor(t, rep, "s")
			src := f.source(t, "s")
			if sr.Err != nil || (sr.MovedTo != "") != tt.moves || (src.MovedURL == srv.URL+"/new") != tt.moves || src.URL != srv.URL+tt.path {
				t.Fatalf("report %+v; stored URL %q moved to %q", sr, src.URL, src.MovedURL)
			}
			f.clock.Set(f.clock.Now().Add(time.Minute))
			f.poll(t)
			wantHits := 2
			if tt.moves {
				wantHits = 1 // the second poll went straight to /new
			}
			if count(tt.path) != wantHits || count("/new") != 2 {
				t.Fatalf("requests %v, want %d to %s", hits, wantHits, tt.path)
			}
			if !tt.moves {
				return
			}
			// The configured URL changes: it wins over the stored move.
			f.reconfigure(t, aggregator.Source{Name: "s", URL: srv.URL + "/other"})
			f.clock.Set(f.clock.Now().Add(time.Minute))
			f.poll(t)
			if src := f.source(t, "s"); src.MovedURL != "" || src.FetchURL() != srv.URL+"/other" || count("/other") != 1 {
				t.Fatalf("after a config change: %+v, requests %v", src, hits)
			}
		})
	}
}

// TestPollGoneRetires checks that a 410 retires the source: it is reported
// as retired and not polled by later cycles, a forced poll reaches it, and a
// new config URL brings it back.
func TestPollGoneRetires(t *testing.T) {
	var gone atomic.Int64
	srv := serveHandler(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gone.Add(1)
		w.WriteHeader(http.StatusGone)
	}))
	good := &feedHandler{body: onTopicRSS("alive", 2, "")}
	alive := serveHandler(t, good)
	f := newPollFixture(t, fetch.Options{Timeout: 5 * time.Second}, aggregator.Source{Name: "gone", URL: srv.URL + "/feed"})
	rep := f.poll(t)
	sr := reportFor(t, rep, "gone")
	src := f.source(t, "gone")
	if !sr.Retired || sr.Err == nil || !src.Retired() || src.LastStatus != 410 || src.NextFetchReason != aggregator.ReasonRetired {
		t.Fatalf("after 410: report %+v, stored %+v", sr, src)
	}
	for range 3 {
		f.clock.Set(f.clock.Now().Add(aggregator.MaxDelay))
		rep = f.poll(t)
	}
	if sr := reportFor(t, rep, "gone"); !sr.Skipped || !sr.Retired || gone.Load() != 1 {
		t.Fatalf("a retired source was polled: %+v, %d requests", sr, gone.Load())
	}
	rep, err := f.p.PollAll(context.Background(), nil)
	if err != nil || gone.Load() != 2 || reportFor(t, rep, "gone").Skipped {
		t.Fatalf("forced poll: %v, %d requests", err, gone.Load())
	}
	f.reconfigure(t, aggregator.Source{Name: "gone", URL: alive.URL + "/feed"})
	rep = f.poll(t)
	if sr := reportFor(t, rep, "gone"); sr.Skipped || sr.Err != nil || f.source(t, "gone").Retired() || good.count.Load() != 1 {
		t.Fatalf("after a config change: %+v", sr)
	}
}

// TestPollBackoffAndRecovery checks that errors are counted and kept, back
// the source off, and are reset by the next success.
func TestPollBackoffAndRecovery(t *testing.T) {
	var failing atomic.Bool
	failing.Store(true)
	h := &feedHandler{body: onTopicRSS("flaky", 2, "")}
	srv := serveHandler(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if failing.Load() {
			http.Error(w, "database down", http.StatusInternalServerError)
			return
		}
		h.ServeHTTP(w, r)
	}))
	f := newPollFixture(t, fetch.Options{Timeout: 5 * time.Second}, aggregator.Source{Name: "flaky", URL: srv.URL + "/feed"})
	for i := 1; i <= 3; i++ {
		start := f.clock.Now()
		f.poll(t)
		src := f.source(t, "flaky")
		d := f.opts.Interval << (i - 1)
		gap := src.NextFetchAt.Sub(start)
		if src.ErrorCount != i || src.LastErrorKind != "status" || !strings.Contains(src.LastError, "status 500") ||
			gap < d/2 || gap >= d || src.NextFetchReason != aggregator.ReasonBackoff {
			t.Fatalf("after %d errors: count %d kind %q error %q, next poll in %v (want [%v, %v))",
				i, src.ErrorCount, src.LastErrorKind, src.LastError, gap, d/2, d)
		}
		f.clock.Set(src.NextFetchAt)
	}
	failing.Store(false)
	f.poll(t)
	src := f.source(t, "flaky")
	if src.ErrorCount != 0 || src.LastError != "" || src.LastErrorKind != "" || src.NextFetchReason != aggregator.ReasonSchedule || src.LastSuccessAt.IsZero() {
		t.Fatalf("a success must reset the errors: %+v", src)
	}
}

// TestPollReportsDurationWhenStoreFailsEarly: a cycle whose store fails
// before any source is fetched still says when it ended, so the daemon logs
// a real duration (not Finished's zero time minus Started).
func TestPollReportsDurationWhenStoreFailsEarly(t *testing.T) {
	src := aggregator.Source{Name: "wire", URL: "http://127.0.0.1:1/feed"}
	f := newPollFixture(t, fetch.Options{Timeout: time.Second}, src)
	var calls atomic.Int64
	start := f.clock.Now()
	f.opts.Now = func() time.Time { return start.Add(time.Duration(calls.Add(1)) * time.Second) }
	f.reconfigure(t, src)
	if err := f.store.Close(); err != nil {
		t.Fatal(err)
	}
	rep, err := f.p.Poll(context.Background(), nil)
	if err == nil {
		t.Fatal("Poll on a closed store succeeded")
	}
	if rep.Finished.IsZero() || rep.Finished.Before(rep.Started) {
		t.Fatalf("report of the failed cycle: started %v, finished %v; want a finish after the start", rep.Started, rep.Finished)
	}
	if d := rep.Finished.Sub(rep.Started); d <= 0 || d > time.Minute {
		t.Errorf("duration %v, want the few seconds of the fake clock", d)
	}
}
