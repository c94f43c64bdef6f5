package hooks_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
)

// searchNames are the words of the random companies of the text search's
// brute-force tests; searchVocab adds a word with an "@" (contacts only).
var (
	searchNames = []string{"alpha", "bravo", "charlie", "de", "xy", "delta"}
	searchVocab = append(slices.Clone(searchNames), "al@b")
)

// searchCorpus is a set of random leads of the world for the brute-force
// tests of the text search: each lead's searched text (company, city and
// postal code, lower case) and partner.
type searchCorpus struct {
	ids       []string
	texts     map[string]string
	partnerOf map[string]string
}

// newSearchCorpus makes n leads, companies of two random names; with
// partners, each lead gets one of them at random ("" for none), drawn
// after its company.
func newSearchCorpus(w *world, rng *rand.Rand, n int, partners []string) *searchCorpus {
	c := &searchCorpus{texts: map[string]string{}, partnerOf: map[string]string{}}
	for i := 0; i < n; i++ {
		company := searchNames[rng.IntN(len(searchNames))] + " " + searchNames[rng.IntN(len(searchNames))] + "@x"
		fields := map[string]any{"company": company, "status": "new", "country": "FR", "postal_code": fmt.Sprintf("%05d", 29000+i), "city": "Brest", "score": 1}
		partner := ""
		if partners != nil {
			partner = partners[rng.IntN(len(partners))]
			fields["partner"] = partner
		}
		l := w.mk("leads", fields)
		c.texts[l.Id] = strings.ToLower(company + "|brest|" + l.GetString("postal_code"))
		c.partnerOf[l.Id] = partner
		c.ids = append(c.ids, l.Id)
	}
	return c
}

// query draws a random search: one to three words of searchVocab, each
// with, half the time, the leads whose contacts match it (each lead one
// time in oneIn).
func (c *searchCorpus) query(rng *rand.Rand, oneIn int) (words []string, contacts [][]string) {
	n := 1 + rng.IntN(3)
	words = make([]string, n)
	contacts = make([][]string, n)
	for i := range words {
		words[i] = searchVocab[rng.IntN(len(searchVocab))]
		if rng.IntN(2) == 0 {
			for _, id := range c.ids {
				if rng.IntN(oneIn) == 0 {
					contacts[i] = append(contacts[i], id)
				}
			}
		}
	}
	return words, contacts
}

// matches is the brute force: lead id matches when every word is in its
// text or among that word's contacts' leads; viaContact when a contact
// matched one of the words.
func (c *searchCorpus) matches(id string, words []string, contacts [][]string) (ok, viaContact bool) {
	ok = true
	for i, wd := range words {
		inContact := slices.Contains(contacts[i], id)
		viaContact = viaContact || inContact
		ok = ok && (strings.Contains(c.texts[id], wd) || inContact)
	}
	return ok, viaContact
}

// ours keeps the corpus' leads of got, sorted.
func (c *searchCorpus) ours(got []string) []string {
	out := []string{}
	for _, id := range got {
		if slices.Contains(c.ids, id) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}
