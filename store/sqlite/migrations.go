package sqlite

import (
	"context"
	"fmt"
)

// migrations are applied in order; the index+1 is the schema version. A
// released migration is never edited: changes go into a new one.
var migrations = []string{
	// 1: sources, stories, items.
	`CREATE TABLE sources (
		id              INTEGER PRIMARY KEY,
		name            TEXT    NOT NULL UNIQUE,
		url             TEXT    NOT NULL,
		etag            TEXT    NOT NULL DEFAULT '',
		last_modified   TEXT    NOT NULL DEFAULT '',
		feed_id         TEXT    NOT NULL DEFAULT '',
		feed_title      TEXT    NOT NULL DEFAULT '',
		feed_link       TEXT    NOT NULL DEFAULT '',
		last_fetch_at   BIGINT  NOT NULL DEFAULT 0,
		last_success_at BIGINT  NOT NULL DEFAULT 0,
		last_status     INTEGER NOT NULL DEFAULT 0,
		last_error      TEXT    NOT NULL DEFAULT '',
		error_count     INTEGER NOT NULL DEFAULT 0,
		next_fetch_at   BIGINT  NOT NULL DEFAULT 0
	);
	CREATE TABLE stories (
		id           INTEGER PRIMARY KEY,
		head_item_id BIGINT  NOT NULL,
		created_at   BIGINT  NOT NULL,
		updated_at   BIGINT  NOT NULL
	);
	CREATE INDEX stories_updated_at ON stories (updated_at);
	CREATE TABLE items (
		id               INTEGER PRIMARY KEY,
		source_id        BIGINT  NOT NULL REFERENCES sources (id),
		guid             TEXT    NOT NULL,
		url              TEXT    NOT NULL,
		canonical_url    TEXT    NOT NULL,
		title            TEXT    NOT NULL,
		body             TEXT    NOT NULL,
		summary_html     TEXT    NOT NULL,
		author           TEXT    NOT NULL,
		categories       TEXT    NOT NULL,
		published_at     BIGINT  NOT NULL,
		first_seen_at    BIGINT  NOT NULL,
		updated_at       BIGINT  NOT NULL,
		story_id         BIGINT  REFERENCES stories (id),
		verdict          TEXT    NOT NULL,
		match_key        TEXT    NOT NULL,
		resemblance      REAL    NOT NULL,
		containment      REAL    NOT NULL,
		on_topic         INTEGER NOT NULL,
		topic_rule       TEXT    NOT NULL,
		topic_similarity REAL    NOT NULL,
		stripped         TEXT    NOT NULL,
		shingles         BLOB,
		signature        BLOB,
		lead             BLOB,
		UNIQUE (source_id, guid)
	);
	CREATE INDEX items_canonical_url ON items (canonical_url);
	CREATE INDEX items_story_id ON items (story_id);
	CREATE INDEX items_url ON items (url);`,

	// 2: polling etiquette per source: the kind of the last error, why the
	// next poll is when it is, Retry-After, permanent redirects, retirement
	// by 410 Gone, and the cache hints of the last successful response.
	`ALTER TABLE sources ADD COLUMN last_error_kind       TEXT   NOT NULL DEFAULT '';
	ALTER TABLE sources ADD COLUMN next_fetch_reason     TEXT   NOT NULL DEFAULT '';
	ALTER TABLE sources ADD COLUMN retry_after_until     BIGINT NOT NULL DEFAULT 0;
	ALTER TABLE sources ADD COLUMN moved_url             TEXT   NOT NULL DEFAULT '';
	ALTER TABLE sources ADD COLUMN moved_at              BIGINT NOT NULL DEFAULT 0;
	ALTER TABLE sources ADD COLUMN retired_at            BIGINT NOT NULL DEFAULT 0;
	ALTER TABLE sources ADD COLUMN ttl_seconds           BIGINT NOT NULL DEFAULT 0;
	ALTER TABLE sources ADD COLUMN max_age_seconds       BIGINT NOT NULL DEFAULT 0;
	ALTER TABLE sources ADD COLUMN expires_at            BIGINT NOT NULL DEFAULT 0;
	ALTER TABLE sources ADD COLUMN update_period_seconds BIGINT NOT NULL DEFAULT 0;
	ALTER TABLE sources ADD COLUMN skip_hours            TEXT   NOT NULL DEFAULT '';
	ALTER TABLE sources ADD COLUMN skip_days             TEXT   NOT NULL DEFAULT '';`,
	// 3: the compact keys the near-duplicate index files an item under
	// (dedupe.Index.EncodeKeys), in a table of their own so that start-up
	// reads a few hundred bytes per story instead of its item row; and the
	// off-topic items the index also holds, found without a scan.
	`CREATE TABLE index_keys (
		item_id INTEGER PRIMARY KEY REFERENCES items (id),
		keys    BLOB    NOT NULL
	);
	CREATE INDEX items_off_topic ON items (first_seen_at) WHERE verdict = 'off_topic' AND story_id IS NULL;`,
	// 4: the outlet an aggregator's item names, and the article key
	// (normalised headline and outlet host) that finds one outlet's article
	// across its own feed and aggregators' feeds.
	`ALTER TABLE items ADD COLUMN outlet      TEXT NOT NULL DEFAULT '';
	ALTER TABLE items ADD COLUMN article_key TEXT NOT NULL DEFAULT '';
	CREATE INDEX items_article_key ON items (article_key, published_at) WHERE article_key <> '';`,
	// 5: the feed's published date when it lay too far in the future and the
	// first-seen time was published instead (0: not replaced).
	`ALTER TABLE items ADD COLUMN feed_published_at BIGINT NOT NULL DEFAULT 0;`,
	// 6: the article page fetched for an entry (full text), once per
	// canonical URL, with its provenance, or the reason none was extracted.
	`CREATE TABLE articles (
		canonical_url     TEXT    PRIMARY KEY,
		url               TEXT    NOT NULL,
		fetched_at        BIGINT  NOT NULL,
		status            INTEGER NOT NULL,
		extractor         TEXT    NOT NULL,
		extractor_version TEXT    NOT NULL,
		words             INTEGER NOT NULL,
		text              TEXT    NOT NULL,
		error_kind        TEXT    NOT NULL,
		error             TEXT    NOT NULL
	);`,
	// 7: the headline key (the normalised headline) that finds a short copy
	// of an earlier item by its headline; items stored before have none.
	`ALTER TABLE items ADD COLUMN headline_key TEXT NOT NULL DEFAULT '';
	CREATE INDEX items_headline_key ON items (headline_key, published_at) WHERE headline_key <> '';`,
	// 8: the event a story belongs to (a match key: "story:ID" of the story
	// that started it, or "seed:NAME") and the evidence of that decision;
	// stories stored before have none.
	`ALTER TABLE stories ADD COLUMN event          TEXT NOT NULL DEFAULT '';
	ALTER TABLE stories ADD COLUMN event_evidence BLOB;
	CREATE INDEX stories_event ON stories (event) WHERE event <> '';`,
	// 9: the item's language (primary BCP 47 subtag, declared or
	// identified); items stored before have none ("").
	`ALTER TABLE items ADD COLUMN language TEXT NOT NULL DEFAULT '';`,
	// 10: the webhook outbox: one row per new story
	// and webhook, written in the transaction that creates the story, marked
	// delivered after a 2xx; the body is kept from the first attempt on.
	`CREATE TABLE outbox (
		id              INTEGER PRIMARY KEY,
		story_id        BIGINT  NOT NULL REFERENCES stories (id),
		endpoint        TEXT    NOT NULL,
		queued_at       BIGINT  NOT NULL,
		body            BLOB,
		attempts        INTEGER NOT NULL DEFAULT 0,
		next_attempt_at BIGINT  NOT NULL DEFAULT 0,
		last_error      TEXT    NOT NULL DEFAULT '',
		delivered_at    BIGINT  NOT NULL DEFAULT 0,
		UNIQUE (story_id, endpoint)
	);
	CREATE INDEX outbox_pending ON outbox (id) WHERE delivered_at = 0;`,
	// 11: an index that finds the newest items of a language for its feed.
	`CREATE INDEX items_language ON items (language, published_at) WHERE language <> '';`,
}

// migrate brings the schema up to date, one transaction per migration.
func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx,
		`CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var version int
	if err := s.db.QueryRowContext(ctx,
		`SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&version); err != nil {
		return fmt.Errorf("migrate: read version: %w", err)
	}
	if version > len(migrations) {
		return fmt.Errorf("migrate: database schema version %d is newer than this program (%d)", version, len(migrations))
	}
	for i := version; i < len(migrations); i++ {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migrate to %d: %w", i+1, err)
		}
		if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate to %d: %w", i+1, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES (?)`, i+1); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate to %d: %w", i+1, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate to %d: %w", i+1, err)
		}
	}
	return nil
}

// SchemaVersion returns the version the database is at.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("store: schema version: %w", err)
	}
	return v, nil
}
