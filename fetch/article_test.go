package fetch

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
)

// articleServer serves fetch/testdata/articles: *.html as text/html, *.pdf
// as application/pdf; /slow answers only after the client gives up, and
// /moved redirects to /outlet.html.
func articleServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/slow":
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
			return
		case "/moved":
			http.Redirect(w, r, "/outlet.html", http.StatusFound)
			return
		}
		body, err := os.ReadFile(filepath.Join("testdata", "articles", filepath.Base(r.URL.Path)))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		if strings.HasSuffix(r.URL.Path, ".pdf") {
			w.Header().Set("Content-Type", "application/pdf")
		} else {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		}
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// The outlet's page gives its article and none of its chrome: navigation,
// share buttons, related links, cookie banner, comments, footer.
func TestArticleLeavesOutTheChrome(t *testing.T) {
	srv := articleServer(t)
	f := New(Options{}, nil, nil)
	art, err := f.Article(context.Background(), ArticleRequest{URL: srv.URL + "/moved"})
	if err != nil {
		t.Fatalf("Article: %v", err)
	}
	if art.URL != srv.URL+"/outlet.html" || art.Status != 200 || art.Extractor != Extractor || art.ExtractorVersion == "" ||
		art.FetchedAt.IsZero() || !strings.HasPrefix(art.ContentType, "text/html") {
		t.Errorf("provenance: %+v", art)
	}
	if !strings.Contains(art.Title, "Rail link talks resume") {
		t.Errorf("title %q", art.Title)
	}
	for _, want := range []string{
		"Officials from Russia and North Korea met in Vladivostok on Tuesday",
		"cargo volumes through the border crossing had doubled compared with the previous year.",
	} {
		if !strings.Contains(art.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, art.Text)
		}
	}
	for _, chrome := range []string{"Politics", "Share on Facebook", "Ferry service", "We use cookies",
		"Accept all cookies", "reader42", "bridge will be finished", "All rights reserved", "enable JavaScript"} {
		if strings.Contains(art.Text, chrome) {
			t.Errorf("text holds the page's chrome %q:\n%s", chrome, art.Text)
		}
	}
	if n := strings.Count(art.Text, "\n"); n < 4 {
		t.Errorf("%d line breaks, want the five paragraphs on lines of their own:\n%s", n, art.Text)
	}
	if art.Words < 150 || art.Words != countWords(art.Text) {
		t.Errorf("words %d", art.Words)
	}
}

// Pages that give no article fail with their kind, naming the URL.
func TestArticleFailureKinds(t *testing.T) {
	srv := articleServer(t)
	f := New(Options{ArticleTimeout: 300 * time.Millisecond}, nil, nil)
	for _, tc := range []struct{ path, kind, status string }{
		{"/paywall.html", "paywall", "200"},
		{"/consent.html", "consent", "200"},
		{"/captcha.html", "captcha", "200"},
		{"/javascript.html", "javascript", "200"},
		{"/short.html", "too_short", "200"},
		{"/report.pdf", "not_html", "200"},
		{"/missing.html", "status", "404"},
		{"/slow", "timeout", "0"},
	} {
		t.Run(strings.TrimPrefix(tc.path, "/"), func(t *testing.T) {
			u := srv.URL + tc.path
			art, err := f.Article(context.Background(), ArticleRequest{URL: u})
			if Kind(err) != tc.kind {
				t.Fatalf("kind %q, want %q: %v", Kind(err), tc.kind, err)
			}
			if !strings.HasPrefix(err.Error(), "fetch "+u+": ") {
				t.Errorf("error does not name the URL: %v", err)
			}
			if got := art.Status; tc.status != "0" && got == 0 || tc.status == "0" && got != 0 {
				t.Errorf("status %d, want %s", got, tc.status)
			}
		})
	}
}

// Article's timeout and body limit are its own, not the feeds'.
func TestArticleLimits(t *testing.T) {
	srv := articleServer(t)
	f := New(Options{ArticleMaxBodyBytes: 1000, Timeout: time.Millisecond}, nil, nil)
	_, err := f.Article(context.Background(), ArticleRequest{URL: srv.URL + "/outlet.html"})
	if !errors.Is(err, ErrBodyTooLarge) {
		t.Errorf("a 1000-byte limit on a larger page: %v", err)
	}
	def := New(Options{}, nil, nil)
	if def.opts.ArticleTimeout != DefaultArticleTimeout || def.opts.ArticleMaxBodyBytes != DefaultArticleMaxBodyBytes {
		t.Errorf("defaults: %v, %d", def.opts.ArticleTimeout, def.opts.ArticleMaxBodyBytes)
	}
}

// An article page's <meta> charset decides its encoding when the header
// names none; a feed's body ignores HTML meta elements, as before.
func TestArticleMetaCharset(t *testing.T) {
	page := `<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=koi8-r">` +
		`<title>Железная дорога</title></head><body><article><h1>Железная дорога</h1>` +
		strings.Repeat("<p>Россия и Северная Корея договорились восстановить железнодорожный мост через реку Туманная и открыть новые грузовые терминалы.</p>", 5) +
		`</article></body></html>`
	koi8, err := charmap.KOI8R.NewEncoder().String(page)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(koi8))
	}))
	defer srv.Close()
	art, err := New(Options{}, nil, nil).Article(context.Background(), ArticleRequest{URL: srv.URL})
	if err != nil {
		t.Fatalf("Article: %v", err)
	}
	if !strings.Contains(art.Text, "Россия и Северная Корея договорились") || art.Title != "Железная дорога" {
		t.Errorf("title %q, text:\n%s", art.Title, art.Text)
	}
	if got := string(toUTF8([]byte(koi8), "text/html")); strings.Contains(got, "Россия") {
		t.Errorf("the feed path read the HTML meta charset")
	}
	if got := metaCharset([]byte(`<meta charset="Shift_JIS">`)); got != "Shift_JIS" {
		t.Errorf("metaCharset = %q", got)
	}
}
