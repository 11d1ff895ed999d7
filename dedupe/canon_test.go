package dedupe

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCanonicalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"  Hello,   World!  ", "hello world"},
		{"Kim Jong-un's visit", "kim jong un s visit"},
		{"“Putin,” he said — in Moscow…", "putin he said in moscow"},
		{"Korea Utara (Korut)\nRusia\t2024", "korea utara korut rusia 2024"},
		{"Северная Корея, КНДР!", "северная корея кндр"},
		{"북한의 김정은 위원장은", "북한의 김정은 위원장은"},
		{"Triều Tiên và Nga", "triều tiên và nga"},
		{"Nordkoreas Machthaber", "nordkoreas machthaber"},
		{"13/6/2024 pukul 20.00 WIB", "13 6 2024 pukul 20 00 wib"},
		{"#hashtag @user e-mail", "hashtag user e mail"},
		{"×  •  ©", ""},
		{"bad\xffutf8", "bad utf8"},
	}
	for _, tt := range tests {
		if got := Canonicalize(tt.in); got != tt.want {
			t.Errorf("Canonicalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWords(t *testing.T) {
	got := Words("Putin's (Путин) 푸틴은 — Kim-Jong-UN")
	want := []string{"putin", "s", "путин", "푸틴은", "kim", "jong", "un"}
	if !slices.Equal(got, want) {
		t.Errorf("Words = %q, want %q", got, want)
	}
}

func FuzzCanonicalize(f *testing.F) {
	for _, s := range []string{"", "Kim Jong-un's", "Северная Корея", "북한의 핵", "Baca Juga: x", "a\xffb", "İstanbul ǅ ß", "  \t\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := Canonicalize(s)
		if !utf8.ValidString(c) {
			t.Fatalf("invalid UTF-8 %q", c)
		}
		if strings.HasPrefix(c, " ") || strings.HasSuffix(c, " ") || strings.Contains(c, "  ") {
			t.Fatalf("bad spacing %q", c)
		}
		if again := Canonicalize(c); again != c {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, c, again)
		}
		if w := Words(s); strings.Join(w, " ") != c {
			t.Fatalf("Words and Canonicalize disagree: %q vs %q", w, c)
		}
	})
}
