package dedupe

import (
	"math"
)

// termVector is a sparse, unit-length vector of content-word weights.
type termVector map[string]float64

// contentVector returns the unit-length vector of the content words of text:
// canonical words of at least three characters that are neither numbers nor
// English or Indonesian stopwords, weighted 1+ln(count).
func contentVector(text string) termVector {
	counts := make(map[string]int)
	for _, w := range Words(text) {
		if isContentWord(w) {
			counts[w]++
		}
	}
	v := make(termVector, len(counts))
	var norm float64
	for w, c := range counts {
		x := 1 + math.Log(float64(c))
		v[w] = x
		norm += x * x
	}
	norm = math.Sqrt(norm)
	for w := range v {
		v[w] /= norm
	}
	return v
}

// IsContentWord reports whether a word (as Words gives it) says something
// about a text's subject: three characters or more, not only digits, not a
// frequent English or Indonesian function word.
func IsContentWord(w string) bool { return isContentWord(w) }

func isContentWord(w string) bool {
	n := 0
	digits := true
	for _, r := range w {
		n++
		if r < '0' || r > '9' {
			digits = false
		}
	}
	if n < 3 || digits {
		return false
	}
	_, stop := stopwords[w]
	return !stop
}

// stopwords are frequent English and Indonesian function words (and a few
// newsroom words) that say nothing about a text's subject.
var stopwords = setOf(
	// English
	"the", "and", "for", "that", "with", "was", "were", "are", "has", "have", "had", "not", "but",
	"his", "her", "its", "their", "they", "them", "this", "these", "those", "from", "into", "onto",
	"than", "then", "there", "here", "which", "who", "whom", "whose", "what", "when", "where", "why",
	"how", "will", "would", "could", "should", "can", "may", "might", "must", "been", "being", "also",
	"about", "after", "before", "over", "under", "more", "most", "such", "other", "some", "any", "all",
	"one", "two", "out", "off", "our", "your", "you", "she", "him", "did", "does", "said", "says",
	"say", "told", "according", "while", "during", "between", "against", "since", "last", "first",
	"new", "year", "years", "week", "month", "monday", "tuesday", "wednesday", "thursday", "friday",
	"saturday", "sunday", "just", "only", "very", "because", "through", "each", "both", "per", "via",
	// Indonesian
	"yang", "dan", "di", "ke", "dari", "ini", "itu", "dengan", "untuk", "pada", "dalam", "tidak",
	"akan", "juga", "atau", "ada", "oleh", "sebagai", "karena", "bahwa", "telah", "sudah", "bisa",
	"dapat", "para", "saat", "lebih", "kata", "ujar", "mengatakan", "menurut", "kepada", "tersebut",
	"serta", "namun", "tetapi", "hingga", "sejak", "masih", "belum", "harus", "agar", "seperti",
	"secara", "antara", "setelah", "sebelum", "tahun", "hari", "bulan", "minggu", "senin", "selasa",
	"rabu", "kamis", "jumat", "sabtu", "mereka", "kami", "kita", "saya", "dia", "ia", "nya", "pun",
	"lalu", "kini", "bagi", "sama", "satu", "dua", "tiga", "sebuah", "seorang", "banyak", "jika",
	"yakni", "yaitu", "adalah", "merupakan", "menjadi", "pihak", "lain", "baru", "hal", "terhadap",
	"sementara", "sedangkan", "dikatakan", "dilaporkan", "disampaikan", "menyebut", "menyatakan",
)

func setOf(ws ...string) map[string]struct{} {
	m := make(map[string]struct{}, len(ws))
	for _, w := range ws {
		m[w] = struct{}{}
	}
	return m
}
