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

// eventEntries are an English wire report and an Indonesian outlet's own
// report of one briefing, and a same-day report of another event.
var eventEntries = []struct{ src, url, title, text string }{
	{"wire", "https://wire.example/nis", "NIS says 3,000 North Korean troops now in Russia, 10,000 expected by December",
		"South Korea's National Intelligence Service (NIS) told lawmakers in Seoul on Wednesday that 3,000 North Korean soldiers had been sent to Russia's Vladivostok and that 10,000 would be deployed there by December, some of them to the Kursk region. Putin's government has not confirmed the deployment, and Pyongyang denies it."},
	{"duma", "https://duma.example/treaty", "Russia's State Duma ratifies treaty with North Korea",
		"Russia's State Duma voted on Wednesday to ratify the comprehensive strategic partnership treaty that Putin and Kim Jong Un signed in Pyongyang in June. Deputy Foreign Minister Andrei Rudenko told the deputies the pact includes a mutual defence clause. The Federation Council is expected to approve it next."},
	{"berita", "https://berita.example/nis", "NIS: 3.000 Tentara Korut Sudah di Rusia, 10 Ribu Dikirim hingga Desember",
		"Badan Intelijen Nasional (NIS) Korea Selatan mengatakan kepada anggota parlemen di Seoul pada Rabu bahwa 3.000 tentara Korea Utara telah dikirim ke Vladivostok, Rusia, dan 10.000 akan dikirim hingga Desember, sebagian ke wilayah Kursk. Pemerintah Putin belum membenarkan pengiriman itu."},
}

func TestEventsJoinAcrossLanguagesAndSurviveARestart(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2024, 10, 23, 9, 0, 0, 0, time.UTC)
	opts := aggregator.Options{Dedupe: dedupe.DefaultConfig(), Window: 720 * time.Hour, Seeds: seeds.Embedded(),
		Now: func() time.Time { return now }}
	p, err := aggregator.New(ctx, st, nil, opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	ingest := func(p *aggregator.Pipeline, i int) aggregator.Item {
		t.Helper()
		x := eventEntries[i]
		e := fetch.Entry{GUID: x.url, URL: x.url, CanonicalURL: x.url, Title: x.title, Text: x.text, Published: now.Add(time.Duration(i) * time.Hour)}
		items, err := p.Ingest(ctx, aggregator.Source{Name: x.src, URL: "https://" + x.src + ".example/feed"}, []fetch.Entry{e})
		if err != nil || len(items) != 1 || items[0].Decision.Verdict != aggregator.VerdictNew {
			t.Fatalf("ingest %s: %v %+v", x.src, err, items)
		}
		return items[0]
	}
	wire, treaty := ingest(p, 0), ingest(p, 1)

	// A restart rebuilds the event index from the store.
	p, err = aggregator.New(ctx, st, nil, opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	berita := ingest(p, 2)
	events := map[int64]string{}
	views, err := st.LatestStories(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range views {
		events[v.ID] = v.Event
	}
	wireKey := aggregator.StoryKey(wire.StoryID).String()
	if events[wire.StoryID] != wireKey || events[berita.StoryID] != wireKey {
		t.Errorf("the English and Indonesian reports are in events %q and %q, want both %q", events[wire.StoryID], events[berita.StoryID], wireKey)
	}
	if events[treaty.StoryID] != aggregator.StoryKey(treaty.StoryID).String() {
		t.Errorf("the same-day treaty report is in event %q, want its own", events[treaty.StoryID])
	}

	exps, err := p.Explain(ctx, "https://berita.example/nis")
	if err != nil || len(exps) != 1 || exps[0].Event == nil {
		t.Fatalf("explain: %v %+v", err, exps)
	}
	ev := exps[0].Event
	if !ev.Stored || ev.Decision.Started || ev.Decision.Score < ev.Decision.Threshold || ev.Decision.Best == nil ||
		ev.Decision.Best.With != wireKey || !strings.Contains(ev.Event, "NIS says") || len(ev.Decision.Best.Numbers) == 0 {
		t.Errorf("explained event %+v, decision %+v", ev, ev.Decision.Best)
	}
	exps, err = p.Explain(ctx, "https://duma.example/treaty")
	if err != nil || len(exps) != 1 || exps[0].Event == nil || !exps[0].Event.Decision.Started || !strings.HasPrefix(exps[0].Event.Event, "its own") {
		t.Errorf("explained treaty event: %v %+v", err, exps[0].Event)
	}
}
