package aggregator

import (
	"errors"
	"time"

	"aggregator/dedupe"
)

// The domain: a source and what polling it has learned, the items it
// delivered with the decision taken on each, and the stories items are
// grouped into. Every store implementation (store/sqlite) reads and writes
// these types; the interfaces it implements are in storage.go.

// ErrNotFound is returned by a store when a looked-up row does not exist.
var ErrNotFound = errors.New("store: not found")

// Source is a polled feed and what the fetches so far learned about it:
// validators for conditional GET, the upstream feed's metadata, the outcome
// of the last fetch and the polling etiquette it asked for. A configured
// source has only Name and URL; a stored one has an ID and its state.
type Source struct {
	ID   int64
	Name string
	// URL is the configured URL; it identifies the source. When the config
	// changes it, the stored state that belonged to the old URL (validators,
	// MovedURL, RetiredAt, errors, the schedule) is cleared.
	URL string
	// FullText says when an entry's article page is fetched; it comes
	// from the configuration and is not stored.
	FullText      FullText
	ETag          string // validators for the next conditional GET
	LastModified  string
	FeedID        string // the upstream feed's own id, title and link (for atom:source)
	FeedTitle     string
	FeedLink      string
	LastFetchAt   time.Time
	LastSuccessAt time.Time
	LastStatus    int    // HTTP status of the last fetch, 0 when none came back
	LastError     string // "" after a success
	LastErrorKind string // the kind of LastError ("status", "timeout", "not_a_feed"…); "" after a success
	ErrorCount    int    // consecutive failures; 0 after a success
	// NextFetchAt is the earliest time the source is polled again (the
	// schedule's cycles poll it from then on); zero means at once.
	NextFetchAt time.Time
	// NextFetchReason says what set NextFetchAt: one of the Reason
	// constants (etiquette.go).
	NextFetchReason string
	// RetryAfterUntil is the end of the wait a 429 or 503 with Retry-After
	// asked for; zero when none is pending.
	RetryAfterUntil time.Time
	// MovedURL is where a permanent redirect (301, 308) moved the feed; it is
	// fetched instead of URL until the configured URL changes. "" when the
	// feed has not moved.
	MovedURL string
	MovedAt  time.Time
	// RetiredAt is when a 410 Gone retired the source: it is not polled again
	// until its configured URL changes (or a forced poll succeeds). Zero
	// while the source is active.
	RetiredAt time.Time

	// What the last successful response asked of pollers (cache hints).
	TTL          time.Duration  // RSS <ttl>
	MaxAge       time.Duration  // Cache-Control: max-age
	Expires      time.Time      // Expires header, on our clock
	UpdatePeriod time.Duration  // sy:updatePeriod divided by sy:updateFrequency
	SkipHours    []int          // RSS <skipHours>, UTC hours 0-23
	SkipDays     []time.Weekday // RSS <skipDays>
}

// FullText says when the pipeline fetches an entry's article page and
// compares its text instead of the feed's (prepare.go).
type FullText string

// The values of FullText; "" means FullTextNever.
const (
	FullTextNever  FullText = "never"
	FullTextAuto   FullText = "auto"   // when the entry's own text is under AutoFullTextWords words
	FullTextAlways FullText = "always" // for every new entry
)

// AutoFullTextWords is the length under which FullTextAuto fetches an
// entry's article.
const AutoFullTextWords = 100

// FetchURL returns the URL to fetch: MovedURL when a permanent redirect
// moved the feed, else URL.
func (s Source) FetchURL() string {
	if s.MovedURL != "" {
		return s.MovedURL
	}
	return s.URL
}

// Retired reports whether a 410 Gone retired the source.
func (s Source) Retired() bool { return !s.RetiredAt.IsZero() }

// Verdict is what the pipeline did with one item; the near-duplicate and
// topic verdicts are dedupe's, the exact ones (same URL, update) the poll
// cycle's.
type Verdict = dedupe.Verdict

// Verdicts, as stored with every item.
const (
	VerdictNew       = dedupe.VerdictNew
	VerdictSeedCopy  = dedupe.VerdictSeedCopy
	VerdictStoryCopy = dedupe.VerdictStoryCopy
	VerdictSameURL   = dedupe.VerdictSameURL
	VerdictUpdate    = dedupe.VerdictUpdate
	VerdictOffTopic  = dedupe.VerdictOffTopic
	// VerdictSameArticle is an item of another feed carrying an article
	// already seen: an aggregator's item (Google News) of an outlet's
	// article, or the outlet's own item of one an aggregator carried. It
	// joins the article's story and adds no "also reported by" line.
	VerdictSameArticle = dedupe.VerdictSameArticle
)

// Item is one feed entry as seen from one source, with the decision taken on
// it. The decision fields are written once, when the item is first seen; an
// update of the entry (same GUID) refreshes its content but never its
// decision.
type Item struct {
	ID           int64
	SourceID     int64
	GUID         string
	URL          string
	CanonicalURL string
	Title        string
	Body         string // plain text
	SummaryHTML  string // upstream HTML, unsanitised
	Author       string
	Categories   []string
	Published    time.Time // the feed's date, else the first-seen time
	// FeedPublished is the date the feed gave when it lay more than a day
	// after the first-seen time and Published was set to FirstSeen instead;
	// zero otherwise.
	FeedPublished time.Time
	FirstSeen     time.Time
	Updated       time.Time
	StoryID       int64 // 0 when the item belongs to no story (off topic, copy of a seed)
	// Outlet is the real outlet an aggregator's item names ("" for an
	// outlet's own item): the entry's author and its "also reported by"
	// name instead of the source's.
	Outlet string
	// ArticleKey identifies one outlet's article across feeds: the
	// normalised headline and the outlet's host (article.go); "" when the
	// item has too short a headline or no known outlet.
	ArticleKey string
	// HeadlineKey is the normalised headline that finds a short copy of
	// the item by its headline (headline.go); "" when the headline is too
	// short to identify a story.
	HeadlineKey string
	// Language is the item's primary BCP 47 language subtag in lower case
	// ("en", "id", "ko"): the one its entry or feed declares, else the one
	// identified from its title and text when the identification is
	// confident (language.go); "" when unknown.
	Language string

	Decision Decision

	// The analysed text, kept so the near-duplicate index can be rebuilt
	// after a restart without re-deciding anything.
	Shingles  []uint64
	Signature []uint32
	Lead      []uint32
}

// Link is the link published for an item: its canonical URL (tracking
// parameters and fragment removed), else the URL as the feed gave it.
func (it Item) Link() string {
	if it.CanonicalURL != "" {
		return it.CanonicalURL
	}
	return it.URL
}

// OutletName is who reported an item: the outlet an aggregator's item
// names, else the source's name.
func (si SourcedItem) OutletName() string {
	if si.Outlet != "" {
		return si.Outlet
	}
	return si.SourceName
}

// Decision is the stored explanation of what was decided for an item.
type Decision struct {
	Verdict         Verdict
	Match           MatchKey // the seed, story or item that matched; zero when none
	Resemblance     float64
	Containment     float64
	OnTopic         bool
	TopicRule       string
	TopicSimilarity float64
	Stripped        []string // boilerplate lines removed before shingling
}

// SourcedItem is an item with the name and URL of its source.
type SourcedItem struct {
	Item
	SourceName string
	SourceURL  string
}

// Story is a cluster of near-identical items. Its first item (the head) is
// its entry in the curated feed; later copies are "also reported by". Its
// ID and Created time never change: they make the entry's id.
type Story struct {
	ID         int64
	HeadItemID int64
	Created    time.Time
	Updated    time.Time // bumped when a copy joins
	// Event is the key of the event the story belongs to, in the MatchKey
	// text form: "story:ID" of the story that started the event (a story
	// that started its own event has its own key), or "seed:NAME" when the
	// story follows a seed's event; "" when none was decided (a story
	// stored before events).
	Event string
	// EventEvidence is the stored evidence of the event decision (JSON
	// written by the pipeline's event step), which "aggregator explain"
	// shows; nil when none.
	EventEvidence []byte
}

// EventKey returns the key of the story's event, and false when the story
// has none (it was stored before events).
func (s Story) EventKey() (MatchKey, bool) {
	if s.Event == "" {
		return MatchKey{}, false
	}
	return StoredMatchKey(s.Event), true
}

// StoryView is a story with its head item and the other items that joined it.
type StoryView struct {
	Story
	Head   SourcedItem
	Copies []SourcedItem // oldest first, the head excluded
}

// OtherReports returns the copies that are other outlets' reports, as
// "also reported by" lists them, oldest first: one per link, not the
// head's, and not the head's (or an earlier listed copy's) article again
// through another feed (the same article key, or the verdict same_article).
// A copy without a link (its upstream link was unsafe or missing) is listed
// too, once per outlet and title: it is shown as text.
func (v StoryView) OtherReports() []SourcedItem {
	seen := map[string]bool{}
	if l := v.Head.Link(); l != "" {
		seen[l] = true
	}
	seenArticle := map[string]bool{}
	if v.Head.ArticleKey != "" {
		seenArticle[v.Head.ArticleKey] = true
	}
	var out []SourcedItem
	for _, c := range v.Copies {
		key := c.Link()
		if key == "" {
			key = "\x00" + c.OutletName() + "\x00" + c.Title
		}
		if seen[key] || c.Decision.Verdict == VerdictSameArticle || seenArticle[c.ArticleKey] {
			continue
		}
		seen[key] = true
		if c.ArticleKey != "" {
			seenArticle[c.ArticleKey] = true
		}
		out = append(out, c)
	}
	return out
}

// IndexEntry is one entry of the near-duplicate index as stored: the head
// item of a story, or an off-topic item that belongs to no story.
type IndexEntry struct {
	StoryID int64 // 0 for an item outside any story
	ItemID  int64
	At      time.Time // the story's updated time, or the item's first-seen time
	// Keys is the compact form the index files the item under (written by
	// SetIndexKeys), nil when it was never written: the caller then reads
	// the item's analysed text with ItemAnalysis.
	Keys []byte
}

// Key is the index key the entry is filed under.
func (e IndexEntry) Key() MatchKey {
	if e.StoryID == 0 {
		return ItemKey(e.ItemID)
	}
	return StoryKey(e.StoryID)
}

// Analysis is the analysed text of an item as stored.
type Analysis struct {
	Shingles  []uint64
	Signature []uint32
	Lead      []uint32
}

// Counts are totals over the whole store.
type Counts struct {
	Sources, Items, Stories int
	ByVerdict               map[Verdict]int
}

// Article is the article page fetched for an entry (Source.FullText), once
// per canonical URL, with where its text came from. When no text was
// extracted, Error says why and ErrorKind classifies it (fetch.Kind:
// "paywall", "consent", "timeout", "status"…); the entry was then decided
// on its feed's text.
type Article struct {
	CanonicalURL     string    // the entry's canonical URL; identifies the article
	URL              string    // the URL fetched, after redirects; "" when no response came
	FetchedAt        time.Time // when the response arrived
	Status           int       // HTTP status, 0 when no response came
	Extractor        string    // the extracting library and its version
	ExtractorVersion string
	Words            int    // words in Text
	Text             string // the extracted text, one paragraph a line
	ErrorKind        string // "" when the text was extracted
	Error            string
}

// Extracted reports whether the article's text was extracted, and so
// stood in for the feed's text in the decision.
func (a Article) Extracted() bool { return a.Error == "" && a.ErrorKind == "" }

// Notification is a new story queued for one webhook (Options.Notify),
// until it is delivered.
type Notification struct {
	ID       int64
	StoryID  int64
	Endpoint string    // the webhook's URL
	Queued   time.Time // when the cycle that created the story stored it
	// Body is the JSON sent, built at the first attempt and then kept, so
	// that a retry sends the same bytes; nil before the first attempt.
	Body        []byte
	Attempts    int       // failed attempts so far
	NextAttempt time.Time // zero: at once
	LastError   string
	Delivered   time.Time // zero while pending
}
