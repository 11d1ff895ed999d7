package dedupe

import (
	"strings"
	"testing"
)

func TestKeywordWordBoundaries(t *testing.T) {
	groups, err := compileGroups(DefaultKeywordGroups())
	if err != nil {
		t.Fatal(err)
	}
	group := func(name string) compiledGroup {
		for _, g := range groups {
			if g.name == name {
				return g
			}
		}
		t.Fatalf("no group %q", name)
		return compiledGroup{}
	}
	korea, russia := group("korea"), group("russia")
	tests := []struct {
		text  string
		g     compiledGroup
		match bool
	}{
		{"Angin puting beliung merusak rumah warga", russia, false},
		{"Putin's visit", russia, true},
		{"kata Putin, yang", russia, true},
		{"Putins Besuch in Pjöngjang", russia, true},
		{"Rusia dan Korut", russia, true},
		{"Russland und Nordkorea", russia, true},
		{"die russische Armee", russia, true},
		{"Tổng thống Nga", russia, true},
		{"Trong ngày hôm nay", russia, false},
		{"Президент России", russia, true},
		{"러시아와 협력", russia, true},
		{"Prussian history", russia, false},
		{"Kim Jong-un arrived", korea, true},
		{"KIM JONG UN arrived", korea, true},
		{"Kim Jong-il arrived", korea, false},
		{"Korea Utara", korea, true},
		{"North Korea's leader", korea, true},
		{"South Korea, north of Seoul", korea, false},
		{"Nordkoreas Machthaber", korea, true},
		{"nordkoreanische Soldaten", korea, true},
		{"Triều Tiên phóng vệ tinh", korea, true},
		{"Северной Кореи", korea, true},
		{"북한의 미사일", korea, true},
		{"조선업 수주", korea, false},
		{"PYONGYANG, KOMPAS.TV", korea, true},
	}
	for _, tt := range tests {
		_, got := tt.g.firstMatch(Words(tt.text))
		if got != tt.match {
			t.Errorf("%s group on %q: match = %v, want %v", tt.g.name, tt.text, got, tt.match)
		}
	}
}

func TestNewTopicErrors(t *testing.T) {
	tests := []struct {
		name   string
		groups []KeywordGroup
		seeds  []SeedText
		min    float64
		want   string
	}{
		{"nothing to match", nil, nil, 0.3, "keyword groups or seeds"},
		{"unnamed group", []KeywordGroup{{Terms: []string{"x"}}}, nil, 0.3, "name is empty"},
		{"empty group", []KeywordGroup{{Name: "korea"}}, nil, 0.3, `"korea": no terms`},
		{"term without words", []KeywordGroup{{Name: "korea", Terms: []string{"—"}}}, nil, 0.3, `term "—" has no words`},
		{"similarity out of range", DefaultKeywordGroups(), nil, 0, "min_seed_similarity"},
	}
	for _, tt := range tests {
		_, err := NewTopic(tt.groups, tt.seeds, tt.min)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.want)
		}
	}
}

func TestTopicMatch(t *testing.T) {
	article := readTestdata(t, "article.txt")
	seeds := []SeedText{{Name: "010_choe.txt", Title: "Menlu Korut tiba di Moskow", Text: article}}
	topic, err := NewTopic(DefaultKeywordGroups(), seeds, DefaultMinSeedSimilarity)
	if err != nil {
		t.Fatal(err)
	}
	background := "Ukraine said on Tuesday that drones hit power stations near Lviv overnight. " +
		strings.Repeat("Officials in Kyiv said repairs to the grid would take several days and asked residents to save power. ", 12) +
		"Separately, Russia and North Korea signed a partnership treaty last year."
	tests := []struct {
		name, title, text string
		on                bool
		rule              string
	}{
		{"keywords in the headline and lead", "Putin meets Kim", "Russian President Vladimir Putin met North Korean leader Kim Jong-un in Pyongyang.",
			true, "keywords: korea=North Korean, russia=Russian"},
		{"one group missing", "Kim Jong Un inspects missile test", "North Korea fired a ballistic missile into the sea on Monday.",
			false, "no keyword group matched in title and lead: russia; seed similarity 0.10 < 0.30 (seed 010_choe.txt)"},
		{"both countries only as background", "Drones hit Lviv", background,
			false, "no keyword group matched in title and lead: korea, russia; seed similarity"},
		{"similar to a seed without the keywords", "Menlu Choe tiba", strings.NewReplacer("Korea Utara", "negeri itu", "Pyongyang", "ibu kota").Replace(
			strings.Join(paragraphs(article)[1:7], "\n")),
			true, "≥ 0.30 (seed 010_choe.txt)"},
	}
	for _, tt := range tests {
		res := topic.Match(tt.title, tt.text)
		if res.OnTopic != tt.on || !strings.Contains(res.Rule, tt.rule) {
			t.Errorf("%s: OnTopic %v rule %q; want %v and a rule containing %q", tt.name, res.OnTopic, res.Rule, tt.on, tt.rule)
		}
		if res.Seed != "010_choe.txt" {
			t.Errorf("%s: seed %q, want 010_choe.txt", tt.name, res.Seed)
		}
	}
}

// TestTopicLanguagesOutsideTheCorpus checks that the topic does not rest on
// the languages of the evaluation corpus: headlines in languages it lacks
// are on topic when they name both countries and off topic when they name
// one.
func TestTopicLanguagesOutsideTheCorpus(t *testing.T) {
	topic, err := NewTopic(DefaultKeywordGroups(), nil, DefaultMinSeedSimilarity)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		title string
		on    bool
	}{
		{"Poutine reçoit le ministre nord-coréen des Affaires étrangères à Moscou", true},
		{"La Corée du Nord tire un missile balistique en mer du Japon", false},
		{"Corea del Norte envía tropas a Rusia, según Seúl", true},
		{"Rusia lanza un ataque masivo contra Kiev", false},
		{"Tropas da Coreia do Norte combatem na região russa de Kursk; Rússia nega", true},
		{"Kuzey Kore lideri Kim, Rusya'yı ziyaret etti", true},
		{"Korea Północna wysłała żołnierzy do Rosji", true},
		{"プーチン大統領、北朝鮮を訪問へ", true},
		{"北朝鮮がミサイル発射", false},
		{"普京抵达平壤 与金正恩会谈", true},
		{"俄罗斯总统普京访问中国", false},
		{"بوتين يزور كوريا الشمالية", true},
		{"ปูตินเยือนเกาหลีเหนือ", true},
		{"Північна Корея передала Росії ракети", true},
	} {
		if got := topic.Match(tc.title, "").OnTopic; got != tc.on {
			t.Errorf("%q: on topic %v, want %v (%s)", tc.title, got, tc.on, topic.Match(tc.title, "").Rule)
		}
	}
}
