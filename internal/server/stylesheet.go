package server

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"net/http"
	"time"
)

// feedXSL is the XSLT 1.0 stylesheet the Atom feed names: a browser that
// opens the feed shows its stories as a page.
//
//go:embed feed.xsl
var feedXSL []byte

var feedXSLTag = func() string {
	sum := sha256.Sum256(feedXSL)
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}()

func serveStylesheet(w http.ResponseWriter, r *http.Request) {
	if !allowRead(w, r) {
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/xsl; charset=utf-8")
	h.Set("ETag", feedXSLTag)
	h.Set("Cache-Control", "public, max-age=86400")
	http.ServeContent(w, r, "feed.xsl", time.Time{}, bytes.NewReader(feedXSL))
}
