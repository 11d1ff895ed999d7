package aggregator

import (
	"context"
	"time"
)

// The store behind the pipeline, as small interfaces, one for each part of
// the pipeline that uses it. store/sqlite implements all of them (and
// store/storetest is the test suite every implementation passes). Times are
// stored to the nanosecond, UTC; ids are assigned by the store, never
// reused, and never change.

// CycleStore is what a poll cycle (and Ingest) needs: the sources, the
// GUIDs each has delivered, and write transactions.
type CycleStore interface {
	// EnsureSource returns the stored source with this name, creating it
	// when it is new. When the configured URL differs from the stored one,
	// the URL is updated and everything that belonged to the old URL is
	// cleared: validators, a permanent move, a retirement, the error count,
	// a pending Retry-After and the next poll time.
	EnsureSource(ctx context.Context, name, url string) (Source, error)
	// KnownGUIDs returns which of guids the source has already delivered.
	KnownGUIDs(ctx context.Context, sourceID int64, guids []string) (map[string]bool, error)
	// Begin starts a write transaction.
	Begin(ctx context.Context) (CycleTx, error)
}

// CycleTx is one write transaction of a poll cycle: everything one source's
// fetch result changes is written in one, so a crash never leaves half of
// it. Rollback after Commit is a no-op, so it can be deferred.
type CycleTx interface {
	// ItemByGUID returns the item a source already delivered with this
	// GUID, or ErrNotFound.
	ItemByGUID(ctx context.Context, sourceID int64, guid string) (Item, error)
	// ItemByCanonicalURL returns the earliest item with this canonical URL
	// from any source, or ErrNotFound.
	ItemByCanonicalURL(ctx context.Context, canonicalURL string) (Item, error)
	// ItemByArticleKey returns the earliest item with this article key
	// published between from and to, or ErrNotFound.
	ItemByArticleKey(ctx context.Context, key string, from, to time.Time) (Item, error)
	// ItemByHeadlineKey returns the earliest item with this headline key
	// published between from and to from any source but notSourceID, or
	// ErrNotFound.
	ItemByHeadlineKey(ctx context.Context, key string, notSourceID int64, from, to time.Time) (Item, error)
	// InsertItem stores a new item with its decision and sets it.ID.
	InsertItem(ctx context.Context, it *Item) error
	// UpdateItemContent refreshes the content of an item its source
	// delivered again with changes (URL, title, body, summary, author,
	// categories, updated time); the decision, the story and the first-seen
	// and published times stay.
	UpdateItemContent(ctx context.Context, it Item) error
	// NewStory stores it as the first item (the head) of a new story created
	// at it.FirstSeen, and sets it.ID and it.StoryID.
	NewStory(ctx context.Context, it *Item) error
	// TouchStory records that the story changed at when; the time only
	// ever moves forward.
	TouchStory(ctx context.Context, storyID int64, when time.Time) error
	// StoryHeadPublished returns the published time of a story's head item.
	StoryHeadPublished(ctx context.Context, storyID int64) (time.Time, error)
	// SetStoryHead makes itemID, which must belong to the story, its head;
	// the story keeps its id and creation time.
	SetStoryHead(ctx context.Context, storyID, itemID int64) error
	// SetStoryEvent records the event a story belongs to (its key in the
	// MatchKey text form, Story.Event) and the evidence of that decision
	// (Story.EventEvidence).
	SetStoryEvent(ctx context.Context, storyID int64, event string, evidence []byte) error
	// SetIndexKeys stores the compact index keys of an item.
	SetIndexKeys(ctx context.Context, itemID int64, keys []byte) error
	// SaveSourceState records the outcome of a fetch: every field of src
	// but Name and URL.
	SaveSourceState(ctx context.Context, src Source) error
	OutboxTx
	Commit() error
	Rollback() error
}

// IndexStore is what loading the near-duplicate index needs.
type IndexStore interface {
	// CountIndexEntries returns how many entries IndexEntries would give.
	CountIndexEntries(ctx context.Context, since time.Time) (int, error)
	// IndexEntries calls fn for every story updated at or after since, with
	// its head item, then for every off-topic item outside any story first
	// seen at or after since whose analysed text was stored, oldest first.
	IndexEntries(ctx context.Context, since time.Time, fn func(IndexEntry) error) error
	// ItemAnalysis returns the stored analysed text of an item, or
	// ErrNotFound.
	ItemAnalysis(ctx context.Context, itemID int64) (Analysis, error)
	// SaveIndexKeys stores the compact index keys of many items, by item
	// id, in one transaction.
	SaveIndexKeys(ctx context.Context, keys map[int64][]byte) error
	// ItemShingles returns the stored shingle set of an item, and
	// StoryHeadShingles that of a story's head item, or ErrNotFound.
	ItemShingles(ctx context.Context, itemID int64) ([]uint64, error)
	StoryHeadShingles(ctx context.Context, storyID int64) ([]uint64, error)
}

// EventStore is what rebuilding the event index at start-up needs.
type EventStore interface {
	// EventStories calls fn for every story updated at or after since that
	// has an event, in the order the stories were created (by id), with its
	// head item (Copies stay nil).
	EventStories(ctx context.Context, since time.Time, fn func(StoryView) error) error
}

// FeedStore is what building the curated feed needs.
type FeedStore interface {
	// LatestStories returns the newest limit stories, newest first (by the
	// head item's published time, then id), each with its head and copies.
	LatestStories(ctx context.Context, limit int) ([]StoryView, error)
	// StoriesCreated returns the stories created at or after from and
	// before to, newest first (by creation time, then id), each with its
	// head and copies: the entries of a feed archive (archive.go).
	StoriesCreated(ctx context.Context, from, to time.Time) ([]StoryView, error)
	// FirstStoryCreated returns the creation time of the oldest story, or
	// ErrNotFound when there is none.
	FirstStoryCreated(ctx context.Context) (time.Time, error)
	// LatestStoriesIn is LatestStories of the stories whose head item's
	// Language is lang (a per-language feed).
	LatestStoriesIn(ctx context.Context, lang string, limit int) ([]StoryView, error)
	// Sources returns every stored source, by name.
	Sources(ctx context.Context) ([]Source, error)
	// EventMembers returns every story whose event (Story.Event) is one
	// of events, oldest first (by id), each with its head and copies.
	EventMembers(ctx context.Context, events []string) ([]StoryView, error)
}

// ExplainStore is what explaining a stored decision needs.
type ExplainStore interface {
	// ItemsByURL returns every item whose link or canonical link is url,
	// oldest first, with its source.
	ItemsByURL(ctx context.Context, url, canonicalURL string) ([]SourcedItem, error)
	// StoryHead returns the head item of a story, and ItemByID one item,
	// with its source, or ErrNotFound.
	StoryHead(ctx context.Context, storyID int64) (SourcedItem, error)
	// StoryByID returns a story (with its event), or ErrNotFound.
	StoryByID(ctx context.Context, storyID int64) (Story, error)
	ItemByID(ctx context.Context, id int64) (SourcedItem, error)
}

// ArticleStore keeps the article pages fetched for entries (full text,
// prepare.go), one per canonical URL, so that no page is fetched twice.
// The pipeline saves an article on its own, not in the source's CycleTx:
// the article is a fact about a URL, not part of a decision, and saved at
// once (from the fetch worker, as soon as it is fetched) it survives a
// source transaction that fails, so the page is not fetched again.
type ArticleStore interface {
	// ArticleByURL returns the article stored for a canonical URL, or
	// ErrNotFound.
	ArticleByURL(ctx context.Context, canonicalURL string) (Article, error)
	// SaveArticle stores a, unless an article is already stored for its
	// canonical URL: the first one stays.
	SaveArticle(ctx context.Context, a Article) error
}

// OutboxTx queues the notifications of a new story (webhooks) in the
// transaction that creates it, so that a story is stored with its
// notifications or not at all.
type OutboxTx interface {
	// QueueNotification records that the story is to be announced to the
	// webhook at endpoint; a story is queued once per endpoint.
	QueueNotification(ctx context.Context, storyID int64, endpoint string, at time.Time) error
}

// OutboxStore is what delivering the queued notifications needs: the
// notifications not yet delivered, the stories they announce, and the
// outcome of each attempt. A delivered notification is never pending again.
type OutboxStore interface {
	// PendingNotifications returns up to limit notifications not yet
	// delivered, oldest first.
	PendingNotifications(ctx context.Context, limit int) ([]Notification, error)
	// SetNotificationBody stores the body built for a notification, so
	// that every later attempt sends the same bytes.
	SetNotificationBody(ctx context.Context, id int64, body []byte) error
	// NotificationDelivered marks a notification delivered at when.
	NotificationDelivered(ctx context.Context, id int64, when time.Time) error
	// NotificationFailed records a failed attempt: the attempts so far, the
	// error and when to try again.
	NotificationFailed(ctx context.Context, id int64, attempts int, msg string, next time.Time) error
	// StoryViewByID returns a story with its head and copies, or ErrNotFound.
	StoryViewByID(ctx context.Context, storyID int64) (StoryView, error)
}

// Store is every part of the store a Pipeline uses.
type Store interface {
	CycleStore
	IndexStore
	EventStore
	FeedStore
	ExplainStore
	ArticleStore
	OutboxStore
}
