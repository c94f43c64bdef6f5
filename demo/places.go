package demo

// Town is a real French commune used by the demo dataset: its name with
// French accents, its main 5-digit postal code and its département code.
type Town struct {
	Name, PostalCode, Dept string
}

// townList holds three real towns per département, in département order;
// the first town of each département is its préfecture (for Paris, the
// 1st arrondissement stands for the city, the others are arrondissements).
// It is read-only: accessors return copies.
var townList = []Town{
	{"Bourg-en-Bresse", "01000", "01"}, {"Oyonnax", "01100", "01"}, {"Ambérieu-en-Bugey", "01500", "01"},
	{"Laon", "02000", "02"}, {"Saint-Quentin", "02100", "02"}, {"Soissons", "02200", "02"},
	{"Moulins", "03000", "03"}, {"Montluçon", "03100", "03"}, {"Vichy", "03200", "03"},
	{"Digne-les-Bains", "04000", "04"}, {"Manosque", "04100", "04"}, {"Sisteron", "04200", "04"},
	{"Gap", "05000", "05"}, {"Briançon", "05100", "05"}, {"Embrun", "05200", "05"},
	{"Nice", "06000", "06"}, {"Cannes", "06400", "06"}, {"Antibes", "06600", "06"},
	{"Privas", "07000", "07"}, {"Annonay", "07100", "07"}, {"Aubenas", "07200", "07"},
	{"Charleville-Mézières", "08000", "08"}, {"Sedan", "08200", "08"}, {"Rethel", "08300", "08"},
	{"Foix", "09000", "09"}, {"Pamiers", "09100", "09"}, {"Saint-Girons", "09200", "09"},
	{"Troyes", "10000", "10"}, {"Romilly-sur-Seine", "10100", "10"}, {"Bar-sur-Aube", "10200", "10"},
	{"Carcassonne", "11000", "11"}, {"Narbonne", "11100", "11"}, {"Limoux", "11300", "11"},
	{"Rodez", "12000", "12"}, {"Millau", "12100", "12"}, {"Villefranche-de-Rouergue", "12200", "12"},
	{"Marseille", "13001", "13"}, {"Aix-en-Provence", "13100", "13"}, {"Arles", "13200", "13"},
	{"Caen", "14000", "14"}, {"Lisieux", "14100", "14"}, {"Bayeux", "14400", "14"},
	{"Aurillac", "15000", "15"}, {"Saint-Flour", "15100", "15"}, {"Mauriac", "15200", "15"},
	{"Angoulême", "16000", "16"}, {"Cognac", "16100", "16"}, {"Jarnac", "16200", "16"},
	{"La Rochelle", "17000", "17"}, {"Saintes", "17100", "17"}, {"Rochefort", "17300", "17"},
	{"Bourges", "18000", "18"}, {"Vierzon", "18100", "18"}, {"Saint-Amand-Montrond", "18200", "18"},
	{"Tulle", "19000", "19"}, {"Brive-la-Gaillarde", "19100", "19"}, {"Ussel", "19200", "19"},
	{"Ajaccio", "20000", "2A"}, {"Porto-Vecchio", "20137", "2A"}, {"Propriano", "20110", "2A"},
	{"Bastia", "20200", "2B"}, {"Corte", "20250", "2B"}, {"Calvi", "20260", "2B"},
	{"Dijon", "21000", "21"}, {"Beaune", "21200", "21"}, {"Montbard", "21500", "21"},
	{"Saint-Brieuc", "22000", "22"}, {"Dinan", "22100", "22"}, {"Lannion", "22300", "22"},
	{"Guéret", "23000", "23"}, {"Aubusson", "23200", "23"}, {"La Souterraine", "23300", "23"},
	{"Périgueux", "24000", "24"}, {"Bergerac", "24100", "24"}, {"Sarlat-la-Canéda", "24200", "24"},
	{"Besançon", "25000", "25"}, {"Montbéliard", "25200", "25"}, {"Pontarlier", "25300", "25"},
	{"Valence", "26000", "26"}, {"Romans-sur-Isère", "26100", "26"}, {"Montélimar", "26200", "26"},
	{"Évreux", "27000", "27"}, {"Vernon", "27200", "27"}, {"Louviers", "27400", "27"},
	{"Chartres", "28000", "28"}, {"Dreux", "28100", "28"}, {"Châteaudun", "28200", "28"},
	{"Quimper", "29000", "29"}, {"Brest", "29200", "29"}, {"Morlaix", "29600", "29"},
	{"Nîmes", "30000", "30"}, {"Alès", "30100", "30"}, {"Bagnols-sur-Cèze", "30200", "30"},
	{"Toulouse", "31000", "31"}, {"Muret", "31600", "31"}, {"Saint-Gaudens", "31800", "31"},
	{"Auch", "32000", "32"}, {"Condom", "32100", "32"}, {"Fleurance", "32500", "32"},
	{"Bordeaux", "33000", "33"}, {"Arcachon", "33120", "33"}, {"Libourne", "33500", "33"},
	{"Montpellier", "34000", "34"}, {"Sète", "34200", "34"}, {"Béziers", "34500", "34"},
	{"Rennes", "35000", "35"}, {"Fougères", "35300", "35"}, {"Saint-Malo", "35400", "35"},
	{"Châteauroux", "36000", "36"}, {"Issoudun", "36100", "36"}, {"Le Blanc", "36300", "36"},
	{"Tours", "37000", "37"}, {"Amboise", "37400", "37"}, {"Chinon", "37500", "37"},
	{"Grenoble", "38000", "38"}, {"Vienne", "38200", "38"}, {"Voiron", "38500", "38"},
	{"Lons-le-Saunier", "39000", "39"}, {"Dole", "39100", "39"}, {"Saint-Claude", "39200", "39"},
	{"Mont-de-Marsan", "40000", "40"}, {"Dax", "40100", "40"}, {"Biscarrosse", "40600", "40"},
	{"Blois", "41000", "41"}, {"Vendôme", "41100", "41"}, {"Romorantin-Lanthenay", "41200", "41"},
	{"Saint-Étienne", "42000", "42"}, {"Roanne", "42300", "42"}, {"Montbrison", "42600", "42"},
	{"Le Puy-en-Velay", "43000", "43"}, {"Brioude", "43100", "43"}, {"Yssingeaux", "43200", "43"},
	{"Nantes", "44000", "44"}, {"La Baule-Escoublac", "44500", "44"}, {"Saint-Nazaire", "44600", "44"},
	{"Orléans", "45000", "45"}, {"Montargis", "45200", "45"}, {"Gien", "45500", "45"},
	{"Cahors", "46000", "46"}, {"Figeac", "46100", "46"}, {"Gourdon", "46300", "46"},
	{"Agen", "47000", "47"}, {"Marmande", "47200", "47"}, {"Villeneuve-sur-Lot", "47300", "47"},
	{"Mende", "48000", "48"}, {"Marvejols", "48100", "48"}, {"Langogne", "48300", "48"},
	{"Angers", "49000", "49"}, {"Cholet", "49300", "49"}, {"Saumur", "49400", "49"},
	{"Saint-Lô", "50000", "50"}, {"Cherbourg-en-Cotentin", "50100", "50"}, {"Granville", "50400", "50"},
	{"Châlons-en-Champagne", "51000", "51"}, {"Reims", "51100", "51"}, {"Épernay", "51200", "51"},
	{"Chaumont", "52000", "52"}, {"Saint-Dizier", "52100", "52"}, {"Langres", "52200", "52"},
	{"Laval", "53000", "53"}, {"Mayenne", "53100", "53"}, {"Château-Gontier-sur-Mayenne", "53200", "53"},
	{"Nancy", "54000", "54"}, {"Toul", "54200", "54"}, {"Lunéville", "54300", "54"},
	{"Bar-le-Duc", "55000", "55"}, {"Verdun", "55100", "55"}, {"Commercy", "55200", "55"},
	{"Vannes", "56000", "56"}, {"Lorient", "56100", "56"}, {"Pontivy", "56300", "56"},
	{"Metz", "57000", "57"}, {"Thionville", "57100", "57"}, {"Forbach", "57600", "57"},
	{"Nevers", "58000", "58"}, {"Cosne-Cours-sur-Loire", "58200", "58"}, {"Decize", "58300", "58"},
	{"Lille", "59000", "59"}, {"Roubaix", "59100", "59"}, {"Valenciennes", "59300", "59"},
	{"Beauvais", "60000", "60"}, {"Creil", "60100", "60"}, {"Compiègne", "60200", "60"},
	{"Alençon", "61000", "61"}, {"Flers", "61100", "61"}, {"Argentan", "61200", "61"},
	{"Arras", "62000", "62"}, {"Calais", "62100", "62"}, {"Boulogne-sur-Mer", "62200", "62"},
	{"Clermont-Ferrand", "63000", "63"}, {"Riom", "63200", "63"}, {"Thiers", "63300", "63"},
	{"Pau", "64000", "64"}, {"Bayonne", "64100", "64"}, {"Biarritz", "64200", "64"},
	{"Tarbes", "65000", "65"}, {"Lourdes", "65100", "65"}, {"Bagnères-de-Bigorre", "65200", "65"},
	{"Perpignan", "66000", "66"}, {"Céret", "66400", "66"}, {"Prades", "66500", "66"},
	{"Strasbourg", "67000", "67"}, {"Haguenau", "67500", "67"}, {"Sélestat", "67600", "67"},
	{"Colmar", "68000", "68"}, {"Mulhouse", "68100", "68"}, {"Saint-Louis", "68300", "68"},
	{"Lyon", "69001", "69"}, {"Villeurbanne", "69100", "69"}, {"Villefranche-sur-Saône", "69400", "69"},
	{"Vesoul", "70000", "70"}, {"Gray", "70100", "70"}, {"Lure", "70200", "70"},
	{"Mâcon", "71000", "71"}, {"Chalon-sur-Saône", "71100", "71"}, {"Autun", "71400", "71"},
	{"Le Mans", "72000", "72"}, {"La Flèche", "72200", "72"}, {"Sablé-sur-Sarthe", "72300", "72"},
	{"Chambéry", "73000", "73"}, {"Aix-les-Bains", "73100", "73"}, {"Albertville", "73200", "73"},
	{"Annecy", "74000", "74"}, {"Annemasse", "74100", "74"}, {"Thonon-les-Bains", "74200", "74"},
	{"Paris", "75001", "75"}, {"Paris 11e Arrondissement", "75011", "75"}, {"Paris 15e Arrondissement", "75015", "75"},
	{"Rouen", "76000", "76"}, {"Dieppe", "76200", "76"}, {"Le Havre", "76600", "76"},
	{"Melun", "77000", "77"}, {"Meaux", "77100", "77"}, {"Fontainebleau", "77300", "77"},
	{"Versailles", "78000", "78"}, {"Saint-Germain-en-Laye", "78100", "78"}, {"Rambouillet", "78120", "78"},
	{"Niort", "79000", "79"}, {"Parthenay", "79200", "79"}, {"Bressuire", "79300", "79"},
	{"Amiens", "80000", "80"}, {"Abbeville", "80100", "80"}, {"Péronne", "80200", "80"},
	{"Albi", "81000", "81"}, {"Castres", "81100", "81"}, {"Gaillac", "81600", "81"},
	{"Montauban", "82000", "82"}, {"Castelsarrasin", "82100", "82"}, {"Moissac", "82200", "82"},
	{"Toulon", "83000", "83"}, {"Hyères", "83400", "83"}, {"Fréjus", "83600", "83"},
	{"Avignon", "84000", "84"}, {"Orange", "84100", "84"}, {"Carpentras", "84200", "84"},
	{"La Roche-sur-Yon", "85000", "85"}, {"Les Sables-d'Olonne", "85100", "85"}, {"Fontenay-le-Comte", "85200", "85"},
	{"Poitiers", "86000", "86"}, {"Châtellerault", "86100", "86"}, {"Loudun", "86200", "86"},
	{"Limoges", "87000", "87"}, {"Saint-Junien", "87200", "87"}, {"Bellac", "87300", "87"},
	{"Épinal", "88000", "88"}, {"Saint-Dié-des-Vosges", "88100", "88"}, {"Remiremont", "88200", "88"},
	{"Auxerre", "89000", "89"}, {"Sens", "89100", "89"}, {"Avallon", "89200", "89"},
	{"Belfort", "90000", "90"}, {"Delle", "90100", "90"}, {"Valdoie", "90300", "90"},
	{"Évry-Courcouronnes", "91000", "91"}, {"Palaiseau", "91120", "91"}, {"Étampes", "91150", "91"},
	{"Nanterre", "92000", "92"}, {"Boulogne-Billancourt", "92100", "92"}, {"Neuilly-sur-Seine", "92200", "92"},
	{"Bobigny", "93000", "93"}, {"Montreuil", "93100", "93"}, {"Saint-Denis", "93200", "93"},
	{"Créteil", "94000", "94"}, {"Vincennes", "94300", "94"}, {"Vitry-sur-Seine", "94400", "94"},
	{"Cergy", "95000", "95"}, {"Argenteuil", "95100", "95"}, {"Sarcelles", "95200", "95"},
	{"Basse-Terre", "97100", "971"}, {"Pointe-à-Pitre", "97110", "971"}, {"Les Abymes", "97139", "971"},
	{"Fort-de-France", "97200", "972"}, {"Le Lamentin", "97232", "972"}, {"Schœlcher", "97233", "972"},
	{"Cayenne", "97300", "973"}, {"Kourou", "97310", "973"}, {"Saint-Laurent-du-Maroni", "97320", "973"},
	{"Saint-Denis", "97400", "974"}, {"Saint-Pierre", "97410", "974"}, {"Saint-Paul", "97460", "974"},
	{"Mamoudzou", "97600", "976"}, {"Dzaoudzi", "97615", "976"}, {"Sada", "97640", "976"},
}

// Towns returns the three demo towns of the département with the given
// code ("01", "2A", "974"…), préfecture first, or nil for an unknown code.
// The slice is a fresh copy the caller may modify.
func Towns(dept string) []Town {
	var out []Town
	for _, t := range townList {
		if t.Dept == dept {
			out = append(out, t)
		}
	}
	return out
}

// TownDepartements returns the codes of every département that has demo
// towns, in the usual order: "01".."19", "2A", "2B", "21".."95", then the
// overseas "971".."974" and "976".
func TownDepartements() []string {
	var out []string
	for _, t := range townList {
		if len(out) == 0 || out[len(out)-1] != t.Dept {
			out = append(out, t.Dept)
		}
	}
	return out
}
