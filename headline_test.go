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

// TestShortCopiesByHeadline replays a story's first report and later items
// with its headline: a headline-only item and a headline with one sentence
// from other sources within 3 days join the story; the same headline more
// than 3 days from any item with it, or over a long and clearly different
// text, does not; a headline-only item with a
// seed's headline is a copy of the seed.
func TestShortCopiesByHeadline(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	t0 := time.Date(2024, 6, 18, 6, 0, 0, 0, time.UTC)
	now := t0
	sd := seeds.Embedded()
	p, err := aggregator.New(ctx, st, nil, aggregator.Options{Dedupe: dedupe.DefaultConfig(), Window: 720 * time.Hour, Seeds: sd,
		Now: func() time.Time { return now }}, nil)
	if err != nil {
		t.Fatal(err)
	}
	const headline = "Putin accepts Kim Jong Un's invitation to visit North Korea"
	body := "Russian President Vladimir Putin has accepted an invitation from North Korean leader Kim Jong Un to visit Pyongyang, North Korea's state media KCNA said on Tuesday, a day before the expected trip.\n" +
		"The two leaders are expected to sign agreements on economic and security cooperation, the Kremlin said, without giving details of the programme of the visit or how long it would last.\n" +
		"It will be Putin's first visit to North Korea in 24 years; Kim travelled to Russia's Far East last September, where the two leaders met at the Vostochny cosmodrome."
	other := "Angin puting beliung menerjang tiga desa di Kabupaten Sidoarjo pada Senin sore dan merusak puluhan rumah warga serta sebuah sekolah dasar di sana.\n" +
		"Badan Penanggulangan Bencana Daerah mengatakan tidak ada korban jiwa, tetapi tujuh warga luka ringan tertimpa genteng dan ranting pohon yang tumbang."
	first, _, _ := strings.Cut(body, "\n")
	cases := []struct {
		name, src, title, text string
		after                  time.Duration
		want                   aggregator.Verdict
		rule                   string
	}{
		{"the first report", "reuters", headline, body, 0, aggregator.VerdictNew, ""},
		{"headline only", "google", headline + "!", "", 2 * time.Hour, aggregator.VerdictStoryCopy, "same headline as story 1"},
		{"headline and first sentence", "antara", headline, first, 50 * time.Hour, aggregator.VerdictStoryCopy, ""},
		{"long and clearly different", "detik", headline, other, time.Hour, aggregator.VerdictNew, ""},
		{"more than 3 days after any", "tass", headline, "", 200 * time.Hour, aggregator.VerdictNew, ""},
		{"a seed's headline", "bing", sd[0].Title, "", time.Hour, aggregator.VerdictSeedCopy, "same headline as seed " + sd[0].Name},
	}
	if len(dedupe.Words(sd[0].Title)) < 5 {
		t.Fatalf("seed %s: headline %q is too short for this test", sd[0].Name, sd[0].Title)
	}
	for i, c := range cases {
		now = t0.Add(c.after)
		e := fetch.Entry{GUID: c.name, URL: "https://" + c.src + ".example/" + strings.ReplaceAll(c.name, " ", "-"),
			Title: c.title, Text: c.text, Published: now}
		e.CanonicalURL = fetch.CanonicalURL(e.URL)
		got, err := p.Ingest(ctx, aggregator.Source{Name: c.src, URL: "https://" + c.src + ".example/feed"}, []fetch.Entry{e})
		if err != nil {
			t.Fatal(err)
		}
		d := got[0].Decision
		if d.Verdict != c.want || (c.rule != "" && d.TopicRule != c.rule) {
			t.Errorf("%d %s: verdict %s, rule %q (story %d); want %s, %q", i, c.name, d.Verdict, d.TopicRule, got[0].StoryID, c.want, c.rule)
		}
		if inStory := got[0].StoryID == 1; inStory != (c.want == aggregator.VerdictStoryCopy || i == 0) {
			t.Errorf("%d %s: story %d; in story 1: %v", i, c.name, got[0].StoryID, !inStory)
		}
	}
}
