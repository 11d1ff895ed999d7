package fetch

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func FuzzHTMLToText(f *testing.F) {
	for _, s := range []string{"<p>a</p><p>b</p>", "<script>x</script>y", "&amp;&#0;&#xD800;", "<br/><li>", "\xff<p>\u200b", "<svg><p>x</svg>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := HTMLToText(s)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 output %q", out)
		}
		if strings.Contains(out, "\n\n") || strings.HasPrefix(out, "\n") || strings.HasSuffix(out, " ") {
			t.Fatalf("not normalised: %q", out)
		}
		if NormalizeText(out) != out {
			t.Fatalf("output not a fixed point of NormalizeText: %q", out)
		}
	})
}

func FuzzCanonicalURL(f *testing.F) {
	for _, s := range []string{"https://A.example:443/p?utm_source=x&b=2&a=1#f", "http://[::1]:80", "%zz", "http://a.example?;=&=", "mailto:x@y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once := CanonicalURL(s)
		if twice := CanonicalURL(once); twice != once {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, once, twice)
		}
		u, err := url.Parse(once)
		if err != nil || u.Host == "" || u.Scheme == "" {
			return
		}
		if u.Fragment != "" {
			t.Fatalf("fragment kept in %q", once)
		}
		for k := range u.Query() {
			if isTrackingParam(k) {
				t.Fatalf("tracking parameter %q kept in %q", k, once)
			}
		}
	})
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(rss2Fixture), "application/rss+xml")
	f.Add([]byte(atomFixture), "application/atom+xml")
	f.Add([]byte(jsonFixture), "application/feed+json")
	f.Add([]byte(`<rss><channel><item><title>cut`), "")
	f.Add([]byte("\xff\xfe<\x00r\x00s\x00s\x00>\x00"), "text/xml; charset=utf-16")
	f.Add([]byte(`<html><link rel=alternate type=application/rss+xml href=/x></html>`), "text/html")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		feed, err := Parse(body, contentType, "https://fuzz.example/feed")
		if (feed == nil) == (err == nil) {
			t.Fatalf("Parse returned feed %v and error %v", feed, err)
		}
		if err != nil {
			if Kind(err) == "other" {
				t.Fatalf("unclassified error %v", err)
			}
			return
		}
		for _, e := range feed.Entries {
			if e.GUID == "" {
				t.Fatalf("entry without GUID: %+v", e)
			}
			if !utf8.ValidString(e.Title) || !utf8.ValidString(e.Text) || strings.Contains(e.Title, "\n") {
				t.Fatalf("bad text in %+v", e)
			}
			if e.URL != "" && !strings.HasPrefix(e.URL, "http://") && !strings.HasPrefix(e.URL, "https://") {
				t.Fatalf("non-http URL %q", e.URL)
			}
		}
	})
}

func FuzzHeaderHints(f *testing.F) {
	f.Add("public, max-age=600", "Thu, 01 Jan 2026 11:00:00 GMT", "Thu, 01 Jan 2026 10:00:00 GMT", "120")
	f.Add("no-cache", "0", "", "Fri, 31 Dec 1999 23:59:59 GMT")
	f.Add("max-age=99999999999999999999", "Mon, 01 Jan 9999 00:00:00 GMT", "Mon, 01 Jan 1601 00:00:00 GMT", "-5")
	f.Add(`max-age="60", s-maxage=5`, "garbage", "garbage", "1e9")
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, cacheControl, expires, date, retry string) {
		h := http.Header{}
		h.Set("Cache-Control", cacheControl)
		h.Set("Expires", expires)
		h.Set("Date", date)
		maxAge, expiresIn := cacheHints(h, now)
		if maxAge < 0 || maxAge > maxHint || expiresIn < 0 || expiresIn > maxHint || (maxAge > 0 && expiresIn > 0) {
			t.Fatalf("cacheHints: max-age %v, expires in %v", maxAge, expiresIn)
		}
		if d := retryAfter(retry, now); d < 0 || d > maxHint {
			t.Fatalf("retryAfter(%q) = %v", retry, d)
		}
	})
}
