package event

import (
	"reflect"
	"testing"
	"time"
)

func TestExtractNamesAcrossScripts(t *testing.T) {
	f := Extract(Doc{Title: "Лавров встретился с Чвэ Сон Хи", Text: "Путин и Ким Чен Ын. Министр Лавров прибыл в Вонсан."}, nil)
	want := map[string]float64{"lavrov": 1, "choe-son-hui": 1, "wonsan": 1}
	for n := range f.Names {
		if want[n] == 0 {
			t.Errorf("unexpected name %q (the topic's own actors are no evidence)", n)
		}
	}
	for n := range want {
		if _, ok := f.Names[n]; !ok {
			t.Errorf("name %q not found in %v", n, f.Names)
		}
	}
	en := Extract(Doc{Text: "The talks were held in Pyongyang. Russian Foreign Minister Sergei Lavrov met Choe Son Hui in Wonsan."}, nil)
	if _, ok := en.Names["lavrov"]; !ok {
		t.Errorf("English names %v lack lavrov", en.Names)
	}
	if _, ok := en.Names["sergei"]; ok {
		t.Errorf("the first name beside a known name counted apart: %v", en.Names)
	}
}

func TestExtractNumbersAndDates(t *testing.T) {
	f := Extract(Doc{Text: "Korut mengirim 1.500 tentara, lalu 10 ribu lagi, pada 18-19 Juni 2024. Sebanyak 12 orang."}, nil)
	g := Extract(Doc{Text: "North Korea sent 1,500 troops and 10,000 more on June 19, 2024."}, nil)
	if !reflect.DeepEqual(f.Numbers, map[string]bool{"1500": true, "10000": true}) {
		t.Errorf("Indonesian numbers %v", f.Numbers)
	}
	if !reflect.DeepEqual(g.Numbers, map[string]bool{"1500": true, "10000": true}) {
		t.Errorf("English numbers %v (a year is no number)", g.Numbers)
	}
	if !f.Dates["06-18"] || !f.Dates["06-19"] || !g.Dates["06-19"] || len(g.Dates) != 1 {
		t.Errorf("dates %v and %v", f.Dates, g.Dates)
	}
}

// Two reports of one statement, in English and Indonesian, on one day join
// one event; a report of another event on the same day stays apart.
func TestDecideAcrossLanguagesAndApartOnOneDay(t *testing.T) {
	day := time.Date(2024, 10, 23, 8, 0, 0, 0, time.UTC)
	ix := NewIndex(DefaultOptions())
	en := ix.Extract(Doc{Lang: "en", Published: day,
		Title: "NIS says 3,000 North Korean troops now in Russia, 10,000 expected by December",
		Text:  "South Korea's National Intelligence Service (NIS) told lawmakers on Wednesday that 3,000 North Korean soldiers had been sent to Vladivostok and that 10,000 would be deployed by December, including to Kursk."})
	ix.Add("story:1", "story:1", en, day)
	treaty := ix.Extract(Doc{Lang: "en", Published: day.Add(2 * time.Hour),
		Title: "State Duma ratifies treaty with DPRK",
		Text:  "The State Duma voted on Thursday to ratify the comprehensive strategic partnership treaty signed by Putin and Kim in June, Deputy Foreign Minister Andrei Rudenko told lawmakers."})
	if d := ix.Decide(treaty); !d.Started {
		t.Fatalf("the treaty report joined the troops event: %+v %+v", d, d.Best)
	}
	ix.Add("story:2", "story:2", treaty, day.Add(2*time.Hour))
	id := ix.Extract(Doc{Lang: "id", Published: day.Add(5 * time.Hour),
		Title: "NIS: 3.000 Tentara Korut Sudah di Rusia, 10 Ribu Dikirim hingga Desember",
		Text:  "Badan Intelijen Nasional (NIS) Korea Selatan mengatakan kepada anggota parlemen bahwa 3.000 tentara Korut telah dikirim ke Vladivostok dan 10.000 akan dikirim hingga Desember, termasuk ke Kursk."})
	d := ix.Decide(id)
	if d.Event != "story:1" || d.Best == nil {
		t.Fatalf("the Indonesian report did not join the English one's event: %+v %+v", d, d.Best)
	}
	if d.Score < d.Threshold || len(d.Best.Numbers) == 0 || d.Best.Cosine != 0 {
		t.Errorf("evidence %+v: want the shared numbers and no same-language cosine", d.Best)
	}
}

// A story far outside an event's span starts its own, however alike.
func TestDecideSpan(t *testing.T) {
	ix := NewIndex(DefaultOptions())
	doc := Doc{Lang: "en", Title: "Lavrov meets Choe Son Hui in Wonsan", Text: "Lavrov and Choe Son Hui met in Wonsan on 12 July; 3,000 guests."}
	at := time.Date(2025, 7, 12, 0, 0, 0, 0, time.UTC)
	doc.Published = at
	ix.Add("story:1", "story:1", ix.Extract(doc), at)
	doc.Published = at.Add(60 * 24 * time.Hour)
	if d := ix.Decide(ix.Extract(doc)); !d.Started {
		t.Errorf("a story two months later joined: %+v", d)
	}
	doc.Published = at.Add(6 * time.Hour)
	if d := ix.Decide(ix.Extract(doc)); d.Started {
		t.Errorf("the same report hours later started its own event: %+v %+v", d, d.Best)
	}
	ix.Prune(at.Add(40 * 24 * time.Hour))
	if ix.Len() != 0 {
		t.Errorf("Prune kept %d events", ix.Len())
	}
}
