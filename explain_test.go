package aggregator_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"aggregator"
	"aggregator/dedupe"
	"aggregator/fetch"
	"aggregator/seeds"
	"aggregator/store/sqlite"
)

// TestExplainCarriesTheWholeDecision checks that an explanation names the
// verdict, the best-matching seed or item with its scores and the
// thresholds, the topic rule, and the boilerplate lines stripped.
func TestExplainCarriesTheWholeDecision(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	sd := seeds.Embedded()
	p, err := aggregator.New(ctx, st, nil, aggregator.Options{Dedupe: dedupe.DefaultConfig(), Window: 720 * time.Hour, Seeds: sd,
		Now: func() time.Time { return now }}, nil)
	if err != nil {
		t.Fatal(err)
	}
	off := "Angin puting beliung menerjang tiga desa di Kabupaten Sidoarjo pada Senin sore dan merusak puluhan rumah warga serta sebuah sekolah dasar.\n" +
		"Badan Penanggulangan Bencana Daerah mengatakan tidak ada korban jiwa, tetapi tujuh warga luka ringan tertimpa genteng dan ranting pohon.\n" +
		"Petugas bersama warga membersihkan puing sejak Selasa pagi dan membagikan terpal kepada keluarga yang atap rumahnya rusak."
	seedBody := fetch.NormalizeText(sd[0].Text)
	entries := []struct {
		src  string
		e    fetch.Entry
		want string
	}{
		{"a", fetch.Entry{GUID: "1", URL: "https://a.example/1", Title: "Puting beliung di Sidoarjo", Text: off, Published: now}, ""},
		{"b", fetch.Entry{GUID: "2", URL: "https://b.example/2", Title: "Rumah rusak diterjang angin", Text: "Baca Juga: Berita lain hari ini\n" + off + "\nShare", Published: now}, "item 1"},
		{"c", fetch.Entry{GUID: "3", URL: "https://c.example/3", Title: "Judul baru", Text: seedBody, Published: now}, "seed " + sd[0].Name},
	}
	for _, x := range entries {
		x.e.CanonicalURL = fetch.CanonicalURL(x.e.URL)
		if _, err := p.Ingest(ctx, aggregator.Source{Name: x.src, URL: "https://" + x.src + ".example/feed"}, []fetch.Entry{x.e}); err != nil {
			t.Fatal(err)
		}
	}
	exps, err := p.Explain(ctx, "https://b.example/2")
	if err != nil || len(exps) != 1 {
		t.Fatalf("explain: %v, %d explanations", err, len(exps))
	}
	e := exps[0]
	d := e.Item.Decision
	if d.Verdict != aggregator.VerdictStoryCopy || !strings.HasPrefix(e.Matched, "item 1 ") || e.MatchURL != "https://a.example/1" {
		t.Errorf("copy of an off-topic item: verdict %s, matched %q (%s)", d.Verdict, e.Matched, e.MatchURL)
	}
	if d.Containment < e.MinContainment || e.MinContainment == 0 || e.MinResemblance == 0 {
		t.Errorf("scores %.2f/%.2f, thresholds %.2f/%.2f", d.Resemblance, d.Containment, e.MinResemblance, e.MinContainment)
	}
	if !strings.Contains(d.TopicRule, "no keyword group matched") {
		t.Errorf("topic rule %q does not say why the item is off topic", d.TopicRule)
	}
	if len(d.Stripped) != 2 || !strings.HasPrefix(d.Stripped[0], "Baca Juga") || d.Stripped[1] != "Share" {
		t.Errorf("stripped %q, want the teaser and the share button", d.Stripped)
	}
	exps, err = p.Explain(ctx, "https://c.example/3")
	if err != nil || len(exps) != 1 {
		t.Fatalf("explain: %v, %d explanations", err, len(exps))
	}
	if e := exps[0]; e.Item.Decision.Verdict != aggregator.VerdictSeedCopy || !strings.HasPrefix(e.Matched, entries[2].want) ||
		!strings.HasPrefix(e.Item.Decision.TopicRule, "keywords:") {
		t.Errorf("seed copy: verdict %s, matched %q, topic %q", e.Item.Decision.Verdict, e.Matched, e.Item.Decision.TopicRule)
	}
}
