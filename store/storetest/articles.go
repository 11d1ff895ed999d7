package storetest

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"aggregator"
)

func testArticleRoundTrip(t *testing.T, s Store) {
	ctx := context.Background()
	url := "http://a.example/story"
	if _, err := s.ArticleByURL(ctx, url); !errors.Is(err, aggregator.ErrNotFound) {
		t.Fatalf("ArticleByURL before saving: %v, want ErrNotFound", err)
	}
	ok := aggregator.Article{
		CanonicalURL: url, URL: "https://a.example/story?amp=0", FetchedAt: time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC),
		Status: 200, Extractor: "go-trafilatura", ExtractorVersion: "v1.12.2", Words: 4, Text: "First line.\nSecond line.",
	}
	if err := s.SaveArticle(ctx, ok); err != nil {
		t.Fatal(err)
	}
	got, err := s.ArticleByURL(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, ok) || !got.Extracted() {
		t.Fatalf("ArticleByURL = %+v, want %+v", got, ok)
	}
	// Once per canonical URL: a second save keeps the first.
	again := ok
	again.Text, again.Words = "", 0
	if err := s.SaveArticle(ctx, again); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.ArticleByURL(ctx, url); !reflect.DeepEqual(got, ok) {
		t.Fatalf("after a second save: %+v, want the first %+v", got, ok)
	}

	failed := aggregator.Article{
		CanonicalURL: "http://b.example/paid", URL: "http://b.example/paid", FetchedAt: ok.FetchedAt,
		Status: 200, Extractor: "go-trafilatura", ExtractorVersion: "v1.12.2", Words: 12, Text: "Subscribe to read.",
		ErrorKind: "paywall", Error: "fetch http://b.example/paid: article behind a paywall",
	}
	if err := s.SaveArticle(ctx, failed); err != nil {
		t.Fatal(err)
	}
	if got, err := s.ArticleByURL(ctx, failed.CanonicalURL); err != nil || !reflect.DeepEqual(got, failed) || got.Extracted() {
		t.Fatalf("failed article = %+v, %v, want %+v", got, err, failed)
	}
	if err := s.SaveArticle(ctx, aggregator.Article{}); err == nil {
		t.Error("SaveArticle without a canonical URL succeeded")
	}
}
