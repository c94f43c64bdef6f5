package notify

// catalogue holds the texts of notifications and their e-mails, per
// language: text/template sources over the message's args (message.go),
// each value already written in the language. "<id>.title" and
// "<id>.body" for each message id; "label.<group>.<value>" for the
// labels of select values; the list items of a "list:<id>" arg.
// TestCatalogueIsComplete keeps the two languages in step.
var catalogue = map[string]map[string]string{
	"fr": {
		"offer.title": "Nouvelle offre : {{.lead}} ({{.city}})",
		"offer.body":  "{{.lead}} — {{.postal_code}} {{.city}}\nSegment : {{.segment}} · Score : {{.score}}\n{{if .interest}}{{.interest}}\n{{end}}À accepter avant le {{.accept_by}} (heure de Paris)",

		"offer_reminder.title":   "Offre bientôt expirée : {{.lead}} ({{.city}})",
		"offer_reminder.body":    "{{.lead}} — {{.postal_code}} {{.city}}\nSegment : {{.segment}} · Score : {{.score}}\n{{if .interest}}{{.interest}}\n{{end}}À accepter avant le {{.accept_by}} (heure de Paris)",
		"offer_expired.title":    "Offre expirée sans réponse : {{.lead}} ({{.city}})",
		"offer_expired.body":     "{{.lead}} — {{.city}}\n{{.partner}} n'a pas répondu à temps ; le lead a été proposé à nouveau.",
		"no_candidate.title":     "Aucun partenaire ne peut prendre ce lead : {{.lead}} ({{.city}})",
		"no_candidate.body":      "{{.lead}} — {{.city}}\nAucun partenaire actif ne couvre ce lead{{if .reason}} ({{.reason}}){{end}} : à attribuer à la main ou à couvrir.",
		"lead_withdrawn.title":   "Lead retiré : {{.lead}} ({{.city}})",
		"lead_withdrawn.body":    "{{.lead}} — {{.city}}\nCe lead a été réattribué par le responsable de réseau.",
		"lead_dispatched.title":  "Lead qui vous est confié : {{.lead}} ({{.city}})",
		"lead_dispatched.body":   "{{.lead}} — {{.city}}{{if .reason}}\n{{.reason}}{{end}}",
		"partner_left.title":     "Partenaire {{.partner}} indisponible : {{.count}} lead(s) à réattribuer",
		"partner_left.body":      "Ses offres en attente sont retirées ; ses leads en cours sont listés dans « Leads à réattribuer » ({{.link}}).",
		"account_conflict.title": "Conflit de compte : {{.account}}",
		"account_conflict.body":  "SIREN {{.siren}} — {{.postal_code}}\nDéjà connu : {{.kind}} {{.record}}",

		"no_candidate_group.title":       "{{if eq .count \"1\"}}1 lead qu'aucun partenaire ne peut prendre{{else}}{{.count}} leads qu'aucun partenaire ne peut prendre{{end}} {{if .territory}}(territoire {{.territory}}){{else}}(hors territoire){{end}}",
		"no_candidate_group.body":        "Dernier : {{.lead}} — {{.city}} ({{.reason}}), le {{.at}}.\nIls attendent dans « Aucun partenaire ne peut le prendre » du tableau de distribution : à attribuer à la main ou à couvrir.",
		"label.wait_reason.no_candidate": "aucun partenaire disponible", "label.wait_reason.no_rule": "aucune règle d'attribution",

		"back_to_pool.title": "Lead revenu au pool : {{.lead}} ({{.city}})",
		"back_to_pool.body":  "{{.lead}} — {{.city}}\nAucun partenaire ne l'a accepté : à redistribuer.",

		"registration.title": "{{if .conflicts}}Conflit — {{end}}Enregistrement d'affaire : {{.company}}",
		"registration.body":  "{{.opportunity}} ({{.amount}}) — {{.postal_code}}\nOpportunité {{.id}}{{if .conflicts}}\n{{.conflicts}}{{end}}",
		"conflict.item":      "Conflit : {{.kind}} {{.record}} ({{.who}}), {{.keys}}",

		"registration_approved.title": "Enregistrement approuvé : {{.company}}",
		"registration_approved.body":  "{{.opportunity}} ({{.amount}})\nProtégé jusqu'au {{.until}}",
		"registration_rejected.title": "Enregistrement refusé : {{.company}}",
		"registration_rejected.body":  "{{.opportunity}} ({{.amount}})\n{{.reason}}",

		"win_to_validate.title": "Gain à valider : {{.opportunity}} ({{.amount}})",
		"win_to_validate.body":  "Opportunité {{.id}}",
		"win_validated.title":   "Gain validé : {{.opportunity}} ({{.amount}})",
		"win_validated.body":    "{{.opportunity}} ({{.amount}}){{if .note}}\n{{.note}}{{end}}",
		"win_rejected.title":    "Gain refusé : {{.opportunity}} ({{.amount}})",
		"win_rejected.body":     "{{.opportunity}} ({{.amount}}){{if .note}}\n{{.note}}{{end}}",

		"access_request.title":  "Demande d'accès : {{.kind}}",
		"access_request.body":   "{{.details}}",
		"access_approved.title": "Demande d'accès acceptée",
		"access_approved.body":  "Valable jusqu'au {{.expires}} (heure de Paris){{if .reason}}\n{{.reason}}{{end}}",
		"access_rejected.title": "Demande d'accès refusée",
		"access_rejected.body":  "{{.reason}}",

		"mail.open": "Ouvrir dans Relais :",

		"label.segment.residential": "Particulier", "label.segment.business": "Entreprise", "label.segment.farm": "Agricole",
		"label.segment.industry": "Industrie", "label.segment.public": "Collectivité", "label.segment.collective": "Habitat collectif",
		"label.request_kind.territory": "territoire", "label.request_kind.export": "export", "label.request_kind.role": "rôle",
		"label.conflict.lead": "lead", "label.conflict.account": "compte", "label.conflict.registration": "enregistrement",
		"label.conflict.pending": "enregistrement en attente", "label.who.pool": "pool central",

		"certificate_expiry.title":      "Certificat {{.kind}} de {{.partner}} : fin dans {{.days}} jour(s)",
		"certificate_expiry.body":       "{{.kind}}{{if .number}} n° {{.number}}{{end}} — valable jusqu'au {{.until}}.\nSans certificat valide, les leads qui l'exigent ne sont plus proposés à {{.partner}} : déposez le certificat renouvelé.",
		"label.certificate.rge_qualipv": "RGE QualiPV", "label.certificate.rge_qualipac": "RGE QualiPAC",
		"label.certificate.qualifelec": "Qualifelec", "label.certificate.other": "autre certificat",
	},
	"en": {
		"offer.title": "New offer: {{.lead}} ({{.city}})",
		"offer.body":  "{{.lead}} — {{.postal_code}} {{.city}}\nSegment: {{.segment}} · Score: {{.score}}\n{{if .interest}}{{.interest}}\n{{end}}Accept before {{.accept_by}} (Paris time)",

		"offer_reminder.title":   "Offer expiring soon: {{.lead}} ({{.city}})",
		"offer_reminder.body":    "{{.lead}} — {{.postal_code}} {{.city}}\nSegment: {{.segment}} · Score: {{.score}}\n{{if .interest}}{{.interest}}\n{{end}}Accept before {{.accept_by}} (Paris time)",
		"offer_expired.title":    "Offer expired unanswered: {{.lead}} ({{.city}})",
		"offer_expired.body":     "{{.lead}} — {{.city}}\n{{.partner}} did not answer in time; the lead was offered again.",
		"no_candidate.title":     "No partner can take this lead: {{.lead}} ({{.city}})",
		"no_candidate.body":      "{{.lead}} — {{.city}}\nNo active partner covers this lead{{if .reason}} ({{.reason}}){{end}}: assign it by hand or cover the area.",
		"lead_withdrawn.title":   "Lead withdrawn: {{.lead}} ({{.city}})",
		"lead_withdrawn.body":    "{{.lead}} — {{.city}}\nThe channel manager reassigned this lead.",
		"lead_dispatched.title":  "Lead handed to you: {{.lead}} ({{.city}})",
		"lead_dispatched.body":   "{{.lead}} — {{.city}}{{if .reason}}\n{{.reason}}{{end}}",
		"partner_left.title":     "Partner {{.partner}} unavailable: {{.count}} lead(s) to reassign",
		"partner_left.body":      "Its pending offers are withdrawn; its leads in progress are listed under “Leads to reassign” ({{.link}}).",
		"account_conflict.title": "Account conflict: {{.account}}",
		"account_conflict.body":  "SIREN {{.siren}} — {{.postal_code}}\nAlready known: {{.kind}} {{.record}}",

		"no_candidate_group.title":       "{{if eq .count \"1\"}}1 lead cannot{{else}}{{.count}} leads cannot{{end}} be taken by any partner {{if .territory}}in {{.territory}}{{else}}outside any territory{{end}}",
		"no_candidate_group.body":        "Latest: {{.lead}} — {{.city}} ({{.reason}}), {{.at}}.\nThey wait under “No partner can take it” on the distribution board: assign them by hand or cover the area.",
		"label.wait_reason.no_candidate": "no partner available", "label.wait_reason.no_rule": "no assignment rule",

		"back_to_pool.title": "Lead back to the pool: {{.lead}} ({{.city}})",
		"back_to_pool.body":  "{{.lead}} — {{.city}}\nNo partner accepted it: to be distributed again.",

		"registration.title": "{{if .conflicts}}Conflict — {{end}}Deal registration: {{.company}}",
		"registration.body":  "{{.opportunity}} ({{.amount}}) — {{.postal_code}}\nOpportunity {{.id}}{{if .conflicts}}\n{{.conflicts}}{{end}}",
		"conflict.item":      "Conflict: {{.kind}} {{.record}} ({{.who}}), {{.keys}}",

		"registration_approved.title": "Registration approved: {{.company}}",
		"registration_approved.body":  "{{.opportunity}} ({{.amount}})\nProtected until {{.until}}",
		"registration_rejected.title": "Registration rejected: {{.company}}",
		"registration_rejected.body":  "{{.opportunity}} ({{.amount}})\n{{.reason}}",

		"win_to_validate.title": "Win to validate: {{.opportunity}} ({{.amount}})",
		"win_to_validate.body":  "Opportunity {{.id}}",
		"win_validated.title":   "Win validated: {{.opportunity}} ({{.amount}})",
		"win_validated.body":    "{{.opportunity}} ({{.amount}}){{if .note}}\n{{.note}}{{end}}",
		"win_rejected.title":    "Win not validated: {{.opportunity}} ({{.amount}})",
		"win_rejected.body":     "{{.opportunity}} ({{.amount}}){{if .note}}\n{{.note}}{{end}}",

		"access_request.title":  "Access request: {{.kind}}",
		"access_request.body":   "{{.details}}",
		"access_approved.title": "Access request approved",
		"access_approved.body":  "Valid until {{.expires}} (Paris time){{if .reason}}\n{{.reason}}{{end}}",
		"access_rejected.title": "Access request rejected",
		"access_rejected.body":  "{{.reason}}",

		"mail.open": "Open in Relais:",

		"label.segment.residential": "Residential", "label.segment.business": "Business", "label.segment.farm": "Farm",
		"label.segment.industry": "Industry", "label.segment.public": "Public sector", "label.segment.collective": "Collective housing",
		"label.request_kind.territory": "territory", "label.request_kind.export": "export", "label.request_kind.role": "role",
		"label.conflict.lead": "lead", "label.conflict.account": "account", "label.conflict.registration": "registration",
		"label.conflict.pending": "pending registration", "label.who.pool": "central pool",

		"certificate_expiry.title":      "{{.partner}}'s {{.kind}} certificate ends in {{.days}} day(s)",
		"certificate_expiry.body":       "{{.kind}}{{if .number}} no. {{.number}}{{end}} — valid until {{.until}}.\nWithout a valid certificate, the leads that require one are no longer offered to {{.partner}}: upload the renewed certificate.",
		"label.certificate.rge_qualipv": "RGE QualiPV", "label.certificate.rge_qualipac": "RGE QualiPAC",
		"label.certificate.qualifelec": "Qualifelec", "label.certificate.other": "other certificate",
	},
}

// months are the abbreviated month names per language.
var months = map[string][12]string{
	"fr": {"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."},
	"en": {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
}
