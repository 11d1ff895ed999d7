package event

import "strings"

// A name is a person, place or organisation known under one canonical id
// in every script the topic's keyword groups cover, so that an English and
// an Indonesian or a Russian report of one event share it. Topic names are
// the topic's own actors (every item names them) and are no evidence.
type name struct {
	id      string
	kind    nameKind
	aliases []string // lower case; several words are matched in sequence
}

// nameKind says how much a shared name counts.
type nameKind uint8

const (
	specific   nameKind = iota // counts in full
	topicName                  // the topic's own: no evidence
	background                 // named by so much of the topic's news that it counts a third
)

// names are the topic's main actors and places. Words outside this list
// still count as names when a text capitalises them inside a sentence;
// the list adds the spellings in other scripts and marks the topic's own.
var names = []name{
	{"putin", topicName, []string{"putin", "vladimir", "путин", "владимир", "푸틴", "プーチン", "普京", "poutine", "putins", "wladimir"}},
	{"kim-jong-un", topicName, []string{"kim jong un", "kim jong-un", "jong-un", "kim", "jong", "ким чен ын", "김정은", "金正恩"}},
	{"russia", topicName, []string{"russia", "russian", "russians", "rusia", "russland", "russische", "russischen", "nga", "россия", "россии", "러시아", "ロシア", "俄罗斯"}},
	{"north-korea", topicName, []string{"north korea", "north korean", "north koreans", "korea utara", "korut", "dprk", "nordkorea", "kndr", "кндр", "북한", "北朝鮮", "朝鲜", "triều tiên", "n. korea", "n. korean", "korea", "korean", "koreans", "north"}},
	{"pyongyang", topicName, []string{"pyongyang", "pjöngjang", "пхеньян", "평양", "平壌", "bình nhưỡng"}},
	{"moscow", topicName, []string{"moscow", "moskow", "moskau", "moskva", "москва", "москве", "모스크바", "モスクワ"}},
	{"kremlin", topicName, []string{"kremlin", "kreml", "кремль", "크렘린"}},
	{"kcna", topicName, []string{"kcna", "kcna's", "조선중앙통신"}},
	{"lavrov", specific, []string{"lavrov", "lawrow", "лавров", "라브로프", "ラブロフ"}},
	{"choe-son-hui", specific, []string{"choe son hui", "choe sun hui", "choe", "чвэ сон хи", "최선희", "崔善姫"}},
	{"shoigu", specific, []string{"shoigu", "schoigu", "шойгу", "쇼이구", "ショイグ"}},
	{"vostochny", specific, []string{"vostochny", "wostotschny", "восточный", "보스토치니", "ボストーチヌイ"}},
	{"kursk", specific, []string{"kursk", "курск", "курской", "쿠르스크", "クルスク"}},
	{"wonsan", specific, []string{"wonsan", "вонсан", "원산", "元山"}},
	{"vladivostok", specific, []string{"vladivostok", "wladiwostok", "владивосток", "블라디보스토크"}},
	{"zelensky", specific, []string{"zelensky", "zelenskiy", "zelenskyy", "selenskyj", "зеленский", "젤렌스키"}},
	{"duma", specific, []string{"duma", "дума", "두마"}},
	{"aurus", specific, []string{"aurus", "аурус", "아우루스"}},
	{"nis", specific, []string{"nis", "국정원", "국가정보원"}},
	{"yoon-suk-yeol", specific, []string{"yoon suk yeol", "yoon", "윤석열"}},
	{"trump", specific, []string{"trump", "трамп", "트럼프"}},
	{"south-korea", background, []string{"south korea", "south korean", "south koreans", "korea selatan", "korsel", "seoul", "südkorea", "hàn quốc", "южная корея", "한국", "韓国"}},
	{"united-states", background, []string{"united states", "amerika serikat", "as", "us", "u.s.", "america", "american", "amerika", "washington", "usa", "сша", "미국"}},
	{"united-nations", background, []string{"united nations", "un security council", "security council", "dewan keamanan pbb", "dewan keamanan", "pbb", "un", "uno", "оон", "유엔"}},
	{"ukraine", background, []string{"ukraine", "ukrainian", "ukrainians", "ukraina", "kyiv", "kiev", "україна", "украина", "우크라이나"}},
	{"china", background, []string{"china", "chinese", "beijing", "tiongkok", "cina", "китай", "중국", "中国"}},
	{"japan", background, []string{"japan", "japanese", "jepang", "tokyo", "япония", "일본"}},
	{"soviet-union", background, []string{"soviet union", "uni soviet", "soviet", "ussr", "sowjetunion"}},
	{"europe", background, []string{"europe", "european union", "uni eropa", "eropa", "eu"}},
	{"foreign-ministry", background, []string{"foreign ministry", "kementerian luar negeri", "kemlu", "luar negeri", "menteri luar negeri", "menlu", "foreign minister"}},
	{"defence-ministry", background, []string{"defence ministry", "defense ministry", "kementerian pertahanan", "menteri pertahanan", "pertahanan"}},
}

// aliasIndex maps the first word of every alias to the names it may start.
type aliasIndex map[string][]alias

type alias struct {
	words []string
	id    string
	kind  nameKind
}

func buildAliases() aliasIndex {
	ix := aliasIndex{}
	for _, n := range names {
		for _, a := range n.aliases {
			ws := strings.Fields(a)
			ix[ws[0]] = append(ix[ws[0]], alias{words: ws, id: n.id, kind: n.kind})
		}
	}
	return ix
}

var aliases = buildAliases()

// match returns the name that words[i:] starts with (the longest), the
// number of words it spans, and its kind.
func (ix aliasIndex) match(words []string, i int) (id string, n int, kind nameKind) {
	for _, a := range ix[words[i]] {
		if i+len(a.words) > len(words) || len(a.words) <= n {
			continue
		}
		ok := true
		for j, w := range a.words {
			if words[i+j] != w {
				ok = false
				break
			}
		}
		if ok {
			id, n, kind = a.id, len(a.words), a.kind
		}
	}
	return id, n, kind
}

// notNames are capitalised words that name no one: the first words of
// titles and of common phrases, months and days (dates are read apart).
var notNames = setOf(`the a an in on at of and but for to with as by from this that it he she they we i his her their its
president presiden minister menteri foreign state said says mr ms dr sen gen general chairman leader pemimpin
monday tuesday wednesday thursday friday saturday sunday senin selasa rabu kamis jumat sabtu minggu
january february march april may june july august september october november december
januari februari maret mei juni juli agustus oktober desember jan feb mar apr jun jul aug sep sept oct nov dec
di dan yang ini itu pada untuk dengan dari ke oleh juga tersebut ia kata menurut namun sementara selain dalam
after before when while if there here what who how why where also however but so not no yes our your my
according news agency reuters ap afp yonhap antara press associated media kantor berita`)

func setOf(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}
