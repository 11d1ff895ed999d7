package push

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	"aggregator"
	"aggregator/feeds"
	"aggregator/fetch"
)

// SignatureHeader carries the body's HMAC-SHA256 with the webhook's
// secret: "sha256=" and the hex digest.
const SignatureHeader = "X-Signature-256"

// Payload is the JSON body a webhook receives for a new story.
type Payload struct {
	ID        string    `json:"id"` // the story's Atom entry id, as in the feed
	Title     string    `json:"title"`
	Link      string    `json:"link"`
	Outlet    string    `json:"outlet"`
	Language  string    `json:"language"` // the item's primary BCP 47 subtag; "" when not known
	Published string    `json:"published"`
	Summary   string    `json:"summary"` // plain text, at most feeds.SummaryMax characters
	Related   []Related `json:"related"` // the other outlets' reports, oldest first; never null
}

// Related is another outlet's report of the story.
type Related struct {
	Title  string `json:"title"`
	Link   string `json:"link"`
	Outlet string `json:"outlet"`
}

// NewPayload is the payload announcing story v of the feed at feedURL.
func NewPayload(feedURL string, v aggregator.StoryView) Payload {
	h := v.Head
	p := Payload{
		ID:        aggregator.EntryID(feedURL, v.Story),
		Title:     h.Title,
		Link:      h.Link(),
		Outlet:    h.OutletName(),
		Language:  h.Language,
		Published: h.Published.UTC().Format(time.RFC3339),
		Related:   []Related{},
	}
	if p.Title == "" {
		p.Title = "(untitled)"
	}
	text := fetch.HTMLToText(h.SummaryHTML)
	if text == "" {
		text = h.Body
	}
	p.Summary = feeds.ShortenText(text, feeds.SummaryMax)
	for _, c := range v.OtherReports() {
		p.Related = append(p.Related, Related{Title: c.Title, Link: c.Link(), Outlet: c.OutletName()})
	}
	return p
}

// Body is the payload as sent.
func (p Payload) Body() ([]byte, error) {
	return json.Marshal(p)
}

// Sign returns the X-Signature-256 value of body with secret.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}
