package dedupe

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func readTestdata(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func paragraphs(s string) []string { return strings.Split(strings.TrimSpace(s), "\n") }

func newTestAnalyzer(t testing.TB) *Analyzer {
	t.Helper()
	a, err := NewAnalyzer(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestDecide(t *testing.T) {
	cfg := DefaultConfig()
	an := newTestAnalyzer(t)
	article := readTestdata(t, "article.txt")
	independent := readTestdata(t, "independent.txt")
	offtopic := readTestdata(t, "offtopic.txt")
	paras := paragraphs(article)

	const seedTitle = "Menlu Korea Utara Choe Son Hui tiba di Moskow"
	topic, err := NewTopic(DefaultKeywordGroups(), []SeedText{{Name: "010_choe.txt", Title: seedTitle, Text: article}}, cfg.MinSeedSimilarity)
	if err != nil {
		t.Fatal(err)
	}
	ix := NewIndex(cfg)
	ix.Add("seed:010_choe.txt", an.Analyze(seedTitle, article), time.Time{})

	// A copy scraped from another site: new headline, navigation, byline,
	// link teasers between paragraphs, share buttons and a footer.
	var scraped []string
	scraped = append(scraped, "Notification", "×", "Kategori Berita", "Cari Berita", "Iklan",
		"Korut dan Rusia Makin Mesra, Menlu Choe Datang Lagi ke Moskow",
		"Penulis : Rina Wulandari Editor : Budi Santoso")
	for i, p := range paras {
		scraped = append(scraped, p)
		if i == 3 {
			scraped = append(scraped, "Baca Juga: Harga Cabai Rawit Naik Jelang Lebaran")
		}
	}
	scraped = append(scraped, "Bagikan", "Salin tautan", "Copyright © 2024 Warta Kita. All rights reserved.")

	tests := []struct {
		name, title, body string
		want              Verdict
		wantKey           string
	}{
		{"seed copy with new headline and boilerplate", "Korut dan Rusia Makin Mesra, Menlu Choe Datang Lagi ke Moskow",
			strings.Join(scraped, "\n"), VerdictSeedCopy, "seed:010_choe.txt"},
		{"lead paragraph only", "Menlu Korut Choe Son Hui tiba di Moskow", paras[0], VerdictSeedCopy, "seed:010_choe.txt"},
		{"first half of the seed", seedTitle, strings.Join(paras[:5], "\n"), VerdictSeedCopy, "seed:010_choe.txt"},
		{"independent report of the same event", "Choe Son Hui kembali ke Moskow", independent, VerdictNew, ""},
		{"off topic", "Puting beliung rusak puluhan rumah di Bogor", offtopic, VerdictOffTopic, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := an.Analyze(tt.title, tt.body)
			d := mustDecide(t, cfg, ix, topic, doc, tt.title, tt.body)
			if d.Verdict != tt.want {
				t.Fatalf("verdict %q, want %q (match %+v, topic %q)", d.Verdict, tt.want, d.Match, d.Topic.Rule)
			}
			if tt.wantKey != "" && d.Match.Key != tt.wantKey {
				t.Errorf("match key %q, want %q", d.Match.Key, tt.wantKey)
			}
			if d.Topic.Rule == "" {
				t.Error("topic rule is empty; every decision must be explainable")
			}
		})
	}
}

func TestDecideStoryCopy(t *testing.T) {
	cfg := DefaultConfig()
	an := newTestAnalyzer(t)
	independent := readTestdata(t, "independent.txt")
	topic, err := NewTopic(DefaultKeywordGroups(), nil, cfg.MinSeedSimilarity)
	if err != nil {
		t.Fatal(err)
	}
	ix := NewIndex(cfg)
	ix.Add("seed:010_choe.txt", an.Analyze("", readTestdata(t, "article.txt")), time.Time{})
	ix.Add("story:42", an.Analyze("Choe Son Hui kembali ke Moskow", independent), time.Now())

	// Syndicated with a dateline prefix and the last paragraph cut.
	paras := paragraphs(independent)
	body := "MOSKOW, KOMPAS.TV - " + strings.Join(paras[:len(paras)-1], "\n")
	d := mustDecide(t, cfg, ix, topic, an.Analyze("Menlu Korut Lagi-lagi ke Moskow", body), "Menlu Korut Lagi-lagi ke Moskow", body)
	if d.Verdict != VerdictStoryCopy || d.Match.Key != "story:42" {
		t.Fatalf("got %q with %+v, want %q with story:42", d.Verdict, d.Match, VerdictStoryCopy)
	}
}

func TestDecideWithoutIndexOrTopic(t *testing.T) {
	cfg := DefaultConfig()
	an := newTestAnalyzer(t)
	text := readTestdata(t, "offtopic.txt")
	d := mustDecide(t, cfg, nil, nil, an.Analyze("", text), "", text)
	if d.Verdict != VerdictNew || d.Match.Key != "" {
		t.Errorf("got %q with match %q, want %q and no match", d.Verdict, d.Match.Key, VerdictNew)
	}
}

func TestIsNearDuplicate(t *testing.T) {
	cfg := DefaultConfig()
	tests := []struct {
		name string
		m    Match
		want bool
	}{
		{"no candidate", Match{}, false},
		{"resemblance passes", Match{Key: "k", Resemblance: 0.5, Containment: 0.6, Shorter: 5}, true},
		{"containment passes", Match{Key: "k", Resemblance: 0.1, Containment: 0.85, Shorter: 40}, true},
		{"containment of a tiny text does not count", Match{Key: "k", Resemblance: 0.1, Containment: 1, Shorter: MinContainmentShingles - 1}, false},
		{"both below", Match{Key: "k", Resemblance: 0.3, Containment: 0.5, Shorter: 300}, false},
	}
	for _, tt := range tests {
		if got := cfg.IsNearDuplicate(tt.m); got != tt.want {
			t.Errorf("%s: IsNearDuplicate(%+v) = %v, want %v", tt.name, tt.m, got, tt.want)
		}
	}
}
