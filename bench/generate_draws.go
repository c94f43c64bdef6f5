package bench

import (
	"encoding/json"
	"math"
	"strings"
)

// The random draws of the generator and the mixes they follow (the demo's
// distributions: régions, segments, sources, statuses by age).
// regionWeights spreads partners and leads like the demo (the French solar
// market, roughly).
var regionWeights = map[string]int{
	"ARA": 14, "BFC": 5, "BRE": 9, "CVL": 4, "COR": 1, "GES": 7, "HDF": 6, "IDF": 6, "NOR": 5,
	"NAQ": 13, "OCC": 13, "PDL": 7, "PAC": 10, "GP": 1, "MQ": 1, "GF": 1, "RE": 2, "YT": 1,
}

// segmentMix is the demo's segment distribution (percent) and value range.
var segmentMix = []struct {
	seg      string
	pct      int
	min, max float64
}{
	{"residential", 58, 7000, 25000}, {"farm", 12, 30000, 120000}, {"business", 14, 20000, 90000},
	{"industry", 5, 80000, 400000}, {"public", 5, 40000, 200000}, {"collective", 6, 50000, 150000},
}

var sourceMix = []struct {
	src string
	pct int
}{{"web", 35}, {"phone", 30}, {"campaign", 15}, {"import", 10}, {"api", 10}}

type weightedStatus struct {
	st  string
	pct int
}

// statusByAge is the demo's status distribution by lead age.
func statusByAge(age int) []weightedStatus {
	switch {
	case age < 7:
		return []weightedStatus{{"new", 30}, {"qualifying", 25}, {"ready", 20}, {"offered", 25}}
	case age < 30:
		return []weightedStatus{{"qualifying", 5}, {"ready", 5}, {"offered", 10}, {"accepted", 20}, {"contacted", 25}, {"meeting", 20}, {"lost", 10}, {"recycled", 5}}
	default:
		return []weightedStatus{{"accepted", 3}, {"contacted", 7}, {"meeting", 10}, {"won", 35}, {"lost", 40}, {"recycled", 5}}
	}
}

var withPartner = map[string]bool{"offered": true, "accepted": true, "contacted": true, "meeting": true, "won": true, "lost": true}

var interests = map[string][]string{
	"residential": {"Autoconsommation maison individuelle 6 kWc", "Panneaux + batterie, facture trop élevée", "Devis 3 kWc avec revente du surplus"},
	"farm":        {"Toiture hangar agricole 100 kWc", "Ombrières pour stabulation"},
	"business":    {"Toiture atelier 36 kWc", "Ombrières parking clients"},
	"industry":    {"Centrale toiture entrepôt 500 kWc", "Ombrières parking 200 places"},
	"public":      {"Toiture école communale", "Ombrières parking mairie"},
	"collective":  {"Autoconsommation collective copropriété", "Toiture résidence 60 logements"},
}

var (
	lostReasons    = []string{"Prix trop élevé", "Projet reporté", "Concurrent retenu", "Injoignable", "Toiture inadaptée"}
	declineReasons = []string{"Capacité atteinte ce mois-ci", "Hors de notre zone d'intervention", "Segment non traité", "Chantier trop petit"}
	mailDomains    = []string{"gmail.com", "orange.fr", "free.fr", "laposte.net"}
	titles         = []string{"Propriétaire", "Gérant", "Directeur technique", "Exploitant", "Maire adjoint", "Syndic"}
	partnerKinds   = []string{"installer", "installer", "installer", "reseller", "distributor", "integrator"}
	strategies     = []string{"round_robin", "weighted", "least_loaded", "best_conversion"}
	allSegments    = []string{"residential", "farm", "business", "industry", "public", "collective"}
)

const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// id returns a deterministic 15-character record id of [a-z0-9] like
// PocketBase's, whose first 6 characters count up (base 36) and the other
// 9 are random: each table's primary-key index then grows at its end, as
// the table does, instead of splitting pages all over the tree (random ids
// made that the main cost of a 1M-lead load).
func (g *generator) id() string {
	var b [15]byte
	n := g.seq
	g.seq++
	for i := 5; i >= 0; i-- {
		b[i] = idAlphabet[n%36]
		n /= 36
	}
	for i := 6; i < len(b); i++ {
		b[i] = idAlphabet[g.rng.IntN(len(idAlphabet))]
	}
	return string(b[:])
}

// token returns a random 50-character token key.
func (g *generator) token() string {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	var b [50]byte
	for i := range b {
		b[i] = alphabet[g.rng.IntN(len(alphabet))]
	}
	return string(b[:])
}

func (g *generator) pick(list []string) string { return list[g.rng.IntN(len(list))] }

func jsonList(v []string) string {
	if v == nil {
		v = []string{}
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// weightedRegion draws a région by regionWeights.
func (g *generator) weightedRegion() string {
	total := 0
	for _, c := range g.regionCodes {
		total += regionWeights[c]
	}
	n := g.rng.IntN(total)
	for _, c := range g.regionCodes {
		n -= regionWeights[c]
		if n < 0 {
			return c
		}
	}
	return g.regionCodes[0]
}

func (g *generator) status(age int) string {
	table := statusByAge(age)
	n := g.rng.IntN(100)
	for _, x := range table {
		n -= x.pct
		if n < 0 {
			return x.st
		}
	}
	return table[len(table)-1].st
}

func (g *generator) segment() (string, float64) {
	n := g.rng.IntN(100)
	for _, m := range segmentMix {
		n -= m.pct
		if n < 0 {
			return m.seg, math.Round((m.min+g.rng.Float64()*(m.max-m.min))/100) * 100
		}
	}
	return "residential", 10000
}

func (g *generator) source() string {
	n := g.rng.IntN(100)
	for _, x := range sourceMix {
		n -= x.pct
		if n < 0 {
			return x.src
		}
	}
	return "web"
}

func size(g *generator, seg string) string {
	switch seg {
	case "residential":
		return "1"
	case "industry":
		return g.pick([]string{"50-249", "250+"})
	default:
		return g.pick([]string{"2-9", "10-49", "50-249"})
	}
}

var asciiReplacer = strings.NewReplacer(" ", "", "'", "", "é", "e", "è", "e", "ë", "e", "ê", "e", "ï", "i", "î", "i", "ô", "o",
	"ç", "c", "É", "e", "â", "a", "û", "u", "ü", "u", "ö", "o")

func asciiName(s string) string { return asciiReplacer.Replace(s) }
