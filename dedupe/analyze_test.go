package dedupe

import (
	"slices"
	"testing"
)

// referenceAnalyze is Analyze written the plain way: strip boilerplate
// lines, tokenise the kept lines, shingle the words.
func referenceAnalyze(cfg Config, title, body string) Doc {
	kept, stripped := StripBoilerplate(body)
	var words []string
	for _, l := range kept {
		words = append(words, Words(l)...)
	}
	if len(words) < MinBodyWords {
		words = append(Words(title), words...)
	}
	seq := ShingleHashes(words, cfg.ShingleSize)
	lead := seq
	if len(lead) > LeadShingles {
		lead = slices.Clone(lead[:LeadShingles])
	}
	set := slices.Clone(seq)
	slices.Sort(set)
	set = slices.Compact(set)
	return Doc{
		Shingles:  set,
		Signature: Signature(set, cfg.SignatureSize),
		Lead:      Signature(lead, cfg.SignatureSize),
		Words:     len(words),
		Stripped:  stripped,
	}
}

// TestAnalyzeMatchesReference checks that the one-pass Analyze gives
// exactly what stripping, tokenising and shingling step by step gives, on
// the seeds, the test texts, upper-case and mixed-script input and (with
// AGGREGATOR_SHARED) the news-id articles.
func TestAnalyzeMatchesReference(t *testing.T) {
	cfg := DefaultConfig()
	an := newTestAnalyzer(t)
	texts := loadBenchTexts(t)
	for _, name := range []string{"article.txt", "independent.txt", "offtopic.txt"} {
		texts = append(texts, benchText{Title: name, Body: readTestdata(t, name)})
	}
	texts = append(texts,
		benchText{"", ""},
		benchText{"Judul Saja", ""},
		benchText{"ÉCOLE", "KIM JONG UN TIBA DI MOSKOW UNTUK BERTEMU PUTIN DAN MENTERI LAINNYA HARI INI\nŞEHİR İSTANBUL Ǆ ǅ ǆ Σ ΣΑΣ 북한 러시아\nBaca Juga: x\n\n  \n"},
		benchText{"t", "satu\n\ndua tiga empat lima enam tujuh delapan sembilan sepuluh sebelas dua belas"},
	)
	for i, tx := range texts {
		got, want := an.Analyze(tx.Title, tx.Body), referenceAnalyze(cfg, tx.Title, tx.Body)
		if !slices.Equal(got.Shingles, want.Shingles) || !slices.Equal(got.Signature, want.Signature) ||
			!slices.Equal(got.Lead, want.Lead) || got.Words != want.Words || !slices.Equal(got.Stripped, want.Stripped) {
			t.Fatalf("text %d (%q): Analyze differs from the reference:\n got %d shingles, %d words, stripped %q\nwant %d shingles, %d words, stripped %q",
				i, tx.Title, len(got.Shingles), got.Words, got.Stripped, len(want.Shingles), want.Words, want.Stripped)
		}
	}
	t.Logf("%d texts analysed identically", len(texts))
}

func TestSortHashes(t *testing.T) {
	for _, n := range []int{0, 1, 63, 64, 65, 500, 4096} {
		hs := make([]uint64, n)
		x := uint64(n)
		for i := range hs {
			x = mix64(x + 1)
			hs[i] = x
			if i%7 == 0 {
				hs[i] = x >> 40 // skewed values crowd the first bucket
			}
		}
		want := slices.Clone(hs)
		slices.Sort(want)
		sortHashes(hs)
		if !slices.Equal(hs, want) {
			t.Fatalf("n=%d: not sorted", n)
		}
	}
}
