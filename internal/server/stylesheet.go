package server

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"net/http"
	"time"
)

// feedCSS is the CSS stylesheet the served Atom feed names: a browser that
// opens the feed shows its stories readable, with a note that points to
// the reading page.
//
//go:embed feed.css
var feedCSS []byte

var feedCSSTag = func() string {
	sum := sha256.Sum256(feedCSS)
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}()

func serveStylesheet(w http.ResponseWriter, r *http.Request) {
	if !allowRead(w, r) {
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/css; charset=utf-8")
	h.Set("ETag", feedCSSTag)
	h.Set("Cache-Control", "public, max-age=86400")
	h.Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, "feed.css", time.Time{}, bytes.NewReader(feedCSS))
}
