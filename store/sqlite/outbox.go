package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"aggregator"
)

// The webhook outbox (aggregator.OutboxTx, aggregator.OutboxStore): a row
// per new story and webhook, queued in the cycle's transaction.

// QueueNotification queues the story for the webhook at endpoint, once:
// queuing it again changes nothing.
func (t *Tx) QueueNotification(ctx context.Context, storyID int64, endpoint string, at time.Time) error {
	_, err := t.exec(ctx, `INSERT INTO outbox (story_id, endpoint, queued_at) VALUES (?, ?, ?)
		ON CONFLICT (story_id, endpoint) DO NOTHING`, storyID, endpoint, unixNano(at))
	if err != nil {
		return fmt.Errorf("store: queue notification of story %d: %w", storyID, err)
	}
	return nil
}

// PendingNotifications returns up to limit notifications not yet
// delivered, oldest first.
func (s *Store) PendingNotifications(ctx context.Context, limit int) ([]aggregator.Notification, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, story_id, endpoint, queued_at, body, attempts,
		next_attempt_at, last_error, delivered_at FROM outbox WHERE delivered_at = 0 ORDER BY id LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: pending notifications: %w", err)
	}
	defer rows.Close()
	var out []aggregator.Notification
	for rows.Next() {
		var n aggregator.Notification
		var queued, next, delivered int64
		if err := rows.Scan(&n.ID, &n.StoryID, &n.Endpoint, &queued, &n.Body, &n.Attempts,
			&next, &n.LastError, &delivered); err != nil {
			return nil, fmt.Errorf("store: pending notifications: %w", err)
		}
		n.Queued, n.NextAttempt, n.Delivered = fromUnixNano(queued), fromUnixNano(next), fromUnixNano(delivered)
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: pending notifications: %w", err)
	}
	return out, nil
}

// SetNotificationBody stores the body built for a notification.
func (s *Store) SetNotificationBody(ctx context.Context, id int64, body []byte) error {
	return s.updateOutbox(ctx, id, "set body", `UPDATE outbox SET body = ? WHERE id = ?`, body, id)
}

// NotificationDelivered marks a notification delivered at when.
func (s *Store) NotificationDelivered(ctx context.Context, id int64, when time.Time) error {
	return s.updateOutbox(ctx, id, "mark delivered",
		`UPDATE outbox SET delivered_at = ?, last_error = '' WHERE id = ?`, unixNano(when), id)
}

// NotificationFailed records a failed attempt of a notification.
func (s *Store) NotificationFailed(ctx context.Context, id int64, attempts int, msg string, next time.Time) error {
	return s.updateOutbox(ctx, id, "record failure",
		`UPDATE outbox SET attempts = ?, last_error = ?, next_attempt_at = ? WHERE id = ?`,
		attempts, msg, unixNano(next), id)
}

// updateOutbox runs one update of the outbox row id; a row that does not
// exist is ErrNotFound.
func (s *Store) updateOutbox(ctx context.Context, id int64, what, query string, args ...any) error {
	res, err := s.db.ExecContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("store: notification %d: %s: %w", id, what, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return fmt.Errorf("store: notification %d: %s: %w", id, what, aggregator.ErrNotFound)
	}
	return nil
}

// StoryViewByID returns a story with its head and copies, or ErrNotFound.
func (s *Store) StoryViewByID(ctx context.Context, storyID int64) (aggregator.StoryView, error) {
	var v aggregator.StoryView
	var created, updated int64
	err := s.db.QueryRowContext(ctx, `SELECT id, head_item_id, created_at, updated_at FROM stories WHERE id = ?`,
		storyID).Scan(&v.ID, &v.HeadItemID, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return v, fmt.Errorf("store: story %d: %w", storyID, aggregator.ErrNotFound)
	}
	if err != nil {
		return v, fmt.Errorf("store: story %d: %w", storyID, err)
	}
	v.Created, v.Updated = fromUnixNano(created), fromUnixNano(updated)
	items, err := s.storyItems(ctx, storyID)
	if err != nil {
		return v, err
	}
	for _, it := range items {
		if it.ID == v.HeadItemID {
			v.Head = it
		} else {
			v.Copies = append(v.Copies, it)
		}
	}
	return v, nil
}
