package demo

import "slices"

// firstNames, lastNames, companyPrefixes and installerNames are read-only
// reference lists; the accessors below return copies.
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

	installerNames = []string{
		"Soleil d'Armor", "Breizh Énergie Solaire", "Photon Provence", "Lumière du Sud",
		"Hélios Occitanie", "Rayon Vert Atlantique", "Solaire des Landes", "Azur Photovoltaïque",
		"Alpes Solaire Énergies", "Savoie Soleil", "Normandie Énergies Nouvelles", "Cotentin Solaire",
		"Flandres Photovoltaïque", "Nord Soleil Services", "Picardie Solaire", "Champagne Énergie Verte",
		"Lorraine Photon", "Alsace Soleil Énergie", "Vosges Solaire", "Bourgogne Rayonnement",
		"Jura Lumière", "Franche-Comté Solaire", "Auvergne Volcans Énergie", "Limousin Solaire",
		"Périgord Soleil", "Gironde Énergies Solaires", "Aquitaine Photon", "Eguzki Énergie",
		"Béarn Solaire", "Pyrénées Soleil", "Soleil Catalan", "Camargue Énergie",
		"Luberon Solaire", "Ventoux Photovoltaïque", "Côte d'Azur Solaire", "Corsica Sole",
		"Balagne Énergie", "Vendée Soleil", "Charente Lumière", "Poitou Énergies Renouvelables",
		"Touraine Solaire", "Val de Loire Photon", "Anjou Soleil", "Maine Énergie Solaire",
		"Beauce Photovoltaïque", "Sologne Énergie", "Berry Soleil", "Île-de-France Solaire",
		"Paris Toits Solaires", "Seine Énergie Verte", "Oise Photon", "Ardennes Solaire",
		"Morvan Énergie", "Lyon Solaire", "Rhône Photon", "Beaujolais Soleil",
		"Dauphiné Énergies", "Vercors Solaire", "Drôme Provençale Soleil", "Ardèche Lumière",
		"Cévennes Solaire", "Gard Photovoltaïque", "Hérault Soleil", "Montpellier Énergie Solaire",
		"Toulouse Photon", "Gascogne Solaire", "Quercy Soleil", "Aveyron Énergie",
		"Lozère Solaire", "Cantal Photovoltaïque", "Tarn Lumière", "Garonne Énergies",
		"Médoc Solaire", "Bassin d'Arcachon Énergie", "Côte d'Émeraude Solaire", "Finistère Photon",
		"Morbihan Soleil", "Iroise Énergie", "Mayenne Solaire", "Sarthe Énergie Verte",
		"Calvados Photovoltaïque", "Pays d'Auge Solaire", "Caux Énergie", "Somme Soleil",
		"Artois Photon", "Hainaut Solaire", "Meuse Énergie", "Moselle Photovoltaïque",
		"Savoie Mont-Blanc Énergie", "Chablais Solaire", "Annecy Lumière", "Haute-Provence Soleil",
		"Verdon Énergie", "Var Photovoltaïque", "Estérel Solaire", "Réunion Soleil Énergie",
		"Antilles Solaire", "Guyane Photon", "Martinique Énergie Solaire", "Mayotte Soleil",
		"Héliodor Énergies", "SolarisTech France", "Écowatt Solaire", "Voltaïa Installations",
		"Sunélia Énergie", "Lumen Habitat", "Photonis Rénovation", "Éclat Solaire",
		"Zénith Énergies", "Horizon Photovoltaïque", "Ciel Bleu Solaire", "Aube Énergie Solaire",
		"Midi Soleil", "Énergie du Ponant", "Solaire & Toitures du Centre", "Les Compagnons du Soleil",
		"Atelier Photon", "Toits d'Or", "Soleil Levant Énergie", "Terre et Soleil",
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

// InstallerNames returns 120 distinct names of solar installer companies
// from every French region, as a fresh copy.
func InstallerNames() []string { return slices.Clone(installerNames) }
