package aggregator

import "testing"

// TestHeadlineKeyNeedsAStory checks that generic headlines (live blogs,
// explainers) get no headline key, so they never make two reports one.
func TestHeadlineKeyNeedsAStory(t *testing.T) {
	for title, want := range map[string]bool{
		"What we know so far":                                         false,
		"Live updates: everything you need to know now":               false,
		"Five key takeaways from the summit":                          false,
		"Putin accepts Kim Jong Un's invitation to visit North Korea": true,
		"Menlu Korut Choe Son Hui tiba di Moskow":                     true,
		"Kim meets Putin":                                             false, // too short
	} {
		if got := headlineKey(title) != ""; got != want {
			t.Errorf("headlineKey(%q) = %q, want a key: %v", title, headlineKey(title), want)
		}
	}
}
