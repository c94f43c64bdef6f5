package demo

import (
	"fmt"
	"slices"
	"strings"
)

// firstNames, lastNames and companyPrefixes are read-only reference
// lists; the accessors below return copies.
var (
	firstNames = []string{
		"Marie", "Jean", "Pierre", "Nathalie", "Isabelle", "Philippe", "Michel", "Sylvie",
		"Catherine", "Nicolas", "Christophe", "Sophie", "Céline", "Julien", "Stéphane", "Sandrine",
		"Laurent", "Valérie", "Frédéric", "Aurélie", "Thomas", "Camille", "Léa", "Manon",
		"Chloé", "Emma", "Lucas", "Hugo", "Louis", "Gabriel", "Jules", "Inès",
		"Sarah", "Julie", "Émilie", "Élodie", "Mathieu", "Antoine", "Alexandre", "Vincent",
		"Olivier", "Guillaume", "Hélène", "Anne", "Véronique", "Patrick", "Éric", "Thierry",
		"Pascal", "Christine", "Martine", "Françoise", "Brigitte", "Benoît", "Romain", "Maxime",
		"Clément", "Audrey", "Mélanie", "Anaïs",
	}

	lastNames = []string{
		"Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
		"Simon", "Michel", "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard",
		"Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Lefèvre", "Faure", "André",
		"Mercier", "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Garcia",
		"Perrin", "Robin", "Clément", "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson",
		"Marchand", "Duval", "Denis", "Dumont", "Marie", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier",
		"Brun", "Blanchard", "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier", "Arnaud",
		"Martinez", "Gérard", "Roche", "Renard", "Schmitt", "Roy", "Leroux", "Colin", "Vidal", "Caron",
		"Picard", "Roger", "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas", "Lacroix", "Olivier", "Philippe",
		"Bourgeois", "Pierre", "Benoît", "Rey", "Leclerc", "Payet", "Rolland", "Leclercq", "Guillaume", "Lecomte",
	}

	companyPrefixes = []string{
		"Boulangerie", "Garage", "Ferme", "Domaine", "Hôtel", "Camping",
		"Menuiserie", "Cabinet médical", "Supermarché", "Entrepôt", "Atelier", "Transports",
		"Clinique vétérinaire", "Gîte", "Brasserie", "Imprimerie", "Scierie", "Pépinière",
		"Laiterie", "EHPAD", "Collège", "Mairie de", "Salle des fêtes de", "Pharmacie",
		"Restaurant", "Fromagerie", "Cave coopérative", "Salle de sport", "École primaire", "Hangar agricole",
	}
)

// FirstNames returns 60 common French first names, mixed genders, as a
// fresh copy.
func FirstNames() []string { return slices.Clone(firstNames) }

// LastNames returns 100 common French surnames as a fresh copy.
func LastNames() []string { return slices.Clone(lastNames) }

// CompanyPrefixes returns 30 kinds of business or public building ("Ferme",
// "Mairie de"…) used to name business leads, as a fresh copy; a town or
// surname is appended to each.
func CompanyPrefixes() []string { return slices.Clone(companyPrefixes) }

// installerPatterns make an installer's name from a place of the
// territory it serves.
var installerPatterns = []string{
	"%s Solaire", "Soleil de %s", "%s Énergies", "Photovoltaïque de %s", "%s Toits Solaires",
	"Lumière de %s", "Les Installateurs de %s", "%s Rénovation Énergie", "Héliotech %s", "%s Autoconsommation",
}

// InstallerName names an installer after a place of its territory (a town
// or the territory's name) with the k-th pattern, eliding "de" as French
// does ("Soleil d'Ajaccio", "Lumière du Puy-en-Velay").
func InstallerName(place string, k int) string {
	pattern := installerPatterns[k%len(installerPatterns)]
	if !strings.Contains(pattern, "de %s") {
		return fmt.Sprintf(pattern, place)
	}
	switch {
	case strings.HasPrefix(place, "Le "):
		return fmt.Sprintf(strings.Replace(pattern, "de %s", "du %s", 1), strings.TrimPrefix(place, "Le "))
	case strings.HasPrefix(place, "Les "):
		return fmt.Sprintf(strings.Replace(pattern, "de %s", "des %s", 1), strings.TrimPrefix(place, "Les "))
	case startsWithVowel(place):
		return fmt.Sprintf(strings.Replace(pattern, "de %s", "d'%s", 1), place)
	}
	return fmt.Sprintf(pattern, place)
}

// InstallerPatterns is the number of name patterns of InstallerName.
func InstallerPatterns() int { return len(installerPatterns) }

func startsWithVowel(s string) bool {
	for _, r := range s {
		return strings.ContainsRune("AEIOUYÉÈÎÂÔaeiouyéèîâô", r)
	}
	return false
}
