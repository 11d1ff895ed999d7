package sqlite

import (
	"aggregator"
	"context"
	"database/sql"
	"fmt"
	"time"
)

// NewStory stores it as the first item of a new story, created at it.FirstSeen,
// and sets it.ID and it.StoryID.
func (t *Tx) NewStory(ctx context.Context, it *aggregator.Item) error {
	at := unixNano(it.FirstSeen)
	res, err := t.exec(ctx,
		`INSERT INTO stories (head_item_id, created_at, updated_at) VALUES (0, ?, ?)`, at, at)
	if err != nil {
		return fmt.Errorf("store: new story: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("store: new story: %w", err)
	}
	it.StoryID = id
	if err := t.InsertItem(ctx, it); err != nil {
		return err
	}
	if _, err := t.exec(ctx, `UPDATE stories SET head_item_id = ? WHERE id = ?`, it.ID, id); err != nil {
		return fmt.Errorf("store: new story: %w", err)
	}
	return nil
}

// TouchStory records that the story changed at when (a copy joined it); the
// time only ever moves forward.
func (t *Tx) TouchStory(ctx context.Context, storyID int64, when time.Time) error {
	_, err := t.exec(ctx,
		`UPDATE stories SET updated_at = ? WHERE id = ? AND updated_at < ?`, unixNano(when), storyID, unixNano(when))
	if err != nil {
		return fmt.Errorf("store: touch story %d: %w", storyID, err)
	}
	return nil
}

// LatestStories returns the newest limit stories, newest first (by the head
// item's published time), each with its head and copies.
func (s *Store) LatestStories(ctx context.Context, limit int) ([]aggregator.StoryView, error) {
	views, err := s.storyViews(ctx, `SELECT `+storyColumns+`
		FROM stories s JOIN items i ON i.id = s.head_item_id
		ORDER BY i.published_at DESC, s.id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: latest stories: %w", err)
	}
	return views, nil
}

// StoriesCreated returns the stories created at or after from and before
// to, newest first (by creation time, then id), each with its head and
// copies.
func (s *Store) StoriesCreated(ctx context.Context, from, to time.Time) ([]aggregator.StoryView, error) {
	views, err := s.storyViews(ctx, `SELECT `+storyColumns+`
		FROM stories s WHERE s.created_at >= ? AND s.created_at < ?
		ORDER BY s.created_at DESC, s.id DESC`, unixNano(from), unixNano(to))
	if err != nil {
		return nil, fmt.Errorf("store: stories created from %s to %s: %w", from.Format(time.RFC3339), to.Format(time.RFC3339), err)
	}
	return views, nil
}

// FirstStoryCreated returns the creation time of the oldest story, or
// ErrNotFound when there is none.
func (s *Store) FirstStoryCreated(ctx context.Context) (time.Time, error) {
	var at sql.NullInt64
	if err := s.db.QueryRowContext(ctx, `SELECT MIN(created_at) FROM stories`).Scan(&at); err != nil {
		return time.Time{}, fmt.Errorf("store: first story: %w", err)
	}
	if !at.Valid {
		return time.Time{}, fmt.Errorf("store: first story: %w", aggregator.ErrNotFound)
	}
	return fromUnixNano(at.Int64), nil
}

// storyViews runs query, which selects storyColumns of stories, and loads
// each story's head and copies.
func (s *Store) storyViews(ctx context.Context, query string, args ...any) ([]aggregator.StoryView, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	var views []aggregator.StoryView
	for rows.Next() {
		st, err := scanStory(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		views = append(views, aggregator.StoryView{Story: st})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range views {
		items, err := s.storyItems(ctx, views[i].ID)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			if it.ID == views[i].HeadItemID {
				views[i].Head = it
			} else {
				views[i].Copies = append(views[i].Copies, it)
			}
		}
	}
	return views, nil
}

func (s *Store) storyItems(ctx context.Context, storyID int64) ([]aggregator.SourcedItem, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+itemColumns+`, src.name, src.url
		FROM items i JOIN sources src ON src.id = i.source_id
		WHERE i.story_id = ? ORDER BY i.id`, storyID)
	if err != nil {
		return nil, fmt.Errorf("store: story %d items: %w", storyID, err)
	}
	return scanSourcedItems(rows)
}

// Counts returns the store's totals.
func (s *Store) Counts(ctx context.Context) (aggregator.Counts, error) {
	c := aggregator.Counts{ByVerdict: map[aggregator.Verdict]int{}}
	for _, q := range []struct {
		sql string
		dst *int
	}{
		{`SELECT COUNT(*) FROM sources`, &c.Sources},
		{`SELECT COUNT(*) FROM items`, &c.Items},
		{`SELECT COUNT(*) FROM stories`, &c.Stories},
	} {
		if err := s.db.QueryRowContext(ctx, q.sql).Scan(q.dst); err != nil {
			return aggregator.Counts{}, fmt.Errorf("store: counts: %w", err)
		}
	}
	rows, err := s.db.QueryContext(ctx, `SELECT verdict, COUNT(*) FROM items GROUP BY verdict`)
	if err != nil {
		return aggregator.Counts{}, fmt.Errorf("store: counts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v string
		var n int
		if err := rows.Scan(&v, &n); err != nil {
			return aggregator.Counts{}, fmt.Errorf("store: counts: %w", err)
		}
		c.ByVerdict[aggregator.Verdict(v)] = n
	}
	return c, rows.Err()
}

// StoryHead returns the head item of a story, with its source.
func (s *Store) StoryHead(ctx context.Context, storyID int64) (aggregator.SourcedItem, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+itemColumns+`, src.name, src.url
		FROM stories st JOIN items i ON i.id = st.head_item_id JOIN sources src ON src.id = i.source_id
		WHERE st.id = ?`, storyID)
	if err != nil {
		return aggregator.SourcedItem{}, fmt.Errorf("store: story %d: %w", storyID, err)
	}
	items, err := scanSourcedItems(rows)
	if err != nil {
		return aggregator.SourcedItem{}, err
	}
	if len(items) == 0 {
		return aggregator.SourcedItem{}, fmt.Errorf("store: story %d: %w", storyID, aggregator.ErrNotFound)
	}
	return items[0], nil
}

// StoryHeadPublished returns the published time of a story's head item.
func (t *Tx) StoryHeadPublished(ctx context.Context, storyID int64) (time.Time, error) {
	var pub int64
	err := t.queryRow(ctx, `SELECT i.published_at FROM stories s JOIN items i ON i.id = s.head_item_id
		WHERE s.id = ?`, storyID).Scan(&pub)
	if err != nil {
		return time.Time{}, fmt.Errorf("store: story %d head: %w", storyID, err)
	}
	return fromUnixNano(pub), nil
}

// SetStoryHead makes itemID, which must belong to the story, its head: the
// item the story's feed entry shows. The story keeps its id and creation
// time, so its entry keeps its id.
func (t *Tx) SetStoryHead(ctx context.Context, storyID, itemID int64) error {
	res, err := t.exec(ctx, `UPDATE stories SET head_item_id = ? WHERE id = ?
		AND EXISTS (SELECT 1 FROM items WHERE id = ? AND story_id = ?)`, itemID, storyID, itemID, storyID)
	if err != nil {
		return fmt.Errorf("store: set head of story %d: %w", storyID, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return fmt.Errorf("store: set head of story %d: item %d is not in it", storyID, itemID)
	}
	return nil
}
