package sqlite

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"aggregator"
)

// EventMembers returns every story whose event is one of events, oldest
// first (by id), each with its head and copies.
func (s *Store) EventMembers(ctx context.Context, events []string) ([]aggregator.StoryView, error) {
	var views []aggregator.StoryView
	// SQLite allows 32766 parameters; the feed asks for a few hundred.
	const chunk = 500
	for start := 0; start < len(events); start += chunk {
		part := events[start:min(start+chunk, len(events))]
		args := make([]any, len(part))
		for i, e := range part {
			args[i] = e
		}
		rows, err := s.db.QueryContext(ctx, `SELECT `+storyColumns+` FROM stories s
			WHERE s.event IN (?`+strings.Repeat(", ?", len(part)-1)+`) ORDER BY s.id`, args...)
		if err != nil {
			return nil, fmt.Errorf("store: event members: %w", err)
		}
		for rows.Next() {
			st, err := scanStory(rows)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: event members: %w", err)
			}
			views = append(views, aggregator.StoryView{Story: st})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("store: event members: %w", err)
		}
	}
	slices.SortFunc(views, func(a, b aggregator.StoryView) int { return cmp.Compare(a.ID, b.ID) })
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
