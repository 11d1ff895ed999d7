package dedupe

import (
	"fmt"
	"strings"
	"unicode"
)

// KeywordGroup is a set of alternative terms; an item matches the group when
// any one term occurs in it.
//
// Terms match whole words, case-insensitively, and punctuation, hyphens and
// whitespace between words do not matter: "Kim Jong Un" matches
// "Kim Jong-un", and "Putin" matches "Putin's" and "Putin," but not
// "puting". A word ending in "*" matches as a prefix ("Nordkorea*" matches
// "Nordkoreas" and "nordkoreanische"), and a word in Hangul always matches as
// a prefix, because Korean attaches particles to nouns (북한 matches 북한의).
// A word in a script written without spaces between words (Han, Hiragana,
// Katakana, Thai) or one that attaches prefixes to nouns (Arabic) matches
// anywhere inside a word: "北朝鮮とロシア" is one word to the tokenizer and
// matches both 北朝鮮 and ロシア, and "وروسيا" ("and Russia") matches روسيا.
type KeywordGroup struct {
	Name  string
	Terms []string
}

// DefaultKeywordGroups returns the groups that define the topic, North
// Korea–Russia relations: an item must name both countries (or their
// capitals, leaders or foreign ministers). The terms are names, not words
// of any one corpus: English, Indonesian, German, Vietnamese, Russian,
// Korean, French, Spanish, Portuguese, Italian, Turkish, Polish, Ukrainian,
// Japanese, Chinese, Arabic, Thai and Hindi spellings.
func DefaultKeywordGroups() []KeywordGroup {
	return []KeywordGroup{
		{Name: "korea", Terms: []string{
			"North Korea", "North Korean", "North Koreans", "N. Korea", "N. Korean", "DPRK", "Pyongyang",
			"Kim Jong Un", "Choe Son Hui", "Choe Sun Hui",
			"Korea Utara", "Korut",
			"Nordkorea*", "Pjöngjang",
			"Triều Tiên", "Bình Nhưỡng",
			"КНДР", "Северн* Коре*", "Пхеньян*", "Ким Чен Ын*",
			"북한", "조선민주주의인민공화국", "조선중앙통신", "평양", "김정은",
			// French, Spanish, Portuguese, Italian, Turkish, Polish, Ukrainian.
			"Corée du Nord", "nord-coréen*", "Corea del Norte", "norcorean*", "Coreia do Norte",
			"norte-corean*", "Corea del Nord", "nordcorean*", "Kuzey Kore", "Korea Północna",
			"Korei Północnej", "KRLD", "Північн* Коре*",
			// Japanese, Chinese, Arabic, Thai, Hindi.
			"北朝鮮", "朝鲜", "朝鮮", "北韩", "北韓", "平壌", "平壤", "金正恩",
			"كوريا الشمالية", "بيونغ يانغ", "เกาหลีเหนือ", "उत्तर कोरिया",
		}},
		{Name: "russia", Terms: []string{
			"Russia", "Russian", "Russians", "Putin", "Moscow", "Kremlin", "Lavrov", "Shoigu",
			"Rusia", "Moskow",
			"Russland*", "russisch*", "Putins", "Moskau*", "Kreml*", "Lawrow",
			"Nga", "Moskva",
			"Росси*", "Путин*", "Москв*", "Кремл*", "Лавров*",
			"러시아", "푸틴", "모스크바", "크렘린",
			"Russie", "Moscou", "Poutine", "Moscú", "Rússia", "Rusya", "Moskova", "Rosja", "Rosji",
			"rosyjsk*", "Moskwa", "Moskwie", "Росі*", "Путін*",
			"ロシア", "プーチン", "モスクワ", "俄罗斯", "俄羅斯", "普京", "莫斯科", "克里姆林",
			"روسيا", "بوتين", "موسكو", "รัสเซีย", "ปูติน", "रूस*", "पुतिन",
		}},
	}
}

// term is one compiled keyword: its canonical words, each either exact or a
// prefix.
type term struct {
	text   string
	words  []string
	prefix []bool
	infix  []bool
}

type compiledGroup struct {
	name  string
	terms []term
}

func compileGroups(groups []KeywordGroup) ([]compiledGroup, error) {
	out := make([]compiledGroup, 0, len(groups))
	for i, g := range groups {
		if strings.TrimSpace(g.Name) == "" {
			return nil, fmt.Errorf("dedupe: keyword group %d: name is empty", i)
		}
		if len(g.Terms) == 0 {
			return nil, fmt.Errorf("dedupe: keyword group %q: no terms", g.Name)
		}
		cg := compiledGroup{name: g.Name}
		for _, t := range g.Terms {
			ct, err := compileTerm(t)
			if err != nil {
				return nil, fmt.Errorf("dedupe: keyword group %q: %w", g.Name, err)
			}
			cg.terms = append(cg.terms, ct)
		}
		out = append(out, cg)
	}
	return out, nil
}

func compileTerm(t string) (term, error) {
	ct := term{text: strings.TrimSpace(t)}
	for _, f := range strings.Fields(t) {
		star := strings.HasSuffix(f, "*")
		ws := Words(strings.TrimSuffix(f, "*"))
		for i, w := range ws {
			ct.words = append(ct.words, w)
			last := i == len(ws)-1
			ct.prefix = append(ct.prefix, last && star || isHangul(w))
			ct.infix = append(ct.infix, isUnspaced(w))
		}
	}
	if len(ct.words) == 0 {
		return term{}, fmt.Errorf("term %q has no words", t)
	}
	return ct, nil
}

// isHangul reports whether w starts with a Hangul syllable or letter.
func isHangul(w string) bool {
	for _, r := range w {
		return unicode.Is(unicode.Hangul, r)
	}
	return false
}

// isUnspaced reports whether w starts with a letter of a script whose words
// are not separated by spaces, or that attaches particles in front of
// nouns: Han, Hiragana, Katakana, Thai, Arabic.
func isUnspaced(w string) bool {
	for _, r := range w {
		return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai, unicode.Arabic)
	}
	return false
}

// matchAt reports whether t occurs in words starting at position i.
func (t term) matchAt(words []string, i int) bool {
	if i+len(t.words) > len(words) {
		return false
	}
	for j, w := range t.words {
		got := words[i+j]
		if t.infix[j] {
			if !strings.Contains(got, w) {
				return false
			}
		} else if t.prefix[j] {
			if !strings.HasPrefix(got, w) {
				return false
			}
		} else if got != w {
			return false
		}
	}
	return true
}

// firstMatch returns the first term of g found in words, in the order the
// terms are listed, and whether there was one.
func (g compiledGroup) firstMatch(words []string) (string, bool) {
	return g.firstMatchIn(words, nil)
}

// wordSet is what rules terms out before words are searched for them: the
// set of the words, and the words joined by spaces.
type wordSet struct {
	have   map[string]bool
	joined string
}

func newWordSet(words []string) *wordSet {
	ws := &wordSet{have: make(map[string]bool, len(words)), joined: strings.Join(words, " ")}
	for _, w := range words {
		ws.have[w] = true
	}
	return ws
}

// excludes reports whether t cannot occur in the words: its first word
// must be one of them, or, when it may be a prefix or a part of one, at
// least occur in their concatenation.
func (ws *wordSet) excludes(t term) bool {
	if t.prefix[0] || t.infix[0] {
		return !strings.Contains(ws.joined, t.words[0])
	}
	return !ws.have[t.words[0]]
}

// firstMatchIn is firstMatch with the terms that ws, when not nil (the set
// of words), rules out skipped.
func (g compiledGroup) firstMatchIn(words []string, ws *wordSet) (string, bool) {
	for _, t := range g.terms {
		if ws != nil && ws.excludes(t) {
			continue
		}
		for i := range words {
			if t.matchAt(words, i) {
				return t.text, true
			}
		}
	}
	return "", false
}
