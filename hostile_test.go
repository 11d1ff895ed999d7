package aggregator_test

import (
	"aggregator"
	"compress/gzip"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"aggregator/fetch"
)

// The hostile-upstream suite: each test puts one misbehaving server in the
// same poll cycle as a good source and runs the real Pipeline.Poll on a
// real store. Each asserts the error recorded on the hostile source, that
// the cycle ends in bounded time (under three times the fetch timeout) and
// bounded memory (peak heap growth during the cycle), that the good source
// was polled and its stories stored, and that the stored state and the
// served feed are exactly what the good source alone produces.

const (
	hostileTimeout   = 2 * time.Second
	hostileBodyLimit = 1 << 20 // 1 MiB, counted after decompression
	// hostileHeapBound bounds the heap growth of one cycle: the body limit
	// (read into a buffer that may double once) plus a margin for the good
	// source's feed, the decisions, SQLite, garbage the GC has not yet
	// collected and the hostile server itself (it runs in this process). A
	// body that was not bounded (10 GB of gzip, an endless stream) would
	// blow far past it.
	hostileHeapBound = hostileBodyLimit + 15<<20
)

// hostileRun is a pipeline polling one good source and the hostile ones,
// plus the state the good source alone leads to.
type hostileRun struct {
	t       *testing.T
	f       *pollFixture
	good    *feedHandler
	want    snapshot // the state after polling the good source alone
	goodHit int64
}

func startHostile(t *testing.T, hostile ...aggregator.Source) *hostileRun {
	t.Helper()
	good := &feedHandler{body: onTopicRSS("good", 5, "")}
	goodSrv := serveHandler(t, good)
	goodSource := aggregator.Source{Name: "good", URL: goodSrv.URL + "/feed.xml"}
	fopts := fetch.Options{Timeout: hostileTimeout, MaxBodyBytes: hostileBodyLimit, Concurrency: 4, PerHost: 2}

	control := newPollFixture(t, fopts, goodSource)
	control.poll(t)
	want := takeSnapshot(t, control.p, control.store)
	if want.stories != 5 {
		t.Fatalf("the good source alone stored %d stories, want 5", want.stories)
	}
	good.count.Store(0)
	return &hostileRun{t: t, f: newPollFixture(t, fopts, append([]aggregator.Source{goodSource}, hostile...)...), good: good, want: want}
}

// cycle runs one measured poll cycle and checks the bounds, the good
// source and the stored state.
func (h *hostileRun) cycle() aggregator.Report {
	t := h.t
	t.Helper()
	runtime.GC()
	base := heapBytes()
	stop := make(chan struct{})
	peakc := make(chan uint64)
	go func() { // samples the heap until stop is closed
		peak := base
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				peakc <- peak
				return
			case <-tick.C:
				peak = max(peak, heapBytes())
			}
		}
	}()
	start := time.Now()
	rep := h.f.poll(t)
	elapsed := time.Since(start)
	close(stop)
	peak := <-peakc
	growth := int64(peak) - int64(base)
	t.Logf("%s: cycle took %v, peak heap %+.1f MiB over a %.1f MiB baseline (bound %d MiB)",
		t.Name(), elapsed.Round(time.Millisecond), float64(growth)/(1<<20), float64(base)/(1<<20), hostileHeapBound>>20)
	if elapsed > 3*hostileTimeout {
		t.Errorf("cycle took %v, more than 3 × the %v timeout", elapsed, hostileTimeout)
	}
	if growth > hostileHeapBound {
		t.Errorf("heap grew by %d MiB during the cycle, bound %d MiB", growth>>20, hostileHeapBound>>20)
	}

	h.goodHit++
	if sr := reportFor(t, rep, "good"); sr.Err != nil || sr.Skipped || h.good.count.Load() != h.goodHit {
		t.Errorf("the good source was not polled: %+v (%d requests, want %d)", sr, h.good.count.Load(), h.goodHit)
	}
	if d := takeSnapshot(t, h.f.p, h.f.store).diff(h.want); d != "" {
		t.Errorf("the stored state is not what the good source alone gives: %s", d)
	}
	return rep
}

// heapBytes is the heap occupied by objects, live or not yet swept.
func heapBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// expectError checks the error recorded on the stored source.
func (h *hostileRun) expectError(name, kind, contains string) {
	h.t.Helper()
	src := h.f.source(h.t, name)
	if src.LastErrorKind != kind || !strings.Contains(src.LastError, contains) || src.ErrorCount == 0 || src.NextFetchAt.IsZero() {
		h.t.Errorf("stored source %s: kind %q error %q (count %d, next poll %v); want kind %q and %q",
			name, src.LastErrorKind, src.LastError, src.ErrorCount, src.NextFetchAt, kind, contains)
	}
	h.t.Logf("%s: recorded error [%s] %s", h.t.Name(), src.LastErrorKind, src.LastError)
}

// hijackWrite takes over the connection, writes raw, and closes it; reset
// makes the close a TCP reset instead of an orderly shutdown.
func hijackWrite(w http.ResponseWriter, raw string, reset bool) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(err)
	}
	buf.WriteString(raw)
	buf.Flush()
	if tc, ok := conn.(*net.TCPConn); ok && reset {
		tc.SetLinger(0)
	}
	conn.Close()
}

func TestHostileSlowloris(t *testing.T) {
	body := onTopicRSS("slow", 3, "")
	srv := serveHandler(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for i := 0; i < len(body); i++ {
			if _, err := io.WriteString(w, body[i:i+1]); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-tick.C: // one byte a second
			case <-r.Context().Done():
				return
			}
		}
	}))
	h := startHostile(t, aggregator.Source{Name: "slowloris", URL: srv.URL + "/feed"})
	h.cycle()
	h.expectError("slowloris", "timeout", "timeout after 2s (read body)")
}

func TestHostileEndlessBody(t *testing.T) {
	var sent atomic.Int64
	srv := serveHandler(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>endless</title>`)
		chunk := strings.Repeat("<item><title>North Korea Russia again</title><guid>x</guid></item>\n", 512)
		for {
			n, err := io.WriteString(w, chunk)
			sent.Add(int64(n))
			if err != nil {
				return
			}
		}
	}))
	h := startHostile(t, aggregator.Source{Name: "endless", URL: srv.URL + "/feed"})
	h.cycle()
	h.expectError("endless", "too_large", fmt.Sprintf("body exceeds %d bytes", hostileBodyLimit))
	t.Logf("%s: the server got %.1f MiB onto the wire before the connection closed", t.Name(), float64(sent.Load())/(1<<20))
}

// countingWriter counts the bytes that reach the connection.
type countingWriter struct {
	w io.Writer
	n *atomic.Int64
}

func (c countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n.Add(int64(n))
	return n, err
}

func TestHostileGzipBomb(t *testing.T) {
	// 10 GB of zeros, gzipped as they are sent: one 64 KiB buffer is reused,
	// the inflated body never exists anywhere. Deflate packs at most about
	// 1032:1, so all of it would be about 10 MB on the wire; the client
	// stops at its 1 MiB (decompressed) limit after about a kilobyte.
	const inflated = 10 << 30
	var wire atomic.Int64
	srv := serveHandler(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Header().Set("Content-Encoding", "gzip")
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush() // the headers go out before the compressor starts
		zw, _ := gzip.NewWriterLevel(countingWriter{w, &wire}, gzip.BestCompression)
		zeros := make([]byte, 64<<10)
		for sent := 0; sent < inflated; sent += len(zeros) {
			if _, err := zw.Write(zeros); err != nil {
				return
			}
			w.(http.Flusher).Flush() // what the compressor emitted goes out now
			if r.Context().Err() != nil {
				return
			}
		}
		zw.Close()
	}))
	h := startHostile(t, aggregator.Source{Name: "bomb", URL: srv.URL + "/feed"})
	h.cycle()
	h.expectError("bomb", "too_large", fmt.Sprintf("body exceeds %d bytes", hostileBodyLimit))
	t.Logf("%s: %d KiB of gzip went onto the wire before the client hung up", t.Name(), wire.Load()>>10)
}

func TestHostileRedirectLoop(t *testing.T) {
	var hits atomic.Int64
	srv := serveHandler(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, "/loop", http.StatusMovedPermanently)
	}))
	h := startHostile(t, aggregator.Source{Name: "loop", URL: srv.URL + "/loop"})
	h.cycle()
	h.expectError("loop", "redirects", "too many redirects: stopped after 5")
	if src := h.f.source(t, "loop"); src.MovedURL != "" || hits.Load() != 6 {
		t.Errorf("a redirect loop moved the source to %q after %d requests", src.MovedURL, hits.Load())
	}
}

func TestHostileHTMLPage(t *testing.T) {
	srv := serveHandler(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!doctype html><html><head><title>Sign in</title>
			<link rel="alternate" type="application/rss+xml" title="News" href="/rss/news.xml">
			</head><body><form>Please sign in to continue</form></body></html>`)
	}))
	h := startHostile(t, aggregator.Source{Name: "html", URL: srv.URL + "/feed"})
	h.cycle()
	h.expectError("html", "not_a_feed", "not a feed (text/html); the page advertises feeds: "+srv.URL+"/rss/news.xml")
}

func TestHostileEmptyBody(t *testing.T) {
	srv := serveHandler(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.WriteHeader(http.StatusOK)
	}))
	h := startHostile(t, aggregator.Source{Name: "empty", URL: srv.URL + "/feed"})
	h.cycle()
	h.expectError("empty", "empty", "empty body")
}

// TestHostile500Storm polls ten sources that always answer 500 for eight
// cycles: each keeps its error count, backs off exponentially, and the good
// source is polled in every cycle.
func TestHostile500Storm(t *testing.T) {
	var hits atomic.Int64
	srv := serveHandler(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusInternalServerError)
		io.WriteString(w, strings.Repeat("<p>Internal Server Error</p>", 1000))
	}))
	var storm []aggregator.Source
	for i := range 10 {
		storm = append(storm, aggregator.Source{Name: fmt.Sprintf("storm-%d", i), URL: fmt.Sprintf("%s/feed/%d", srv.URL, i)})
	}
	h := startHostile(t, storm...)
	for cycle := 1; cycle <= 8; cycle++ {
		start := h.f.clock.Now()
		h.cycle()
		latest := start
		for _, s := range storm {
			src := h.f.source(t, s.Name)
			d := min(h.f.opts.Interval<<(cycle-1), aggregator.MaxDelay)
			gap := src.NextFetchAt.Sub(start)
			if src.ErrorCount != cycle || gap < d/2 || gap >= d || src.NextFetchReason != aggregator.ReasonBackoff {
				t.Fatalf("cycle %d, %s: %d errors, next poll in %v (want [%v, %v)), reason %q",
					cycle, s.Name, src.ErrorCount, gap, d/2, d, src.NextFetchReason)
			}
			if src.NextFetchAt.After(latest) {
				latest = src.NextFetchAt
			}
		}
		h.f.clock.Set(latest) // every stormy source is due again
	}
	h.expectError("storm-3", "status", "status 500")
	if hits.Load() != 80 {
		t.Errorf("%d requests to the stormy server, want 80", hits.Load())
	}
}

// TestHostileRetryAfter checks that a 429 with Retry-After, in seconds and
// as an HTTP date, keeps that source (and only it) away for that long.
func TestHostileRetryAfter(t *testing.T) {
	var hits atomic.Int64
	srv := serveHandler(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			w.Header().Set("Retry-After", "7200")
		} else {
			w.Header().Set("Retry-After", time.Now().Add(3*time.Hour).UTC().Format(http.TimeFormat))
		}
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	h := startHostile(t, aggregator.Source{Name: "limited", URL: srv.URL + "/feed"})
	start := h.f.clock.Now()
	h.cycle()
	h.expectError("limited", "status", "status 429")
	src := h.f.source(t, "limited")
	if want := start.Add(2 * time.Hour); !src.RetryAfterUntil.Equal(want) || !src.NextFetchAt.Equal(want) || src.NextFetchReason != aggregator.ReasonRetryAfter {
		t.Fatalf("Retry-After 7200: until %v, next poll %v (%s); want %v", src.RetryAfterUntil, src.NextFetchAt, src.NextFetchReason, want)
	}
	// An hour later the good source is polled, the limited one is not.
	h.f.clock.Set(start.Add(time.Hour))
	rep := h.cycle()
	if sr := reportFor(t, rep, "limited"); !sr.Skipped || hits.Load() != 1 {
		t.Fatalf("polled during Retry-After: %+v, %d requests", sr, hits.Load())
	}
	// Once the wait is over it is polled again; now it asks for a date.
	second := src.NextFetchAt
	h.f.clock.Set(second)
	h.cycle()
	src = h.f.source(t, "limited")
	if hits.Load() != 2 || src.ErrorCount != 2 || src.NextFetchReason != aggregator.ReasonRetryAfter ||
		src.RetryAfterUntil.Sub(second) < 3*time.Hour-time.Minute || src.RetryAfterUntil.Sub(second) > 3*time.Hour {
		t.Fatalf("Retry-After as a date: %d requests, %d errors, until %v after the cycle (%s)",
			hits.Load(), src.ErrorCount, src.RetryAfterUntil.Sub(second), src.NextFetchReason)
	}
}

func TestHostileConnectionReset(t *testing.T) {
	body := onTopicRSS("reset", 5, "")
	srv := serveHandler(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hijackWrite(w, "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"+
			fmt.Sprintf("Content-Length: %d\r\n\r\n", len(body))+body[:len(body)/3], true)
	}))
	h := startHostile(t, aggregator.Source{Name: "reset", URL: srv.URL + "/feed"})
	h.cycle()
	h.expectError("reset", "network", "connection reset by peer")
}

func TestHostileWrongContentLength(t *testing.T) {
	body := onTopicRSS("short", 5, "")
	srv := serveHandler(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Announces a megabyte, sends the first 2000 bytes, closes in good order.
		hijackWrite(w, "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 1000000\r\n\r\n"+body[:2000], false)
	}))
	h := startHostile(t, aggregator.Source{Name: "short", URL: srv.URL + "/feed"})
	h.cycle()
	h.expectError("short", "network", "unexpected EOF")
}
