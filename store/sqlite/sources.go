package sqlite

import (
	"aggregator"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

const sourceColumns = `id, name, url, etag, last_modified, feed_id, feed_title, feed_link,
	last_fetch_at, last_success_at, last_status, last_error, error_count, next_fetch_at,
	last_error_kind, next_fetch_reason, retry_after_until, moved_url, moved_at, retired_at,
	ttl_seconds, max_age_seconds, expires_at, update_period_seconds, skip_hours, skip_days`

func scanSource(row interface{ Scan(...any) error }) (aggregator.Source, error) {
	var s aggregator.Source
	var fetchAt, successAt, nextAt, retryUntil, movedAt, retiredAt, expires int64
	var ttl, maxAge, period int64
	var skipHours, skipDays string
	err := row.Scan(&s.ID, &s.Name, &s.URL, &s.ETag, &s.LastModified, &s.FeedID, &s.FeedTitle, &s.FeedLink,
		&fetchAt, &successAt, &s.LastStatus, &s.LastError, &s.ErrorCount, &nextAt,
		&s.LastErrorKind, &s.NextFetchReason, &retryUntil, &s.MovedURL, &movedAt, &retiredAt,
		&ttl, &maxAge, &expires, &period, &skipHours, &skipDays)
	if err != nil {
		return aggregator.Source{}, err
	}
	s.LastFetchAt, s.LastSuccessAt, s.NextFetchAt = fromUnixNano(fetchAt), fromUnixNano(successAt), fromUnixNano(nextAt)
	s.RetryAfterUntil, s.MovedAt, s.RetiredAt = fromUnixNano(retryUntil), fromUnixNano(movedAt), fromUnixNano(retiredAt)
	s.Expires = fromUnixNano(expires)
	s.TTL, s.MaxAge, s.UpdatePeriod = time.Duration(ttl)*time.Second, time.Duration(maxAge)*time.Second, time.Duration(period)*time.Second
	s.SkipHours = parseHours(skipHours)
	s.SkipDays = parseDays(skipDays)
	return s, nil
}

// EnsureSource returns the stored source with this name, creating it when it
// is new. When the configured URL differs from the stored one, the URL is
// updated and everything that belonged to the old URL is cleared: the
// conditional-GET validators, a permanent redirect, a retirement by 410, the
// error count, a pending Retry-After and the next poll time.
func (s *Store) EnsureSource(ctx context.Context, name, url string) (aggregator.Source, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return aggregator.Source{}, err
	}
	defer tx.Rollback()
	_, err = tx.tx.ExecContext(ctx,
		`INSERT INTO sources (name, url) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`, name, url)
	if err != nil {
		return aggregator.Source{}, fmt.Errorf("store: ensure source %s: %w", name, err)
	}
	_, err = tx.tx.ExecContext(ctx, `UPDATE sources SET url = ?, etag = '', last_modified = '',
		moved_url = '', moved_at = 0, retired_at = 0, error_count = 0, last_error = '', last_error_kind = '',
		retry_after_until = 0, next_fetch_at = 0, next_fetch_reason = ''
		WHERE name = ? AND url <> ?`, url, name, url)
	if err != nil {
		return aggregator.Source{}, fmt.Errorf("store: ensure source %s: %w", name, err)
	}
	src, err := scanSource(tx.tx.QueryRowContext(ctx, `SELECT `+sourceColumns+` FROM sources WHERE name = ?`, name))
	if err != nil {
		return aggregator.Source{}, fmt.Errorf("store: ensure source %s: %w", name, err)
	}
	if err := tx.Commit(); err != nil {
		return aggregator.Source{}, err
	}
	return src, nil
}

// SourceByName returns the stored source with this name, or ErrNotFound.
func (s *Store) SourceByName(ctx context.Context, name string) (aggregator.Source, error) {
	src, err := scanSource(s.db.QueryRowContext(ctx, `SELECT `+sourceColumns+` FROM sources WHERE name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return aggregator.Source{}, fmt.Errorf("store: source %q: %w", name, aggregator.ErrNotFound)
	}
	if err != nil {
		return aggregator.Source{}, fmt.Errorf("store: source %q: %w", name, err)
	}
	return src, nil
}

// Sources returns every stored source, by name.
func (s *Store) Sources(ctx context.Context) ([]aggregator.Source, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+sourceColumns+` FROM sources ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("store: sources: %w", err)
	}
	defer rows.Close()
	var out []aggregator.Source
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
// metadata, status, error, etiquette and schedule. It writes every field of
// src except Name and URL (the configured URL changes only through
// EnsureSource).
func (t *Tx) SaveSourceState(ctx context.Context, src aggregator.Source) error {
	_, err := t.exec(ctx, `UPDATE sources SET
		etag = ?, last_modified = ?, feed_id = ?, feed_title = ?, feed_link = ?,
		last_fetch_at = ?, last_success_at = ?, last_status = ?, last_error = ?, error_count = ?, next_fetch_at = ?,
		last_error_kind = ?, next_fetch_reason = ?, retry_after_until = ?, moved_url = ?, moved_at = ?, retired_at = ?,
		ttl_seconds = ?, max_age_seconds = ?, expires_at = ?, update_period_seconds = ?, skip_hours = ?, skip_days = ?
		WHERE id = ?`,
		src.ETag, src.LastModified, src.FeedID, src.FeedTitle, src.FeedLink,
		unixNano(src.LastFetchAt), unixNano(src.LastSuccessAt), src.LastStatus, src.LastError, src.ErrorCount,
		unixNano(src.NextFetchAt),
		src.LastErrorKind, src.NextFetchReason, unixNano(src.RetryAfterUntil), src.MovedURL, unixNano(src.MovedAt),
		unixNano(src.RetiredAt),
		int64(src.TTL/time.Second), int64(src.MaxAge/time.Second), unixNano(src.Expires), int64(src.UpdatePeriod/time.Second),
		formatHours(src.SkipHours), formatDays(src.SkipDays),
		src.ID)
	if err != nil {
		return fmt.Errorf("store: save source %s: %w", src.Name, err)
	}
	return nil
}

// formatHours and parseHours store skip hours as "0,1,2".
func formatHours(hours []int) string {
	parts := make([]string, 0, len(hours))
	for _, h := range hours {
		parts = append(parts, strconv.Itoa(h))
	}
	return strings.Join(parts, ",")
}

func parseHours(s string) []int {
	var out []int
	for part := range strings.SplitSeq(s, ",") {
		if h, err := strconv.Atoi(strings.TrimSpace(part)); err == nil {
			out = append(out, h)
		}
	}
	return out
}

// formatDays and parseDays store skip days as "Saturday,Sunday".
func formatDays(days []time.Weekday) string {
	parts := make([]string, 0, len(days))
	for _, d := range days {
		parts = append(parts, d.String())
	}
	return strings.Join(parts, ",")
}

func parseDays(s string) []time.Weekday {
	var out []time.Weekday
	for part := range strings.SplitSeq(s, ",") {
		for d := time.Sunday; d <= time.Saturday; d++ {
			if strings.EqualFold(strings.TrimSpace(part), d.String()) {
				out = append(out, d)
			}
		}
	}
	return out
}
