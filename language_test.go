package aggregator_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"aggregator"
	"aggregator/dedupe"
	"aggregator/fetch"
	"aggregator/seeds"
	"aggregator/store/sqlite"
)

// TestItemLanguage ingests entries with and without a declared language:
// a declared one is kept as it is, even over text in another language; an
// undeclared one is identified from the title and text when there is
// enough of it; a headline of a few words stays unknown. The stored item
// reads back with the same language.
func TestItemLanguage(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2024, 6, 19, 6, 0, 0, 0, time.UTC)
	p, err := aggregator.New(ctx, st, nil, aggregator.Options{Dedupe: dedupe.DefaultConfig(), Window: 720 * time.Hour,
		Seeds: seeds.Embedded(), Now: func() time.Time { return now }}, nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, declared, title, text, want string
	}{
		{"declared", "en", "Putin lands in Pyongyang",
			"Presiden Rusia Vladimir Putin tiba di Pyongyang pada Rabu dini hari untuk kunjungan kenegaraan pertamanya dalam 24 tahun.", "en"},
		{"english", "", "Putin lands in Pyongyang for first visit in 24 years",
			"Russian President Vladimir Putin arrived in Pyongyang early on Wednesday for talks with North Korean leader Kim Jong Un, the first visit in 24 years.", "en"},
		{"indonesian", "", "Putin tiba di Pyongyang",
			"Presiden Rusia Vladimir Putin tiba di Pyongyang pada Rabu dini hari untuk kunjungan kenegaraan pertamanya dalam 24 tahun dan bertemu pemimpin Korea Utara.", "id"},
		{"korean", "", "푸틴, 24년 만에 평양 도착",
			"블라디미르 푸틴 러시아 대통령이 19일 새벽 평양에 도착해 김정은 국무위원장과 정상회담을 할 예정이라고 조선중앙통신이 보도했다.", "ko"},
		{"russian", "", "Путин прибыл в Пхеньян",
			"Президент России Владимир Путин прибыл в Пхеньян с государственным визитом. Он проведёт переговоры с лидером КНДР, сообщили в Кремле во вторник вечером.", "ru"},
		{"japanese", "", "プーチン大統領が平壌に到着",
			"ロシアのプーチン大統領は十九日未明、二十四年ぶりに北朝鮮の平壌に到着し、金正恩総書記と首脳会談を行う予定だと伝えられた。", "ja"},
		{"too short", "", "Kim, Putin", "", ""},
		{"not reliable", "", "Putin lands in Pyongyang", "", ""},
	}
	for i, c := range cases {
		e := fetch.Entry{GUID: c.name, URL: "https://x.example/" + c.name, Title: c.title, Text: c.text,
			Published: now.Add(time.Duration(i) * time.Minute), Language: c.declared}
		e.CanonicalURL = fetch.CanonicalURL(e.URL)
		got, err := p.Ingest(ctx, aggregator.Source{Name: "x", URL: "https://x.example/feed"}, []fetch.Entry{e})
		if err != nil {
			t.Fatal(err)
		}
		if got[0].Language != c.want {
			t.Errorf("%s: language %q, want %q", c.name, got[0].Language, c.want)
		}
		stored, err := st.ItemsByURL(ctx, e.URL, e.CanonicalURL)
		if err != nil || len(stored) != 1 || stored[0].Language != c.want {
			t.Errorf("%s: stored %+v, %v; want one item in %q", c.name, stored, err, c.want)
		}
	}
}

func TestIdentifyLanguage(t *testing.T) {
	for text, want := range map[string]string{
		"":                 "",
		"Kim":              "",
		"12345 67890 1234": "",
		"The two leaders are expected to sign agreements on economic and security cooperation.": "en",
	} {
		if got := aggregator.IdentifyLanguage(text); got != want {
			t.Errorf("IdentifyLanguage(%q) = %q, want %q", text, got, want)
		}
	}
}
