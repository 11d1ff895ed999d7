package dedupe

import "testing"

// mustBest is ix.Best for tests, whose indexes load no shingle sets and so
// cannot fail: a failure is the test's.
func mustBest(tb testing.TB, ix *Index, doc Doc) (Match, bool) {
	tb.Helper()
	m, ok, err := ix.Best(doc)
	if err != nil {
		tb.Fatalf("Best: %v", err)
	}
	return m, ok
}

// mustDecide is Decide for tests.
func mustDecide(tb testing.TB, cfg Config, ix *Index, topic *Topic, doc Doc, title, text string) Result {
	tb.Helper()
	d, err := Decide(cfg, ix, topic, doc, title, text)
	if err != nil {
		tb.Fatalf("Decide: %v", err)
	}
	return d
}
