package sqlite

import (
	"aggregator"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"
)

const itemColumns = `i.id, i.source_id, i.guid, i.url, i.canonical_url, i.title, i.body, i.summary_html,
	i.author, i.categories, i.published_at, i.first_seen_at, i.updated_at, COALESCE(i.story_id, 0),
	i.verdict, i.match_key, i.resemblance, i.containment, i.on_topic, i.topic_rule, i.topic_similarity,
	i.stripped, i.outlet, i.article_key, i.feed_published_at, i.headline_key, i.language`

func scanItem(row interface{ Scan(...any) error }, extra ...any) (aggregator.Item, error) {
	var it aggregator.Item
	var cats, stripped string
	var pub, seen, upd, feedPub int64
	var onTopic int
	var verdict, match string
	dest := []any{&it.ID, &it.SourceID, &it.GUID, &it.URL, &it.CanonicalURL, &it.Title, &it.Body, &it.SummaryHTML,
		&it.Author, &cats, &pub, &seen, &upd, &it.StoryID,
		&verdict, &match, &it.Decision.Resemblance, &it.Decision.Containment,
		&onTopic, &it.Decision.TopicRule, &it.Decision.TopicSimilarity, &stripped, &it.Outlet, &it.ArticleKey, &feedPub, &it.HeadlineKey, &it.Language}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return aggregator.Item{}, err
	}
	it.Decision.Verdict, it.Decision.Match = aggregator.Verdict(verdict), aggregator.StoredMatchKey(match)
	it.Categories = splitLines(cats)
	it.Decision.Stripped = splitLines(stripped)
	it.Published, it.FirstSeen, it.Updated = fromUnixNano(pub), fromUnixNano(seen), fromUnixNano(upd)
	it.FeedPublished = fromUnixNano(feedPub)
	it.Decision.OnTopic = onTopic != 0
	return it, nil
}

// ItemByGUID returns the item a source already delivered with this GUID, or
// ErrNotFound.
func (t *Tx) ItemByGUID(ctx context.Context, sourceID int64, guid string) (aggregator.Item, error) {
	it, err := scanItem(t.queryRow(ctx,
		`SELECT `+itemColumns+` FROM items i WHERE i.source_id = ? AND i.guid = ?`, sourceID, guid))
	if errors.Is(err, sql.ErrNoRows) {
		return aggregator.Item{}, aggregator.ErrNotFound
	}
	if err != nil {
		return aggregator.Item{}, fmt.Errorf("store: item by guid: %w", err)
	}
	return it, nil
}

// ItemByCanonicalURL returns the earliest item with this canonical URL from
// any source, or ErrNotFound.
func (t *Tx) ItemByCanonicalURL(ctx context.Context, canonicalURL string) (aggregator.Item, error) {
	it, err := scanItem(t.queryRow(ctx,
		`SELECT `+itemColumns+` FROM items i WHERE i.canonical_url = ? ORDER BY i.id LIMIT 1`, canonicalURL))
	if errors.Is(err, sql.ErrNoRows) {
		return aggregator.Item{}, aggregator.ErrNotFound
	}
	if err != nil {
		return aggregator.Item{}, fmt.Errorf("store: item by url: %w", err)
	}
	return it, nil
}

// itemByArticleKeyQuery looks an article key up in its partial index: the
// "<> ”" is what lets SQLite use it (a bound value could be ”).
const itemByArticleKeyQuery = `SELECT ` + itemColumns + ` FROM items i
	WHERE i.article_key = ? AND i.article_key <> '' AND i.published_at >= ? AND i.published_at <= ?
	ORDER BY i.id LIMIT 1`

// ItemByArticleKey returns the earliest item with this article key
// published between from and to, or ErrNotFound.
func (t *Tx) ItemByArticleKey(ctx context.Context, key string, from, to time.Time) (aggregator.Item, error) {
	it, err := scanItem(t.queryRow(ctx, itemByArticleKeyQuery, key, unixNano(from), unixNano(to)))
	if errors.Is(err, sql.ErrNoRows) {
		return aggregator.Item{}, aggregator.ErrNotFound
	}
	if err != nil {
		return aggregator.Item{}, fmt.Errorf("store: item by article key: %w", err)
	}
	return it, nil
}

// itemByHeadlineKeyQuery looks a headline key up in its partial index (the
// "<> ”" lets SQLite use it, as in itemByArticleKeyQuery).
const itemByHeadlineKeyQuery = `SELECT ` + itemColumns + ` FROM items i
	WHERE i.headline_key = ? AND i.headline_key <> '' AND i.published_at >= ? AND i.published_at <= ?
	AND i.source_id <> ? ORDER BY i.id LIMIT 1`

// ItemByHeadlineKey returns the earliest item with this headline key
// published between from and to from any source but notSourceID, or
// ErrNotFound.
func (t *Tx) ItemByHeadlineKey(ctx context.Context, key string, notSourceID int64, from, to time.Time) (aggregator.Item, error) {
	it, err := scanItem(t.queryRow(ctx, itemByHeadlineKeyQuery, key, unixNano(from), unixNano(to), notSourceID))
	if errors.Is(err, sql.ErrNoRows) {
		return aggregator.Item{}, aggregator.ErrNotFound
	}
	if err != nil {
		return aggregator.Item{}, fmt.Errorf("store: item by headline key: %w", err)
	}
	return it, nil
}

// InsertItem stores a new item with its decision and sets it.ID.
func (t *Tx) InsertItem(ctx context.Context, it *aggregator.Item) error {
	var story any
	if it.StoryID != 0 {
		story = it.StoryID
	}
	onTopic := 0
	if it.Decision.OnTopic {
		onTopic = 1
	}
	res, err := t.exec(ctx, `INSERT INTO items (
		source_id, guid, url, canonical_url, title, body, summary_html, author, categories,
		published_at, first_seen_at, updated_at, story_id,
		verdict, match_key, resemblance, containment, on_topic, topic_rule, topic_similarity, stripped,
		shingles, signature, lead, outlet, article_key, feed_published_at, headline_key, language)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		it.SourceID, it.GUID, it.URL, it.CanonicalURL, it.Title, it.Body, it.SummaryHTML, it.Author,
		joinLines(it.Categories), unixNano(it.Published), unixNano(it.FirstSeen), unixNano(it.Updated), story,
		string(it.Decision.Verdict), it.Decision.Match.String(), it.Decision.Resemblance, it.Decision.Containment, onTopic,
		it.Decision.TopicRule, it.Decision.TopicSimilarity, joinLines(it.Decision.Stripped),
		encodeUint64s(it.Shingles), encodeUint32s(it.Signature), encodeUint32s(it.Lead), it.Outlet, it.ArticleKey, unixNano(it.FeedPublished), it.HeadlineKey, it.Language)
	if err != nil {
		return fmt.Errorf("store: insert item %q: %w", it.GUID, err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("store: insert item %q: %w", it.GUID, err)
	}
	it.ID = id
	return nil
}

// UpdateItemContent refreshes the content of an item that its source
// delivered again with changes. The decision, the story and the dates it
// was first seen and published stay as they were.
func (t *Tx) UpdateItemContent(ctx context.Context, it aggregator.Item) error {
	_, err := t.exec(ctx, `UPDATE items SET
		url = ?, title = ?, body = ?, summary_html = ?, author = ?, categories = ?, updated_at = ?
		WHERE id = ?`,
		it.URL, it.Title, it.Body, it.SummaryHTML, it.Author, joinLines(it.Categories), unixNano(it.Updated), it.ID)
	if err != nil {
		return fmt.Errorf("store: update item %d: %w", it.ID, err)
	}
	return nil
}

// ItemsByURL returns every item whose link or canonical link is url (the
// explanation of an article), oldest first, with the source of each.
func (s *Store) ItemsByURL(ctx context.Context, url, canonicalURL string) ([]aggregator.SourcedItem, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+itemColumns+`, src.name, src.url
		FROM items i JOIN sources src ON src.id = i.source_id
		WHERE i.url = ? OR i.canonical_url = ? ORDER BY i.id`, url, canonicalURL)
	if err != nil {
		return nil, fmt.Errorf("store: items by url: %w", err)
	}
	return scanSourcedItems(rows)
}

func scanSourcedItems(rows *sql.Rows) ([]aggregator.SourcedItem, error) {
	defer rows.Close()
	var out []aggregator.SourcedItem
	for rows.Next() {
		var si aggregator.SourcedItem
		it, err := scanItem(rows, &si.SourceName, &si.SourceURL)
		if err != nil {
			return nil, fmt.Errorf("store: scan item: %w", err)
		}
		si.Item = it
		out = append(out, si)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: scan items: %w", err)
	}
	return out, nil
}

// RecentItems returns the newest items (by first-seen time) whose verdict is
// one of verdicts (all when none given), with their sources.
func (s *Store) RecentItems(ctx context.Context, limit int, verdicts ...aggregator.Verdict) ([]aggregator.SourcedItem, error) {
	where := ""
	args := []any{}
	if len(verdicts) > 0 {
		where = "WHERE i.verdict IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(verdicts)), ", ") + ")"
		for _, v := range verdicts {
			args = append(args, string(v))
		}
	}
	args = append(args, limit)
	rows, err := s.db.QueryContext(ctx, `SELECT `+itemColumns+`, src.name, src.url
		FROM items i JOIN sources src ON src.id = i.source_id `+where+`
		ORDER BY i.first_seen_at DESC, i.id DESC LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: recent items: %w", err)
	}
	return scanSourcedItems(rows)
}

func joinLines(ss []string) string {
	return strings.Join(ss, "\n")
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func encodeUint64s(v []uint64) []byte {
	if v == nil {
		return nil
	}
	b := make([]byte, 8*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint64(b[8*i:], x)
	}
	return b
}

func decodeUint64s(b []byte) []uint64 {
	if len(b) == 0 {
		return nil
	}
	v := make([]uint64, len(b)/8)
	for i := range v {
		v[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	return v
}

func encodeUint32s(v []uint32) []byte {
	if v == nil {
		return nil
	}
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], x)
	}
	return b
}

func decodeUint32s(b []byte) []uint32 {
	if len(b) == 0 {
		return nil
	}
	v := make([]uint32, len(b)/4)
	for i := range v {
		v[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
	return v
}

// KnownGUIDs returns which of guids the source has already delivered.
func (s *Store) KnownGUIDs(ctx context.Context, sourceID int64, guids []string) (map[string]bool, error) {
	known := make(map[string]bool)
	const chunk = 500 // well below SQLite's limit on bound variables
	for len(guids) > 0 {
		part := guids[:min(chunk, len(guids))]
		guids = guids[len(part):]
		args := make([]any, 0, len(part)+1)
		args = append(args, sourceID)
		for _, g := range part {
			args = append(args, g)
		}
		rows, err := s.db.QueryContext(ctx, `SELECT guid FROM items WHERE source_id = ? AND guid IN (?`+
			strings.Repeat(", ?", len(part)-1)+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("store: known guids: %w", err)
		}
		for rows.Next() {
			var g string
			if err := rows.Scan(&g); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: known guids: %w", err)
			}
			known[g] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("store: known guids: %w", err)
		}
	}
	return known, nil
}

// ItemByID returns one item with its source, or ErrNotFound.
func (s *Store) ItemByID(ctx context.Context, id int64) (aggregator.SourcedItem, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+itemColumns+`, src.name, src.url
		FROM items i JOIN sources src ON src.id = i.source_id WHERE i.id = ?`, id)
	if err != nil {
		return aggregator.SourcedItem{}, fmt.Errorf("store: item %d: %w", id, err)
	}
	items, err := scanSourcedItems(rows)
	if err != nil {
		return aggregator.SourcedItem{}, err
	}
	if len(items) == 0 {
		return aggregator.SourcedItem{}, fmt.Errorf("store: item %d: %w", id, aggregator.ErrNotFound)
	}
	return items[0], nil
}
