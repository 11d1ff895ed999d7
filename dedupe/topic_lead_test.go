package dedupe

import (
	"slices"
	"strings"
	"testing"
)

// TestLeadWords checks that the lead words the topic searches for keywords
// are those of the whole text, whatever the text's length and script, and
// wherever the prefix tokenised first happens to cut a word or a rune.
func TestLeadWords(t *testing.T) {
	texts := []string{
		"",
		"Pyongyang",
		strings.Repeat("Kim Jong Un met Putin in Vostochny. ", 40),
		strings.Repeat("Ким Чен Ын встретился с Путиным; ", 40),
		strings.Repeat("김정은 위원장이 푸틴 대통령과 회담했다. ", 60),
		strings.Repeat("a", 5000) + " tail",
		strings.Repeat("北朝鮮とロシア ", 300),
	}
	for _, text := range texts {
		for _, n := range []int{0, 1, 5, 99, 100, 1000} {
			want := Words(text)
			if n > 0 && len(want) > n {
				want = want[:n]
			}
			if got := leadWords(text, n); !slices.Equal(got, want) {
				t.Errorf("leadWords(%.30q…, %d) = %d words, want %d", text, n, len(got), len(want))
			}
		}
	}
}
