package sqlite

import "testing"

// TestLatestStoriesInUsesItsIndex checks the plan of a per-language feed's
// query: a scan of every item for each feed rendered would grow with the
// whole history.
func TestLatestStoriesInUsesItsIndex(t *testing.T) {
	queryUsesIndex(t, latestStoriesInQuery, "items_language", "en", 10)
}
