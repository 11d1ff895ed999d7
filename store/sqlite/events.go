package sqlite

import (
	"aggregator"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

const storyColumns = `s.id, s.head_item_id, s.created_at, s.updated_at, s.event, s.event_evidence`

func scanStory(row interface{ Scan(...any) error }, extra ...any) (aggregator.Story, error) {
	var st aggregator.Story
	var created, updated int64
	dest := []any{&st.ID, &st.HeadItemID, &created, &updated, &st.Event, &st.EventEvidence}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return aggregator.Story{}, err
	}
	st.Created, st.Updated = fromUnixNano(created), fromUnixNano(updated)
	return st, nil
}

// SetStoryEvent records the event a story belongs to and the evidence of
// that decision.
func (t *Tx) SetStoryEvent(ctx context.Context, storyID int64, event string, evidence []byte) error {
	res, err := t.exec(ctx, `UPDATE stories SET event = ?, event_evidence = ? WHERE id = ?`, event, evidence, storyID)
	if err != nil {
		return fmt.Errorf("store: set event of story %d: %w", storyID, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return fmt.Errorf("store: set event of story %d: %w", storyID, aggregator.ErrNotFound)
	}
	return nil
}

// StoryByID returns a story with its event, or ErrNotFound.
func (s *Store) StoryByID(ctx context.Context, storyID int64) (aggregator.Story, error) {
	st, err := scanStory(s.db.QueryRowContext(ctx, `SELECT `+storyColumns+` FROM stories s WHERE s.id = ?`, storyID))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return aggregator.Story{}, fmt.Errorf("store: story %d: %w", storyID, aggregator.ErrNotFound)
	case err != nil:
		return aggregator.Story{}, fmt.Errorf("store: story %d: %w", storyID, err)
	}
	return st, nil
}

// EventStories calls fn for every story updated at or after since that has
// an event, by id, with its head item and the head's source.
func (s *Store) EventStories(ctx context.Context, since time.Time, fn func(aggregator.StoryView) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT `+storyColumns+`, `+itemColumns+`, src.name, src.url
		FROM stories s JOIN items i ON i.id = s.head_item_id JOIN sources src ON src.id = i.source_id
		WHERE s.updated_at >= ? AND s.event <> '' ORDER BY s.id`, unixNano(since))
	if err != nil {
		return fmt.Errorf("store: event stories: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v aggregator.StoryView
		head, err := scanItem(rowFunc(func(dest ...any) error {
			st, serr := scanStory(rows, dest...)
			v.Story = st
			return serr
		}), &v.Head.SourceName, &v.Head.SourceURL)
		if err != nil {
			return fmt.Errorf("store: event stories: %w", err)
		}
		v.Head.Item = head
		if err := fn(v); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: event stories: %w", err)
	}
	return nil
}

// rowFunc is a scanner that hands its destinations to a function, so that
// two scanners can read one row.
type rowFunc func(dest ...any) error

func (f rowFunc) Scan(dest ...any) error { return f(dest...) }
