package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Source is a polled feed and what the last fetch learned about it.
type Source struct {
	ID            int64
	Name          string
	URL           string
	ETag          string // validators for the next conditional GET
	LastModified  string
	FeedID        string // the upstream feed's own id, title and link (for atom:source)
	FeedTitle     string
	FeedLink      string
	LastFetchAt   time.Time
	LastSuccessAt time.Time
	LastStatus    int    // HTTP status of the last fetch, 0 when none came back
	LastError     string // "" after a success
	ErrorCount    int    // consecutive failures
	NextFetchAt   time.Time
}

const sourceColumns = `id, name, url, etag, last_modified, feed_id, feed_title, feed_link,
	last_fetch_at, last_success_at, last_status, last_error, error_count, next_fetch_at`

func scanSource(row interface{ Scan(...any) error }) (Source, error) {
	var s Source
	var fetchAt, successAt, nextAt int64
	err := row.Scan(&s.ID, &s.Name, &s.URL, &s.ETag, &s.LastModified, &s.FeedID, &s.FeedTitle, &s.FeedLink,
		&fetchAt, &successAt, &s.LastStatus, &s.LastError, &s.ErrorCount, &nextAt)
	if err != nil {
		return Source{}, err
	}
	s.LastFetchAt, s.LastSuccessAt, s.NextFetchAt = fromUnixNano(fetchAt), fromUnixNano(successAt), fromUnixNano(nextAt)
	return s, nil
}

// EnsureSource returns the stored source with this name, creating it when it
// is new. When the configured URL differs from the stored one, the URL is
// updated and the conditional-GET validators are cleared (they belonged to
// the old URL).
func (s *Store) EnsureSource(ctx context.Context, name, url string) (Source, error) {
	tx, err := s.Begin(ctx)
	if err != nil {
		return Source{}, err
	}
	defer tx.Rollback()
	_, err = tx.tx.ExecContext(ctx,
		`INSERT INTO sources (name, url) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`, name, url)
	if err != nil {
		return Source{}, fmt.Errorf("store: ensure source %s: %w", name, err)
	}
	_, err = tx.tx.ExecContext(ctx,
		`UPDATE sources SET url = ?, etag = '', last_modified = '' WHERE name = ? AND url <> ?`, url, name, url)
	if err != nil {
		return Source{}, fmt.Errorf("store: ensure source %s: %w", name, err)
	}
	src, err := scanSource(tx.tx.QueryRowContext(ctx, `SELECT `+sourceColumns+` FROM sources WHERE name = ?`, name))
	if err != nil {
		return Source{}, fmt.Errorf("store: ensure source %s: %w", name, err)
	}
	if err := tx.Commit(); err != nil {
		return Source{}, err
	}
	return src, nil
}

// SourceByName returns the stored source with this name, or ErrNotFound.
func (s *Store) SourceByName(ctx context.Context, name string) (Source, error) {
	src, err := scanSource(s.db.QueryRowContext(ctx, `SELECT `+sourceColumns+` FROM sources WHERE name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return Source{}, fmt.Errorf("store: source %q: %w", name, ErrNotFound)
	}
	if err != nil {
		return Source{}, fmt.Errorf("store: source %q: %w", name, err)
	}
	return src, nil
}

// Sources returns every stored source, by name.
func (s *Store) Sources(ctx context.Context) ([]Source, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+sourceColumns+` FROM sources ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("store: sources: %w", err)
	}
	defer rows.Close()
	var out []Source
	for rows.Next() {
		src, err := scanSource(rows)
		if err != nil {
			return nil, fmt.Errorf("store: sources: %w", err)
		}
		out = append(out, src)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: sources: %w", err)
	}
	return out, nil
}

// SaveSourceState records the outcome of a fetch: validators, upstream feed
// metadata, status, error and schedule. It writes every field of src except
// Name and URL.
func (t *Tx) SaveSourceState(ctx context.Context, src Source) error {
	_, err := t.tx.ExecContext(ctx, `UPDATE sources SET
		etag = ?, last_modified = ?, feed_id = ?, feed_title = ?, feed_link = ?,
		last_fetch_at = ?, last_success_at = ?, last_status = ?, last_error = ?, error_count = ?, next_fetch_at = ?
		WHERE id = ?`,
		src.ETag, src.LastModified, src.FeedID, src.FeedTitle, src.FeedLink,
		unixNano(src.LastFetchAt), unixNano(src.LastSuccessAt), src.LastStatus, src.LastError, src.ErrorCount,
		unixNano(src.NextFetchAt), src.ID)
	if err != nil {
		return fmt.Errorf("store: save source %s: %w", src.Name, err)
	}
	return nil
}
