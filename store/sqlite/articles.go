package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"aggregator"
)

// ArticleByURL returns the article stored for a canonical URL, or
// aggregator.ErrNotFound.
func (s *Store) ArticleByURL(ctx context.Context, canonicalURL string) (aggregator.Article, error) {
	st, err := s.prepared(ctx, `SELECT canonical_url, url, fetched_at, status, extractor, extractor_version,
		words, text, error_kind, error FROM articles WHERE canonical_url = ?`)
	if err != nil {
		return aggregator.Article{}, fmt.Errorf("store: article %s: %w", canonicalURL, err)
	}
	var a aggregator.Article
	var fetched int64
	err = st.QueryRowContext(ctx, canonicalURL).Scan(&a.CanonicalURL, &a.URL, &fetched, &a.Status,
		&a.Extractor, &a.ExtractorVersion, &a.Words, &a.Text, &a.ErrorKind, &a.Error)
	if errors.Is(err, sql.ErrNoRows) {
		return aggregator.Article{}, fmt.Errorf("store: article %s: %w", canonicalURL, aggregator.ErrNotFound)
	}
	if err != nil {
		return aggregator.Article{}, fmt.Errorf("store: article %s: %w", canonicalURL, err)
	}
	a.FetchedAt = fromUnixNano(fetched)
	return a, nil
}

// SaveArticle stores a, in a statement of its own, unless an article is
// already stored for its canonical URL.
func (s *Store) SaveArticle(ctx context.Context, a aggregator.Article) error {
	if a.CanonicalURL == "" {
		return errors.New("store: save article: empty canonical URL")
	}
	st, err := s.prepared(ctx, `INSERT INTO articles (canonical_url, url, fetched_at, status, extractor,
		extractor_version, words, text, error_kind, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (canonical_url) DO NOTHING`)
	if err == nil {
		_, err = st.ExecContext(ctx, a.CanonicalURL, a.URL, unixNano(a.FetchedAt), a.Status, a.Extractor,
			a.ExtractorVersion, a.Words, a.Text, a.ErrorKind, a.Error)
	}
	if err != nil {
		return fmt.Errorf("store: save article %s: %w", a.CanonicalURL, err)
	}
	return nil
}
