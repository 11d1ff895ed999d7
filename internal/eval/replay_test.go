package eval

import (
	"testing"

	"aggregator/fetch"
)

// TestEntryOfKeepsTheCorpusLanguage checks that a replayed item's entry
// declares the corpus's "lang" (as its primary subtag), so that Ingest keeps
// it instead of identifying one; an entry generated as a feed's keeps its
// own declared language.
func TestEntryOfKeepsTheCorpusLanguage(t *testing.T) {
	cases := []struct {
		it   Item
		want string
	}{
		{Item{ID: "1", Lang: "id", Title: "Putin tiba di Pyongyang"}, "id"},
		{Item{ID: "2", Lang: "en-GB", Title: "Putin lands"}, "en"},
		{Item{ID: "3", Title: "Putin lands"}, ""},
		{Item{ID: "4", Lang: "en", Entry: &fetch.Entry{GUID: "g", Language: "ko"}}, "ko"},
		{Item{ID: "5", Lang: "en", Entry: &fetch.Entry{GUID: "g"}}, "en"},
	}
	for _, c := range cases {
		if got := entryOf(c.it).Language; got != c.want {
			t.Errorf("item %s: entry language %q, want %q", c.it.ID, got, c.want)
		}
	}
}
