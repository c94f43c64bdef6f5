// Package reasons holds the decline reasons of offers as codes: the list,
// and the reading of a reason written before codes existed (a translated
// label, possibly followed by ": " and details, or free text), so that a
// reason is counted once whatever the language it was given in.
package reasons

import "strings"

// Decline reason codes, in the order the decline form offers them; Other
// needs a note.
const (
	Capacity = "capacity"
	Zone     = "zone"
	Segment  = "segment"
	Size     = "size"
	Other    = "other"
)

// DeclineCodes are the decline reason codes, in display order.
var DeclineCodes = []string{Capacity, Zone, Segment, Size, Other}

// IsDecline reports whether code is a decline reason code.
func IsDecline(code string) bool {
	for _, c := range DeclineCodes {
		if c == code {
			return true
		}
	}
	return false
}

// legacyLabels are the labels the decline form wrote, in both languages,
// before reasons were stored as codes.
var legacyLabels = map[string]string{
	"Capacité atteinte ce mois-ci": Capacity, "Capacity reached this month": Capacity,
	"Segment non traité": Segment, "Segment we do not serve": Segment,
	"Chantier trop petit": Size, "Project too small": Size,
	"Hors de notre zone d'intervention": Zone, "Outside our service area": Zone,
}

// ParseDecline reads a reason given as text: a code, a label of either
// language (alone, or followed by ": " and details, which become the
// note), or free text (code Other, the text as note). An empty text gives
// an empty code.
func ParseDecline(text string) (code, note string) {
	text = strings.TrimSpace(text)
	if text == "" {
		return "", ""
	}
	if IsDecline(text) {
		return text, ""
	}
	for label, c := range legacyLabels {
		if strings.EqualFold(text, label) {
			return c, ""
		}
		if len(text) > len(label) && strings.EqualFold(text[:len(label)], label) && strings.HasPrefix(text[len(label):], ":") {
			return c, strings.TrimSpace(text[len(label)+1:])
		}
	}
	return Other, text
}
