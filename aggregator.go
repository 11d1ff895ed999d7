// Package aggregator holds the domain of the curated news feed and the poll
// cycle that joins its parts: fetch every source, decide each new entry
// (exact match, near-duplicate of a seed or an earlier story, topic), store
// the item with its decision, and build the curated feed from the newest
// stories.
//
// The one-shot "aggregator fetch" and the daemon's scheduled job run the
// same cycle, Pipeline.Poll.
package aggregator

import (
	"time"

	"aggregator/dedupe"
	"aggregator/seeds"
)

// FeedOptions describe the curated feed.
type FeedOptions struct {
	Title      string
	Subtitle   string
	URL        string // public URL of the feed: its rel="self" link and the base of its ids
	Author     string
	MaxEntries int
	// Hubs are the WebSub hubs the feed names (link rel="hub").
	Hubs []string
}

// Options are everything a Pipeline needs besides its store and fetcher.
type Options struct {
	Sources []Source
	Feed    FeedOptions
	Dedupe  dedupe.Config
	// Window is how far back earlier stories are compared against; seeds
	// are always compared.
	Window time.Duration
	// OffTopicWindow is how long an off-topic item stays in the
	// near-duplicate index, so that its copies are recognised as copies of
	// it; zero means DefaultOffTopicWindow, and it is never longer than
	// Window. Off-topic items are most of what is indexed.
	OffTopicWindow time.Duration
	// Groups are the topic's keyword groups; nil means dedupe's defaults.
	Groups []dedupe.KeywordGroup
	// Seeds are the known stories that define the topic (embedded plus any
	// from the configured directory).
	Seeds []seeds.Article
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Interval is the schedule's period (the gap between two cycles); it
	// is the unit of a failing source's backoff. Zero means DefaultInterval.
	// See etiquette.go for how sources are chosen for a cycle.
	Interval time.Duration
	// AllOnTopic takes every item as on topic, whatever the keyword groups
	// and seeds say; "aggregator eval --all-on-topic" scores a labelled
	// corpus of another topic with it.
	AllOnTopic bool
	// ArticlesPerCycle is the most article pages fetched for one source in
	// one cycle (Source.FullText); zero means DefaultArticlesPerCycle.
	ArticlesPerCycle int
	// Notify are the URLs of the webhooks that are told of every new
	// story: a cycle queues one notification per new story and URL, in the
	// transaction that creates the story (OutboxTx).
	Notify []string
}

// DefaultArticlesPerCycle is Options.ArticlesPerCycle when it is unset.
const DefaultArticlesPerCycle = 50

// SourceReport is what one poll of one source did.
type SourceReport struct {
	Name        string
	URL         string
	Status      int  // HTTP status, 0 when no response came back
	NotModified bool // 304: nothing new, nothing parsed
	Err         error
	Duration    time.Duration

	Entries    int // entries in the fetched feed
	New        int // new stories published
	Duplicates int // near-copies of seeds or stories, and same-URL copies
	OffTopic   int
	Updated    int // entries seen before whose content changed
	Unchanged  int // entries seen before, unchanged

	// Skipped is true when the source was not polled in this cycle: it is
	// Retired, or not due before NextPoll.
	Skipped bool
	Retired bool // a 410 Gone retired it: not polled until its config entry changes
	// NextPoll is when the source is due again, and NextPollReason what set
	// it ("schedule", "ttl", "max-age", "backoff", "retry-after"…).
	NextPoll       time.Time
	NextPollReason string
	ErrorCount     int    // consecutive failures, this one included
	ErrorKind      string // fetch.Kind of Err, "" when Err is nil
	MovedTo        string // a permanent redirect moved the source here in this cycle
	// GUIDClashes are the entries that shared a GUID with another entry of
	// the feed but not its link, kept as separate items.
	GUIDClashes []GUIDClash
}

// Report is what one poll cycle did.
type Report struct {
	Started  time.Time
	Finished time.Time
	Sources  []SourceReport
}

// Totals adds up the per-source counts; failed counts sources with an
// error in this cycle (skipped sources are not counted).
func (r Report) Totals() (total SourceReport, failed int) {
	for _, s := range r.Sources {
		total.Entries += s.Entries
		total.New += s.New
		total.Duplicates += s.Duplicates
		total.OffTopic += s.OffTopic
		total.Updated += s.Updated
		total.Unchanged += s.Unchanged
		if s.Err != nil {
			failed++
		}
	}
	return total, failed
}

// Skipped counts the sources that were not polled in the cycle, and how
// many of them are retired.
func (r Report) Skipped() (skipped, retired int) {
	for _, s := range r.Sources {
		if s.Skipped {
			skipped++
			if s.Retired {
				retired++
			}
		}
	}
	return skipped, retired
}
