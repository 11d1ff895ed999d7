package sqlite

import (
	"aggregator"
	"context"
	"fmt"
)

// latestStoriesInQuery walks the items of one language newest first in
// their partial index (the "<> ”" lets SQLite use it) and keeps those that
// head their story.
const latestStoriesInQuery = `SELECT s.id, s.head_item_id, s.created_at, s.updated_at
	FROM items i JOIN stories s ON s.id = i.story_id AND s.head_item_id = i.id
	WHERE i.language = ? AND i.language <> ''
	ORDER BY i.published_at DESC, s.id DESC LIMIT ?`

// LatestStoriesIn returns the newest limit stories whose head item is in
// language lang, newest first (by the head item's published time, then
// id), each with its head and copies.
func (s *Store) LatestStoriesIn(ctx context.Context, lang string, limit int) ([]aggregator.StoryView, error) {
	rows, err := s.db.QueryContext(ctx, latestStoriesInQuery, lang, limit)
	if err != nil {
		return nil, fmt.Errorf("store: latest stories in %q: %w", lang, err)
	}
	var views []aggregator.StoryView
	for rows.Next() {
		var v aggregator.StoryView
		var created, updated int64
		if err := rows.Scan(&v.ID, &v.HeadItemID, &created, &updated); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: latest stories in %q: %w", lang, err)
		}
		v.Created, v.Updated = fromUnixNano(created), fromUnixNano(updated)
		views = append(views, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: latest stories in %q: %w", lang, err)
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
