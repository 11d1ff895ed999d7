package dedupe

import (
	"slices"
	"strings"
	"testing"
)

func TestStripBoilerplate(t *testing.T) {
	// Lines in the style of the seed articles and scraped news pages.
	boiler := []string{
		"Notification",
		"×",
		"Kategori Berita",
		"Cari Berita",
		"Iklan",
		"ADVERTISEMENT",
		"Advertisement",
		"Baca Juga: Putin Bakal Kunjungi Korea Utara dan Vietnam, Apa Agendanya?",
		"Baca juga Zelenskyy Berencana Pecat Panglima",
		"Read more: Kim and Putin sign pact",
		"Also read: What the treaty says",
		"Penulis : Haryo Jati Editor : Deni-Muliya",
		"Sumber: Reuters | Editor: Barratut Taqiyyah Rafie",
		"Sumber : Channel News Asia",
		"Editor: Jane Doe",
		"Reporter: Kim Min-ji",
		"By Hyung-jin Kim and Jim Heintz",
		"Associated Press contributed to this report.",
		"Anders Hagstrom dan Elizabeth Pritchett berkontribusi pada laporan ini.",
		"Associated Press berkontribusi pada pemberitaan tersebut.",
		"Additional reporting by Jake Kwon and Hosu Lee",
		"Foto: Reuters/Kim Hong-Ji",
		"Photo: AP",
		"Share",
		"Tweet",
		"Bagikan",
		"Salin tautan",
		"Copyright © 2024 Kompas.com. All rights reserved.",
		"© 2024 The Hill",
		"Scroll to continue with content",
		"Untuk berita terkini, cuaca, olahraga, dan video streaming, kunjungi The Hill.",
		"Januari 21, 2024 Last Updated 2024-01-21T07:24:44Z",
		"KOREA SELATAN MENGUNGKAPKAN ‘KEPRIHATINAN DALAM’ MENGIKUTI PERTEMUAN PUTIN, KIM JONG UN DI RUSIA",
		"[img.2]",
		"sooyeon@yna.co.kr(END)",
		"Lesen Sie auch Ex-Teamchef Steiner",
	}
	text := []string{
		"Diundang Kim Jong-un, Putin Akan Berkunjung ke Korea Utara",
		"SEOUL (AP) — North Korea said Sunday that Russian President Vladimir Putin may visit soon.",
		"Kremlin belum mengonfirmasi perkembangan tersebut, lapor Reuters.",
		"By the end of 2018, around 80% of the resort had been completed.",
		"Foto yang dirilis media pemerintah memperlihatkan kedua pemimpin.",
		"Kunjungan Pertama dalam 20 Tahun",
		"Putin tiba.",
		"Sumber-sumber diplomatik menyebut pertemuan itu tertutup.",
	}
	var lines []string
	for i := range max(len(boiler), len(text)) {
		if i < len(boiler) {
			lines = append(lines, boiler[i], "")
		}
		if i < len(text) {
			lines = append(lines, "  "+text[i]+"  ")
		}
	}
	kept, stripped := StripBoilerplate(strings.Join(lines, "\n"))
	if !slices.Equal(kept, text) {
		t.Errorf("kept:\n%s\nwant:\n%s", strings.Join(kept, "\n"), strings.Join(text, "\n"))
	}
	if !slices.Equal(stripped, boiler) {
		for _, b := range boiler {
			if !slices.Contains(stripped, b) {
				t.Errorf("not stripped: %q", b)
			}
		}
	}
}

func TestStripBoilerplateShortLineRuleNeedsSeveralLines(t *testing.T) {
	// A one-line body is the whole text, however short.
	kept, stripped := StripBoilerplate("Putin visits Pyongyang\n\n")
	if len(kept) != 1 || len(stripped) != 0 {
		t.Errorf("kept %q, stripped %q; want the single line kept", kept, stripped)
	}
}

func TestAnalyzeRecordsStripped(t *testing.T) {
	an := newTestAnalyzer(t)
	body := "Iklan\nPyongyang dan Moskow semakin meningkatkan hubungan diplomatik dan keamanan dalam beberapa bulan terakhir.\nBaca Juga: Harga emas naik"
	doc := an.Analyze("Judul", body)
	if want := []string{"Iklan", "Baca Juga: Harga emas naik"}; !slices.Equal(doc.Stripped, want) {
		t.Errorf("Stripped = %q, want %q", doc.Stripped, want)
	}
	clean := an.Analyze("Judul", "Pyongyang dan Moskow semakin meningkatkan hubungan diplomatik dan keamanan dalam beberapa bulan terakhir.")
	if !slices.Equal(doc.Shingles, clean.Shingles) {
		t.Error("boilerplate lines changed the shingles")
	}
}
