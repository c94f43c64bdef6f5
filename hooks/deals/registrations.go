package deals

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/dedup"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/intake"
	"github.com/relais/relais/hooks/lifecycle"
	"github.com/relais/relais/hooks/notify"
	"github.com/relais/relais/hooks/policy"
	"github.com/relais/relais/hooks/privacy"
	"github.com/relais/relais/hooks/roles"
)

// Deal registration: a partner registers a deal it found itself.
// The registration becomes an opportunity of the partner with
// registration_status = pending; its normalised keys (the same as lead
// duplicates: SIREN, e-mail, company + postal code, e-mail domain + postal
// code) are checked against open leads, accounts entrusted to other
// partners and other partners' registrations (protected or pending). A
// conflict is recorded on the opportunity in Hidden fields shown to
// internal roles only and notified to the channel managers; the registrant
// always gets the same neutral "under review" answer. Approval protects the
// deal for settings_prm.protection_days: its keys are written to dedup_keys
// (kind registration), so a new lead for that customer is held for the
// channel manager instead of being offered to another partner.

// RegistrationInput is the body of POST /api/prm/registrations.
type RegistrationInput struct {
	Company string `json:"company"`
	// SIRET holds a SIRET (14 digits) or a SIREN (9); SIREN is accepted as
	// an alias.
	SIRET      string `json:"siret"`
	SIREN      string `json:"siren"`
	PostalCode string `json:"postal_code"`
	City       string `json:"city"`
	// Email is an e-mail address at the customer: only its normalised
	// duplicate keys are kept, not the address.
	Email     string  `json:"email"`
	Amount    float64 `json:"amount"`
	CloseDate string  `json:"close_date"`
	// ExpectedClose is an alias of CloseDate.
	ExpectedClose string `json:"expected_close"`
	Name          string `json:"name"`

	closeDate types.DateTime
}

func (in *RegistrationInput) keys() []string {
	return dedup.Keys(dedup.Input{Company: in.Company, PostalCode: in.PostalCode, SIRET: in.SIRET, Email: in.Email})
}

// RegistrationConflict is a record of another partner (or of the central
// pool) that a registration collides with.
type RegistrationConflict struct {
	Kind    string   `json:"kind"` // lead | account | registration
	Record  string   `json:"record"`
	Partner string   `json:"partner"`
	Pending bool     `json:"pending,omitempty"` // a registration not yet approved
	Keys    []string `json:"keys"`              // the key kinds matched: siren, email, domain, company, phone
}

// registrationConflicts returns every record sharing a key with a
// registration of partner: open leads (in the pool or of another partner),
// accounts entrusted to another partner, other partners' approved and
// still protected registrations, and their pending ones. exclude skips the
// registration itself. It reads across partners on purpose (a conflict is
// with records the registrant cannot see); the result goes only to Hidden
// fields shown to internal roles and to the validators' notification.
func registrationConflicts(app core.App, keys []string, partner, exclude string) ([]RegistrationConflict, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	params := dbx.Params{"x": exclude, "p": partner, "now": time.Now().UTC().Format(types.DefaultDateLayout)}
	ph := make([]string, len(keys))
	for i, k := range keys {
		name := "k" + strconv.Itoa(i)
		params[name] = k
		ph[i] = "{:" + name + "}"
	}
	in := "(" + strings.Join(ph, ", ") + ")"
	rows := []struct {
		Kind    string `db:"kind"`
		Record  string `db:"record"`
		Partner string `db:"partner"`
		Pending bool   `db:"pending"`
		Key     string `db:"key"`
	}{}
	q := `SELECT * FROM (
		SELECT 'lead' AS kind, l.id AS record, l.partner AS partner, 0 AS pending, k.key AS key, k.created AS created
		  FROM dedup_keys k JOIN leads l ON l.id = k.record
		 WHERE k.kind = 'lead' AND k.key IN ` + in + ` AND l.status NOT IN (` + lifecycle.SQLList(lifecycle.ReleasedStatuses()) + `) AND l.partner != {:p}
		UNION ALL
		SELECT 'account', a.id, a.partner, 0, k.key, k.created
		  FROM dedup_keys k JOIN accounts a ON a.id = k.record
		 WHERE k.kind = 'account' AND k.key IN ` + in + ` AND a.partner != '' AND a.partner != {:p}
		UNION ALL
		SELECT 'registration', o.id, o.partner, 0, k.key, k.created
		  FROM dedup_keys k JOIN opportunities o ON o.id = k.record
		 WHERE k.kind = 'registration' AND k.key IN ` + in + ` AND o.registration_status = 'approved'
		   AND o.protected_until > {:now} AND o.partner != {:p}
		UNION ALL
		SELECT 'registration', o.id, o.partner, 1, j.value, o.created
		  FROM opportunities o, json_each(CASE WHEN json_valid(o.registration_keys) THEN o.registration_keys ELSE '[]' END) j
		 WHERE o.registration_status = 'pending' AND j.value IN ` + in + ` AND o.partner != {:p}
	) WHERE record != {:x} ORDER BY created ASC`
	if err := app.DB().NewQuery(q).Bind(params).All(&rows); err != nil {
		return nil, err
	}
	var out []RegistrationConflict
	index := map[string]int{}
	for _, r := range rows {
		kind, _, _ := strings.Cut(r.Key, ":")
		i, seen := index[r.Record]
		if !seen {
			index[r.Record] = len(out)
			out = append(out, RegistrationConflict{Kind: r.Kind, Record: r.Record, Partner: r.Partner, Pending: r.Pending})
			i = len(out) - 1
		}
		if !slices.Contains(out[i].Keys, kind) {
			out[i].Keys = append(out[i].Keys, kind)
		}
	}
	return out, nil
}

// RegisterDeal records a deal registration by a partner user. Every
// partner role that can read opportunities (so that the registrant can
// follow its registration) may register: a registration is a request that
// a channel manager decides, not a direct creation, so the matrix's create
// flag is not required. The result is the same whatever the conflict
// check found.
func RegisterDeal(app core.App, by access.By, in RegistrationInput) (*core.Record, error) {
	user := by.User
	isPartner, err := access.HasKind(app, user, roles.Partner)
	if err != nil {
		return nil, err
	}
	if !isPartner || user.GetString("partner") == "" {
		return nil, domain.Forbidden("not_a_partner", "deals are registered by partner users")
	}
	m, err := access.CachedMatrix(app)
	if err != nil {
		return nil, err
	}
	if m.Cell(user.GetString("role"), "opportunities").Read == policy.None {
		return nil, domain.Forbidden("not_allowed", "your role does not work opportunities")
	}
	if err := in.normalize(); err != nil {
		return nil, err
	}
	partner := user.GetString("partner")
	keys := in.keys()
	territory, err := intake.TerritoryOf(app, in.PostalCode)
	if err != nil {
		return nil, err
	}
	coll, err := app.FindCachedCollectionByNameOrId("opportunities")
	if err != nil {
		return nil, err
	}
	var rec *core.Record
	err = app.RunInTransaction(func(tx core.App) error {
		conflicts, err := registrationConflicts(tx, keys, partner, "")
		if err != nil {
			return err
		}
		rec = core.NewRecord(coll)
		name := in.Name
		if name == "" {
			name = in.Company
		}
		siren := ""
		if s, err := dedup.NormalizeSIREN(in.SIRET); err == nil {
			siren = s
		}
		for k, v := range map[string]any{
			"name": name, "company": in.Company, "siret": in.SIRET, "siren": siren, "postal_code": in.PostalCode,
			"amount": in.Amount, "stage": Prospecting, "partner": partner, "territory": territory,
			"registered_by": user.Id, "registration_status": "pending", "registration_keys": keys,
		} {
			rec.Set(k, v)
		}
		if !in.closeDate.IsZero() {
			rec.Set("close_date", in.closeDate)
		}
		if len(conflicts) > 0 {
			c := conflicts[0]
			rec.Set("conflict_kind", c.Kind)
			rec.Set("conflict_ref", c.Record)
			rec.Set("conflict_partner", c.Partner)
			rec.Set("conflict_details", conflicts)
		}
		if err := tx.Save(rec); err != nil {
			return err
		}
		changes := map[string]any{"company": in.Company, "postal_code": in.PostalCode, "siret": in.SIRET, "amount": in.Amount,
			"partner": partner, "territory": territory, "conflicts": conflicts}
		if privacy.LooksLikePerson(in.Company, "", "") {
			changes["company"] = "(private customer)" // the append-only log never holds a person's name
		}
		if err := audit.Append(tx, by.Actor, "registration.submit", "opportunities", rec.Id, changes); err != nil {
			return err
		}
		return notifyRegistration(tx, rec, conflicts)
	})
	if err != nil {
		return nil, err
	}
	return rec, nil
}

// conflictList describes conflicts for the channel manager (internal: it
// may name the other partner). The partner's name is read without the
// rules on purpose: the text goes to the validators (validatorsOf), who
// arbitrate between partners (SPEC §4.2), never to the registrant.
func conflictList(app core.App, conflicts []RegistrationConflict) notify.Arg {
	items := make([]map[string]notify.Arg, 0, len(conflicts))
	for _, c := range conflicts {
		who := notify.Label("who", "pool")
		if c.Partner != "" {
			who = notify.Arg{V: c.Partner}
			if p, err := app.FindRecordById("partners", c.Partner); err == nil {
				who = notify.Arg{V: p.GetString("name")}
			}
		}
		kind := c.Kind
		if c.Pending {
			kind = "pending"
		}
		items = append(items, map[string]notify.Arg{"kind": notify.Label("conflict", kind), "record": {V: c.Record}, "who": who,
			"keys": {V: strings.Join(c.Keys, "+")}})
	}
	return notify.List("conflict.item", items)
}

// oppArgs are the name and amount of an opportunity in a message.
func oppArgs(rec *core.Record) []any {
	name := rec.GetString("name")
	if name == "" {
		name = rec.GetString("company")
	}
	return []any{"opportunity", name, "amount", notify.Money(rec.GetFloat("amount")), "company", rec.GetString("company"), "id", rec.Id}
}

// notifyRegistration tells the channel managers a registration waits for
// their decision, with its conflicts.
func notifyRegistration(tx core.App, rec *core.Record, conflicts []RegistrationConflict) error {
	ids, err := validatorsOf(tx, rec)
	if err != nil {
		return err
	}
	args := append(oppArgs(rec), "postal_code", rec.GetString("postal_code"))
	if len(conflicts) > 0 {
		args = append(args, "conflicts", conflictList(tx, conflicts))
	}
	msg := notify.Msg("registration", args...)
	for _, id := range ids {
		if err := notify.Send(tx, id, "registration", "", msg); err != nil {
			return err
		}
	}
	return nil
}

// registrationForDecision checks that the user decides registrations and
// may see and update this one.
func registrationForDecision(app core.App, user *core.Record, id string) error {
	if err := requireValidator(app, user, "decide deal registrations"); err != nil {
		return err
	}
	_, err := validatorView(app, user, id)
	return err
}

// ApproveRegistration approves a pending registration: it is protected for
// settings_prm.protection_days and its keys hold new matching leads for
// the channel manager. Approval is refused while another partner holds a
// protected registration for the same customer.
func ApproveRegistration(app core.App, by access.By, id string) (*core.Record, error) {
	if err := registrationForDecision(app, by.User, id); err != nil {
		return nil, err
	}
	var out *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		rec, err := pendingRegistration(tx, id)
		if err != nil {
			return err
		}
		keys, err := registrationKeys(rec)
		if err != nil {
			return err
		}
		conflicts, err := registrationConflicts(tx, keys, rec.GetString("partner"), rec.Id)
		if err != nil {
			return err
		}
		for _, c := range conflicts {
			if c.Kind == "registration" && !c.Pending {
				return domain.Conflict("already_protected", "another partner holds a protected registration for this customer")
			}
		}
		now := time.Now()
		settings, err := access.LoadSettings(tx)
		if err != nil {
			return err
		}
		until := protectionEnd(now, settings.ProtectionDays)
		rec.Set("registration_status", "approved")
		rec.Set("protected_until", until)
		rec.Set("registration_decided_by", by.User.Id)
		rec.Set("registration_decided_at", now)
		changes := audit.Diff(rec)
		if err := tx.Save(rec); err != nil {
			return err
		}
		if err := intake.DeleteKeys(tx, "registration", rec.Id); err != nil {
			return err
		}
		if err := intake.SaveKeys(tx, "registration", rec.Id, rec.GetString("partner"), keys); err != nil {
			return err
		}
		if err := audit.Append(tx, by.Actor, "registration.approve", "opportunities", rec.Id, changes); err != nil {
			return err
		}
		msg := notify.Msg("registration_approved", append(oppArgs(rec), "until", notify.Day(until))...)
		if err := notifyPartner(tx, rec, "registration_approved", msg); err != nil {
			return err
		}
		out = rec
		return nil
	})
	return out, err
}

// RejectRegistration rejects a pending registration with a reason, which
// the partner sees.
func RejectRegistration(app core.App, by access.By, id, reason string) (*core.Record, error) {
	if err := registrationForDecision(app, by.User, id); err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	if len([]rune(reason)) < 3 {
		return nil, domain.Invalid("required", "reason", "a reason is required to reject a registration")
	}
	if len([]rune(reason)) > 1000 {
		return nil, domain.Invalid("too_long", "reason", "the reason is longer than 1000 characters")
	}
	var out *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		rec, err := pendingRegistration(tx, id)
		if err != nil {
			return err
		}
		rec.Set("registration_status", "rejected")
		rec.Set("rejection_reason", reason)
		rec.Set("registration_decided_by", by.User.Id)
		rec.Set("registration_decided_at", time.Now())
		changes := audit.Diff(rec)
		if err := tx.Save(rec); err != nil {
			return err
		}
		if err := audit.Append(tx, by.Actor, "registration.reject", "opportunities", rec.Id, changes); err != nil {
			return err
		}
		msg := notify.Msg("registration_rejected", append(oppArgs(rec), "reason", reason)...)
		if err := notifyPartner(tx, rec, "registration_rejected", msg); err != nil {
			return err
		}
		out = rec
		return nil
	})
	return out, err
}

// registrationKeys returns the normalised keys stored on a registration.
func registrationKeys(rec *core.Record) ([]string, error) {
	var keys []string
	if raw := rec.GetString("registration_keys"); raw == "" || raw == "null" {
		return nil, nil
	}
	err := rec.UnmarshalJSONField("registration_keys", &keys)
	return keys, err
}

// pendingRegistration re-reads a registration inside the decision's write
// transaction; registrationForDecision checked it through the rules first.
func pendingRegistration(tx core.App, id string) (*core.Record, error) {
	rec, err := tx.FindRecordById("opportunities", id)
	if err != nil {
		return nil, domain.ErrNotVisible
	}
	switch rec.GetString("registration_status") {
	case "pending":
		return rec, nil
	case "":
		return nil, domain.Conflict("not_a_registration", "this opportunity is not a deal registration")
	}
	return nil, domain.Conflict("registration_decided", "this registration has already been decided")
}

// notifyPartner notifies the registrant and its company's partner managers.
func notifyPartner(tx core.App, rec *core.Record, kind string, msg notify.Message) error {
	ids, err := partnerRecipients(tx, rec)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := notify.Send(tx, id, kind, "", msg); err != nil {
			return err
		}
	}
	return nil
}

// protectionEnd is when a registration approved at now stops being
// protected.
func protectionEnd(now time.Time, days int) time.Time {
	return now.Add(time.Duration(days) * 24 * time.Hour)
}
