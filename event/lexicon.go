package event

import "strings"

// concepts are the words of international news about the topic —
// diplomacy, war, arms, law, travel, gifts, messages — under one id in
// English, Indonesian and German, so that reports in different languages
// can be compared by what they are about (the concept cosine). A word
// ending in "*" matches as a prefix. The list is general news vocabulary,
// not the words of any one event.
var concepts = map[string][]string{
	"treaty":      {"treaty", "treaties", "pact", "perjanjian", "traktat", "pakta", "vertrag*", "abkommen*"},
	"agreement":   {"agreement*", "kesepakatan", "sepakat", "vereinbarung*"},
	"ratify":      {"ratif*", "ratifizier*"},
	"partnership": {"partnership*", "kemitraan", "partnerschaft*"},
	"alliance":    {"alliance*", "aliansi", "bündnis*", "allianz*"},
	"defence":     {"defence", "defense", "pertahanan", "verteidigung*"},
	"mutual":      {"mutual", "saling", "gegenseitig*"},
	"visit":       {"visit*", "kunjung*", "lawatan", "besuch*"},
	"summit":      {"summit*", "ktt", "gipfel*"},
	"talks":       {"talks", "pembicaraan", "perundingan", "gespräch*"},
	"meet":        {"meet", "meets", "meeting*", "met", "bertemu", "pertemuan", "treffen", "trafen", "traf"},
	"host":        {"hosts", "hosted", "welcome*", "greeted", "sambut*", "menyambut", "empfang*", "empfing*"},
	"arrive":      {"arrive*", "arrival", "tiba", "kedatangan", "mendarat", "landed", "ankunft", "eingetroffen"},
	"depart":      {"depart*", "leave", "leaves", "left", "berangkat", "meninggalkan", "tinggalkan"},
	"train":       {"train", "kereta", "zug"},
	"airport":     {"airport", "bandara", "flughafen"},
	"spaceport":   {"spaceport", "cosmodrome", "kosmodrom"},
	"satellite":   {"satellite*", "satelit", "satellit*"},
	"rocket":      {"rocket*", "roket", "rakete*"},
	"missile":     {"missile*", "rudal", "rakete*"},
	"ballistic":   {"ballistic", "balistik", "ballistisch*"},
	"weapon":      {"weapon*", "arms", "senjata", "waffe*"},
	"munition":    {"munition*", "ammunition", "amunisi", "shell", "shells", "peluru"},
	"drone":       {"drone*", "dron"},
	"fighter-jet": {"fighter", "jet", "jets", "pesawat", "tempur", "kampfjet*"},
	"factory":     {"factory", "plant", "pabrik", "fabrik*", "werk"},
	"bomber":      {"bomber*", "pengebom"},
	"warship":     {"warship*", "frigate*", "kapal", "schiff*"},
	"submarine":   {"submarine*", "selam", "u-boot*"},
	"nuclear":     {"nuclear", "nuklir", "atom*", "nuklear*"},
	"troops":      {"troop*", "soldier*", "tentara", "pasukan", "prajurit", "truppe*", "soldat*"},
	"deploy":      {"deploy*", "dispatch*", "sent", "send", "sending", "kirim*", "mengirim", "pengiriman", "entsend*"},
	"reinforce":   {"reinforcement*", "additional", "tambahan", "verstärkung*"},
	"casualties":  {"casualt*", "killed", "dead", "deaths", "tewas", "korban", "gefallen*", "getötet*"},
	"wounded":     {"wounded", "injured", "terluka", "luka", "verwundet*"},
	"captured":    {"captur*", "prisoner*", "pow", "pows", "tawanan", "ditangkap", "tangkap*", "gefangen*"},
	"interrogate": {"interrogat*", "interogasi", "verhör*"},
	"defect":      {"defect*", "asylum", "suaka", "membelot"},
	"retake":      {"retak*", "recaptur*", "liberat*", "merebut", "rebut", "befrei*", "zurückerober*"},
	"offensive":   {"offensive", "incursion", "serangan", "ofensif", "angriff*"},
	"battlefield": {"battlefield", "front", "frontline", "medan", "perang", "schlachtfeld*"},
	"intel":       {"intelligence", "spy", "intelijen", "geheimdienst*"},
	"briefing":    {"briefing", "briefed", "briefs", "lawmakers", "parliament*", "parlemen", "dpr", "abgeordnete*"},
	"sanctions":   {"sanction*", "sanksi", "embargo"},
	"violate":     {"violat*", "breach*", "melanggar", "pelanggaran", "verstoß*", "verletz*"},
	"resolution":  {"resolution*", "resolusi"},
	"condemn":     {"condemn*", "kecam*", "mengecam", "verurteil*"},
	"ambassador":  {"ambassador*", "envoy*", "dubes", "duta", "botschafter*"},
	"embassy":     {"embassy", "kedubes", "kedutaan", "botschaft"},
	"summon":      {"summon*", "panggil*", "memanggil", "einbestell*"},
	"protest":     {"protest*", "memprotes"},
	"foreign-min": {"menlu", "außenminister*"},
	"car":         {"car", "cars", "limousine*", "vehicle*", "mobil", "limosin", "auto", "autos", "wagen"},
	"drive":       {"drive", "drove", "driving", "nyetir", "mengemudi", "menyetir", "fahrt", "fuhr"},
	"gift":        {"gift*", "present", "presented", "hadiah", "menghadiahkan", "hadiahi", "geschenk*", "schenk*"},
	"dogs":        {"dog", "dogs", "anjing", "hund*"},
	"message":     {"message*", "telegram*", "letter", "pesan", "surat", "ucapan", "botschaft*", "glückwunsch*"},
	"birthday":    {"birthday", "ulang", "geburtstag*"},
	"new-year":    {"new-year", "year's", "tahun", "neujahr*"},
	"anniversary": {"anniversary", "peringatan", "jubiläum*", "jahrestag*"},
	"victory":     {"victory", "kemenangan", "sieg*"},
	"holiday":     {"holiday", "libur", "feiertag*"},
	"phone":       {"phone", "call", "telephone", "telepon", "menelepon", "telefon*"},
	"article":     {"article", "op-ed", "artikel", "tulisan", "newspaper", "koran"},
	"tourists":    {"touris*", "turis", "wisatawan", "wisata", "urlaub*"},
	"resort":      {"resort", "beach", "pantai", "strand*"},
	"workers":     {"worker*", "labor*", "labour*", "pekerja", "buruh", "arbeiter*"},
	"builders":    {"builder*", "construction", "konstruksi", "pembangunan", "bau*"},
	"deminers":    {"demin*", "mines", "ranjau", "minen*"},
	"families":    {"famil*", "keluarga", "familie*"},
	"technology":  {"technolog*", "teknologi", "technik*", "technologie*"},
	"cooperation": {"cooperat*", "kerja", "kerjasama", "zusammenarbeit*", "kooperation*"},
	"support":     {"support*", "dukung*", "dukungan", "unterstütz*"},
	"thank":       {"thank*", "gratitude", "terima", "kasih", "dank*"},
	"warn":        {"warn*", "peringat*", "memperingatkan", "warnt*"},
	"threat":      {"threat*", "ancam*", "ancaman", "drohung*", "bedroh*"},
	"confirm":     {"confirm*", "admit*", "acknowledg*", "mengakui", "konfirmasi", "membenarkan", "bestätig*"},
	"deny":        {"deny", "denies", "denied", "membantah", "bantah", "dement*", "bestreit*"},
	"evidence":    {"evidence", "proof", "bukti", "beweis*"},
	"debris":      {"debris", "fragment*", "puing", "serpihan", "trümmer*"},
	"election":    {"election*", "pemilu", "pilpres", "wahl*"},
	"military":    {"military", "militer", "militär*"},
	"bloc":        {"bloc", "blok", "block"},
	"north-south": {"peninsula", "semenanjung", "halbinsel"},
	"commentary":  {"analys*", "commentar*", "expert*", "pengamat", "analis", "experte*"},
	"tour":        {"tour", "tours", "toured", "inspect*", "meninjau", "mengunjungi", "besichtig*"},
	"wreath":      {"wreath", "karangan", "kranz"},
	"monument":    {"monument", "memorial", "tower", "menara", "denkmal*"},
	"church":      {"church", "gereja", "kirche"},
	"banquet":     {"banquet", "dinner", "feast", "jamuan", "bankett*"},
	"toast":       {"toast*", "bersulang", "trinkspruch*"},
	"date":        {"schedule*", "tanggal", "termin*"},
	"invitation":  {"invitation", "invite*", "undangan", "undang*", "einladung*", "eingeladen"},
	"ceasefire":   {"ceasefire", "truce", "gencatan", "waffenruhe"},
	"peace":       {"peace", "perdamaian", "damai", "frieden*"},
}

// conceptIndex maps exact words and prefixes to concept ids.
type conceptIndex struct {
	exact    map[string]string
	prefixes map[string][]prefixConcept // by the prefix's first four letters
}

type prefixConcept struct{ prefix, id string }

func buildConcepts() conceptIndex {
	ix := conceptIndex{exact: map[string]string{}, prefixes: map[string][]prefixConcept{}}
	for id, words := range concepts {
		for _, w := range words {
			if p, ok := strings.CutSuffix(w, "*"); ok {
				k := firstRunes(p, 4)
				ix.prefixes[k] = append(ix.prefixes[k], prefixConcept{p, id})
			} else {
				ix.exact[w] = id
			}
		}
	}
	return ix
}

var conceptWords = buildConcepts()

// concept returns the concept id of a lower-case word, "" when none.
func (ix conceptIndex) concept(w string) string {
	if id, ok := ix.exact[w]; ok {
		return id
	}
	best, id := 0, ""
	for _, p := range ix.prefixes[firstRunes(w, 4)] {
		if len(p.prefix) > best && strings.HasPrefix(w, p.prefix) {
			best, id = len(p.prefix), p.id
		}
	}
	return id
}

func firstRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}
