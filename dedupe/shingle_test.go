package dedupe

import (
	"slices"
	"testing"
)

func TestShingles(t *testing.T) {
	w := func(s string) []string { return Words(s) }
	tests := []struct {
		name string
		a, b string
		k    int
		same bool // a and b give the same shingle set
		n    int  // number of shingles of a
	}{
		{"case and punctuation do not matter", "Kim met Putin, in Moscow.", "kim met putin in moscow", 3, true, 3},
		{"word order matters", "kim met putin", "putin met kim", 3, false, 1},
		{"repeats collapse", "a b c a b c a b c", "a b c a b c", 3, true, 3},
		{"short text is one shingle", "Putin", "putin", 3, true, 1},
		{"empty text has none", "", " , ", 3, true, 0},
		{"shingle size one is the vocabulary", "b a b", "a b", 1, true, 2},
	}
	for _, tt := range tests {
		a, b := Shingles(w(tt.a), tt.k), Shingles(w(tt.b), tt.k)
		if len(a) != tt.n {
			t.Errorf("%s: %d shingles, want %d", tt.name, len(a), tt.n)
		}
		if slices.Equal(a, b) != tt.same {
			t.Errorf("%s: equal = %v, want %v", tt.name, !tt.same, tt.same)
		}
	}
}

func TestIntersectCount(t *testing.T) {
	tests := []struct {
		a, b []uint64
		want int
	}{
		{nil, nil, 0},
		{[]uint64{1, 2, 3}, nil, 0},
		{[]uint64{1, 2, 3}, []uint64{2, 3, 4}, 2},
		{[]uint64{1, 5, 9}, []uint64{1, 5, 9}, 3},
		{[]uint64{1, 3, 5}, []uint64{2, 4, 6}, 0},
	}
	for _, tt := range tests {
		if got := intersectCount(tt.a, tt.b); got != tt.want {
			t.Errorf("intersectCount(%v, %v) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func FuzzShingles(f *testing.F) {
	f.Add("Presiden Rusia Vladimir Putin menyambut baik undangan Kim Jong-un.", 3)
	f.Add("북한의 김정은 위원장은 러시아와", 2)
	f.Add("", 3)
	f.Add("a a a a a a", 1)
	f.Fuzz(func(t *testing.T, s string, k int) {
		if k < 1 || k > 16 {
			return
		}
		words := Words(s)
		seq := ShingleHashes(words, k)
		set := Shingles(words, k)
		if len(words) > 0 && len(seq) != max(1, len(words)-k+1) {
			t.Fatalf("%d words, k=%d: %d shingles", len(words), k, len(seq))
		}
		if !slices.IsSorted(set) || len(slices.Compact(slices.Clone(set))) != len(set) {
			t.Fatal("shingle set not sorted and unique")
		}
		if len(set) > len(seq) {
			t.Fatal("more unique shingles than shingles")
		}
		// Re-spacing and re-casing the text does not change the shingles.
		if !slices.Equal(Shingles(Words(Canonicalize(s)), k), set) {
			t.Fatal("canonical form shingles differently")
		}
	})
}
