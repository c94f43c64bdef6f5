package deals

import (
	"errors"
	"fmt"
	"slices"
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
	"github.com/relais/relais/hooks/roles"
)

// Opportunities: the stage machine of stage.go applied to the records.
// The REST API, the stage and validation routes and the lead → opportunity
// route all go through ApplyStage, so a win above
// settings_prm.won_validation_amount becomes a pending validation whatever
// the channel.

// oppDecisionFields are Hidden opportunity fields that Relais sets (clients
// cannot write or filter them) and that whoever sees the record may read.
var oppDecisionFields = []string{
	"registration_decided_by", "registration_decided_at", "rejection_reason",
	"won_pending", "won_requested_by", "won_requested_at", "won_validated_by", "won_validated_at", "validation_note",
}

// oppConflictFields are Hidden and shown to internal roles only: the
// registrant never learns who it collides with.
var oppConflictFields = []string{"conflict_kind", "conflict_ref", "conflict_partner", "conflict_details"}

// ShowOpportunityFields unhides, on an opportunity about to be sent to
// auth, the decision fields for whoever sees the record and the conflict
// fields for internal roles and superusers.
func ShowOpportunityFields(app core.App, auth, rec *core.Record) error {
	if auth == nil {
		return nil
	}
	rec.Unhide(oppDecisionFields...)
	kind, err := access.RoleKindOf(app, auth)
	if err != nil {
		return err
	}
	if auth.IsSuperuser() || kind == roles.Internal {
		rec.Unhide(oppConflictFields...)
	}
	return nil
}

// actorOf returns who acts for the stage machine: the kind of the
// user's role, and whether the role validates wins. A validator is an
// internal role that updates opportunities at the territory or all level
// of the matrix (by default: channel managers and admins). Superusers
// validate.
func actorOf(app core.App, user *core.Record) (Actor, error) {
	if user == nil {
		return Actor{}, nil
	}
	if user.IsSuperuser() {
		return Actor{Kind: roles.Internal, Validator: true}, nil
	}
	kind, err := access.RoleKindOf(app, user)
	if err != nil {
		return Actor{}, err
	}
	a := Actor{Kind: kind}
	if kind != roles.Internal {
		return a, nil
	}
	m, err := access.CachedMatrix(app)
	if err != nil {
		return a, err
	}
	lvl := m.Cell(user.GetString("role"), "opportunities").Update
	a.Validator = lvl == policy.Territory || lvl == policy.All
	return a, nil
}

// dealError converts a refusal of the stage machine into a domain error.
func dealError(err error) error {
	var de *Error
	if errors.As(err, &de) {
		return domain.Invalid(de.Code, de.Field, de.Reason)
	}
	return err
}

// ApplyStage applies the stage machine to a loaded (not yet saved)
// opportunity change by user. On Pending it puts the stage back and
// records the win request; on Apply it stamps a validator's win and
// withdraws a pending request the change supersedes.
func ApplyStage(app core.App, user *core.Record, rec *core.Record) (Outcome, error) {
	orig := rec.Original()
	from, to := orig.GetString("stage"), rec.GetString("stage")
	amountChanged := orig.GetFloat("amount") != rec.GetFloat("amount")
	if from == to && !amountChanged {
		return Apply, nil
	}
	actor, err := actorOf(app, user)
	if err != nil {
		return "", err
	}
	settings, err := access.LoadSettings(app)
	if err != nil {
		return "", err
	}
	threshold := settings.WonValidationAmount
	outcome, err := Decide(actor, Change{
		From: from, To: to, Amount: rec.GetFloat("amount"), AmountChanged: amountChanged,
		LostReason: rec.GetString("lost_reason"), Threshold: threshold,
	})
	if err != nil {
		return "", dealError(err)
	}
	now := types.NowDateTime()
	uid := ""
	if user != nil {
		uid = user.Id
	}
	switch {
	case outcome == Pending:
		rec.Set("stage", from)
		rec.Set("won_pending", true)
		rec.Set("won_requested_by", uid)
		rec.Set("won_requested_at", now)
	case to == Won && from != Won:
		rec.Set("won_pending", false)
		if actor.Validator && threshold > 0 && rec.GetFloat("amount") > threshold {
			rec.Set("won_validated_by", uid)
			rec.Set("won_validated_at", now)
		}
		if rec.GetDateTime("close_date").IsZero() {
			rec.Set("close_date", now)
		}
	case to != from:
		// a new stage withdraws a win request made from the old one
		rec.Set("won_pending", false)
	}
	return outcome, nil
}

// PrepareOpportunity completes an opportunity created through the
// REST API: default stage, the stage machine's creation row, the territory
// derived from its lead or account, and the customer's company. Every role
// may only link a lead or an account it can see: the CreateRule checks the
// opportunity, not what its relations point to (a sales creating
// {account: own, lead: another partner's} copied that lead's company), and
// the lead and the account are read for the user, through their ViewRule
// (relations.go refuses the same ids earlier on the REST API).
func PrepareOpportunity(app core.App, user *core.Record, rec *core.Record) error {
	if rec.GetString("stage") == "" {
		rec.Set("stage", Prospecting)
	}
	actor, err := actorOf(app, user)
	if err != nil {
		return err
	}
	if _, err := Decide(actor, Change{To: rec.GetString("stage")}); err != nil {
		return dealError(err)
	}
	for _, f := range []struct{ field, collection string }{{"lead", "leads"}, {"account", "accounts"}} {
		id := rec.GetString(f.field)
		if id == "" {
			continue
		}
		src, err := access.ViewFor(app, user, f.collection, id)
		if errors.Is(err, domain.ErrNotVisible) {
			return access.UnknownRelation(f.field)
		}
		if err != nil {
			return err
		}
		if f.field == "lead" && actor.Kind == roles.Partner && !lifecycle.Worked(src.GetString("status")) {
			return domain.Conflict("lead_not_accepted", "an opportunity is opened from an accepted lead")
		}
		if rec.GetString("territory") == "" {
			rec.Set("territory", src.GetString("territory"))
		}
		if rec.GetString("company") == "" {
			rec.Set("company", src.GetString(map[string]string{"lead": "company", "account": "name"}[f.field]))
		}
		if rec.GetString("postal_code") == "" {
			rec.Set("postal_code", src.GetString("postal_code"))
		}
	}
	return nil
}

// OpportunityInput is the body of POST /api/prm/leads/{id}/opportunity.
type OpportunityInput struct {
	Name      string   `json:"name"`
	Stage     string   `json:"stage"`
	Amount    *float64 `json:"amount"`
	CloseDate string   `json:"close_date"`
	Account   string   `json:"account"`
}

// OpportunityFromLead opens the opportunity of a worked lead (accepted by a
// partner, or worked by internal sales). The caller must see the lead and
// its role must create opportunities (matrix); the collection's CreateRule
// is checked on the new record as the REST API would. One lead has at most
// one opportunity.
func OpportunityFromLead(app core.App, by access.By, leadID string, in OpportunityInput) (*core.Record, error) {
	user := by.User
	if user == nil || user.Collection().Name != "users" {
		return nil, domain.ErrForbidden
	}
	kind, err := access.RoleKindOf(app, user)
	if err != nil {
		return nil, err
	}
	m, err := access.CachedMatrix(app)
	if err != nil {
		return nil, err
	}
	if err := openingRefusal(kind, m.Cell(user.GetString("role"), "opportunities").Create); err != nil {
		return nil, err
	}
	lead, err := access.ViewFor(app, user, "leads", leadID)
	if err != nil {
		return nil, err
	}
	if err := leadRefusal(kind, lead.GetString("status"), lead.GetString("partner"), user.GetString("partner")); err != nil {
		return nil, err
	}
	coll, err := app.FindCachedCollectionByNameOrId("opportunities")
	if err != nil {
		return nil, err
	}
	actor, err := actorOf(app, user)
	if err != nil {
		return nil, err
	}
	// never a private customer's name by default: it stays in lead_contacts
	body, err := opportunityFields(in, intake.LeadName(lead), lead.GetFloat("estimated_value"), actor)
	if err != nil {
		return nil, err
	}
	body["lead"] = lead.Id
	if in.Account != "" {
		if _, err := access.ViewFor(app, user, "accounts", in.Account); err != nil {
			return nil, domain.Invalid("invalid_value", "account", "unknown account")
		}
		body["account"] = in.Account
	}
	rec := core.NewRecord(coll)
	access.LoadBody(rec, body)
	// derived, never sent: the lead's partner and territory
	rec.Set("partner", lead.GetString("partner"))
	rec.Set("territory", lead.GetString("territory"))
	rec.Set("company", lead.GetString("company"))
	rec.Set("postal_code", lead.GetString("postal_code"))
	if !user.IsSuperuser() {
		ok, err := access.CheckCreateRule(app, user, coll, rec, body)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, domain.Forbidden("not_allowed", "you may not open an opportunity on this lead")
		}
	}
	if err := saveFromLead(app, by.Actor, rec, lead.Id); err != nil {
		return nil, err
	}
	return rec, nil
}

// saveFromLead saves the opportunity of a lead with its audit entry,
// unless the lead already has one.
func saveFromLead(app core.App, actor audit.Actor, rec *core.Record, leadID string) error {
	return app.RunInTransaction(func(tx core.App) error {
		var n int
		// not a read for the user: the one-opportunity-per-lead invariant
		// holds across every rule (the lead itself was read through ViewFor)
		if err := tx.DB().NewQuery("SELECT COUNT(*) FROM opportunities WHERE lead = {:l}").Bind(dbx.Params{"l": leadID}).Row(&n); err != nil {
			return err
		}
		if n > 0 {
			return domain.Conflict("opportunity_exists", "this lead already has an opportunity")
		}
		changes := audit.Diff(rec)
		if err := tx.Save(rec); err != nil {
			return err
		}
		return audit.Append(tx, actor, "opportunity.create_from_lead", "opportunities", rec.Id, changes)
	})
}

// openingRefusal refuses a role that may not open opportunities from
// leads: an integration or an unknown role, or one whose matrix cell does
// not grant create (canCreate).
func openingRefusal(kind roles.Kind, canCreate bool) error {
	if kind == roles.Integration || kind == "" || !canCreate {
		return domain.Forbidden("not_allowed", "your role may not create opportunities")
	}
	return nil
}

// leadRefusal refuses the lead an opportunity would be opened from: one
// not yet worked (lifecycle.Worked), and for a partner role one of another
// company (which it does not see).
func leadRefusal(kind roles.Kind, status, leadPartner, userPartner string) error {
	if !lifecycle.Worked(status) {
		return domain.Conflict("lead_not_accepted", "an opportunity is opened from an accepted lead")
	}
	if kind == roles.Partner && leadPartner != userPartner {
		return domain.ErrNotVisible
	}
	return nil
}

// opportunityFields validates the body of an opportunity opened from a
// lead and returns the fields it sets: the name (leadName by default, at
// most 200 characters), the stage (prospecting by default; one actor may
// create), the amount (the lead's estimated value by default, not
// negative) and the close date.
func opportunityFields(in OpportunityInput, leadName string, estimated float64, actor Actor) (map[string]any, error) {
	name := strings.TrimSpace(in.Name)
	if name == "" {
		name = leadName
	}
	if len([]rune(name)) > 200 {
		return nil, domain.Invalid("too_long", "name", "name is longer than 200 characters")
	}
	stage := in.Stage
	if stage == "" {
		stage = Prospecting
	}
	if _, err := Decide(actor, Change{To: stage}); err != nil {
		return nil, dealError(err)
	}
	amount := estimated
	if in.Amount != nil {
		amount = *in.Amount
	}
	if amount < 0 {
		return nil, domain.Invalid("out_of_range", "amount", "amount cannot be negative")
	}
	body := map[string]any{"name": name, "stage": stage, "amount": amount}
	if in.CloseDate != "" {
		d, err := types.ParseDateTime(in.CloseDate)
		if err != nil || d.IsZero() {
			return nil, domain.Invalid("invalid_value", "close_date", "close_date must be a date such as 2026-12-31")
		}
		body["close_date"] = d
	}
	return body, nil
}

// StageInput is the body of POST /api/prm/opportunities/{id}/stage.
type StageInput struct {
	Stage      string   `json:"stage"`
	Amount     *float64 `json:"amount"`
	CloseDate  string   `json:"close_date"`
	LostReason string   `json:"lost_reason"`
}

// MoveStage changes the stage of an opportunity (and its amount, close date
// and lost reason) for a user who may update it. A win above the
// validation amount by a non-validator is stored as a pending validation
// (the stage does not change; the channel managers are notified); the
// outcome tells which.
func MoveStage(app core.App, by access.By, id string, in StageInput) (*core.Record, Outcome, error) {
	rec, err := access.ViewFor(app, by.User, "opportunities", id)
	if err != nil {
		return nil, "", err
	}
	if !Valid(in.Stage) {
		return nil, "", domain.Invalid(CodeUnknownStage, "stage", "stage must be one of "+strings.Join(Stages(), ", "))
	}
	body := map[string]any{"stage": in.Stage}
	if in.Amount != nil {
		if *in.Amount < 0 {
			return nil, "", domain.Invalid("out_of_range", "amount", "amount cannot be negative")
		}
		body["amount"] = *in.Amount
	}
	if in.CloseDate != "" {
		d, err := types.ParseDateTime(in.CloseDate)
		if err != nil || d.IsZero() {
			return nil, "", domain.Invalid("invalid_value", "close_date", "close_date must be a date such as 2026-12-31")
		}
		body["close_date"] = d
	}
	// The update rule is checked with the fields a partner may send; the
	// lost reason is part of the stage move this route offers.
	ok, err := access.CanDo(app, by.User, rec, "update", body)
	if err != nil {
		return nil, "", err
	}
	if !ok {
		return nil, "", domain.Forbidden("not_allowed", "you may not change this opportunity")
	}
	reason := strings.TrimSpace(in.LostReason)
	if len([]rune(reason)) > 500 {
		return nil, "", domain.Invalid("too_long", "lost_reason", "the reason is longer than 500 characters")
	}
	if reason != "" {
		body["lost_reason"] = reason
	}
	access.LoadBody(rec, body)
	outcome, err := ApplyStage(app, by.User, rec)
	if err != nil {
		return nil, "", err
	}
	err = app.RunInTransaction(func(tx core.App) error {
		changes := audit.Diff(rec)
		if err := tx.Save(rec); err != nil {
			return err
		}
		action := "opportunity.stage"
		if outcome == Pending {
			action = "opportunity.win_requested"
			if err := NotifyWinToValidate(tx, rec, by.User); err != nil {
				return err
			}
		}
		return audit.Append(tx, by.Actor, action, "opportunities", rec.Id, changes)
	})
	if err != nil {
		return nil, "", err
	}
	return rec, outcome, nil
}

// requireValidator refuses users whose role does not validate wins and
// decide registrations (channel managers in their territories, admins).
func requireValidator(app core.App, user *core.Record, what string) error {
	if user == nil {
		return domain.ErrForbidden
	}
	a, err := actorOf(app, user)
	if err != nil {
		return err
	}
	if !a.Validator {
		return domain.Forbidden("not_allowed", "only channel managers and admins "+what)
	}
	return nil
}

// validatorView returns the opportunity if the validator may see and
// update it (channel managers: their territories).
func validatorView(app core.App, user *core.Record, id string) (*core.Record, error) {
	rec, err := access.ViewFor(app, user, "opportunities", id)
	if err != nil {
		return nil, err
	}
	ok, err := access.CanDo(app, user, rec, "update", map[string]any{})
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, domain.ErrNotVisible
	}
	return rec, nil
}

// ValidateWin decides a pending win: approve moves the opportunity to won;
// reject (with a note) leaves its stage. The requester is notified.
func ValidateWin(app core.App, by access.By, id string, approve bool, note string) (*core.Record, error) {
	if err := requireValidator(app, by.User, "validate wins"); err != nil {
		return nil, err
	}
	if _, err := validatorView(app, by.User, id); err != nil {
		return nil, err
	}
	note = strings.TrimSpace(note)
	if !approve && len([]rune(note)) < 3 {
		return nil, domain.Invalid("required", "note", "a reason is required to refuse a win")
	}
	if len([]rune(note)) > 1000 {
		return nil, domain.Invalid("too_long", "note", "the note is longer than 1000 characters")
	}
	var out *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		// validatorView read it through the rules; this is the re-read
		// inside the write transaction (decisions are serialised)
		rec, err := tx.FindRecordById("opportunities", id)
		if err != nil {
			return domain.ErrNotVisible
		}
		if !rec.GetBool("won_pending") {
			return domain.Conflict("no_pending_win", "this opportunity has no win waiting for validation")
		}
		now := types.NowDateTime()
		action, title := "opportunity.win_reject", "Gain refusé / Win not validated: "
		rec.Set("won_pending", false)
		rec.Set("won_validated_by", by.User.Id)
		rec.Set("won_validated_at", now)
		rec.Set("validation_note", note)
		if approve {
			if rec.GetFloat("amount") <= 0 {
				return domain.Invalid(CodeOutcomeRequired, "amount", "a won opportunity needs an amount greater than zero")
			}
			rec.Set("stage", Won)
			if rec.GetDateTime("close_date").IsZero() {
				rec.Set("close_date", now)
			}
			action, title = "opportunity.win_validate", "Gain validé / Win validated: "
		}
		changes := audit.Diff(rec)
		if err := tx.Save(rec); err != nil {
			return err
		}
		if err := audit.Append(tx, by.Actor, action, "opportunities", rec.Id, changes); err != nil {
			return err
		}
		if req := rec.GetString("won_requested_by"); req != "" {
			body := oppLabel(rec)
			if note != "" {
				body += "\n" + note
			}
			if err := notify.Send(tx, req, "win_decision", rec.GetString("lead"), title+oppLabel(rec), body); err != nil {
				return err
			}
		}
		out = rec
		return nil
	})
	return out, err
}

// oppLabel is the short description of an opportunity in notifications:
// its name (or company) and amount; nothing about other partners.
func oppLabel(rec *core.Record) string {
	name := rec.GetString("name")
	if name == "" {
		name = rec.GetString("company")
	}
	return fmt.Sprintf("%s (%.0f €)", name, rec.GetFloat("amount"))
}

// validatorsOf returns the users who arbitrate an opportunity: the active
// channel managers of its territory and its partner's channel manager, or
// every active admin when there is none. A system read (who to notify):
// the ids are never shown to the user who acts.
func validatorsOf(app core.App, rec *core.Record) ([]string, error) {
	rows := []struct {
		ID string `db:"id"`
	}{}
	if t := rec.GetString("territory"); t != "" {
		err := app.DB().NewQuery(`SELECT DISTINCT u.id AS id FROM users u, json_each(CASE WHEN json_valid(u.territories) THEN u.territories ELSE '[]' END) t
			WHERE u.role = {:role} AND u.active = 1 AND t.value = {:t}`).Bind(dbx.Params{"t": t, "role": roles.ChannelManager}).All(&rows)
		if err != nil {
			return nil, err
		}
	}
	if p := rec.GetString("partner"); p != "" {
		more := rows[:0:0]
		err := app.DB().NewQuery(`SELECT u.id AS id FROM partners p JOIN users u ON u.id = p.channel_manager
			WHERE p.id = {:p} AND u.active = 1`).Bind(dbx.Params{"p": p}).All(&more)
		if err != nil {
			return nil, err
		}
		rows = append(rows, more...)
	}
	if len(rows) == 0 {
		if err := app.DB().NewQuery("SELECT id FROM users WHERE role = {:role} AND active = 1").Bind(dbx.Params{"role": roles.Admin}).All(&rows); err != nil {
			return nil, err
		}
	}
	var ids []string
	for _, r := range rows {
		if !slices.Contains(ids, r.ID) {
			ids = append(ids, r.ID)
		}
	}
	return ids, nil
}

// NotifyWinToValidate tells the validators that a win waits for them.
func NotifyWinToValidate(tx core.App, rec *core.Record, by *core.Record) error {
	ids, err := validatorsOf(tx, rec)
	if err != nil {
		return err
	}
	title := "Gain à valider / Win to validate: " + oppLabel(rec)
	for _, id := range ids {
		if by != nil && by.Id == id {
			continue
		}
		if err := notify.Send(tx, id, "win_validation", rec.GetString("lead"), title, "opportunity "+rec.Id); err != nil {
			return err
		}
	}
	return nil
}

// partnerRecipients returns the registrant and the active partner managers
// of an opportunity's partner: who "the partner" is for a notification. A
// system read, like validatorsOf.
func partnerRecipients(app core.App, rec *core.Record) ([]string, error) {
	var ids []string
	if r := rec.GetString("registered_by"); r != "" {
		ids = append(ids, r)
	}
	rows := []struct {
		ID string `db:"id"`
	}{}
	if p := rec.GetString("partner"); p != "" {
		if err := app.DB().NewQuery("SELECT id FROM users WHERE partner = {:p} AND role = {:role} AND active = 1").
			Bind(dbx.Params{"p": p, "role": roles.PartnerManager}).All(&rows); err != nil {
			return nil, err
		}
	}
	for _, r := range rows {
		if !slices.Contains(ids, r.ID) {
			ids = append(ids, r.ID)
		}
	}
	return ids, nil
}

// protectionEnd is when a registration approved at now stops being
// protected.
func protectionEnd(now time.Time, days int) time.Time {
	return now.Add(time.Duration(days) * 24 * time.Hour)
}

func AccountKeys(a *core.Record) []string {
	return dedup.Keys(dedup.Input{Company: a.GetString("name"), PostalCode: a.GetString("postal_code"), SIRET: a.GetString("siren")})
}

// RefreshAccountKeys rewrites the duplicate keys of an account (kind
// account, with the account's partner) and its primary dedup_key.
func RefreshAccountKeys(app core.App, account *core.Record) error {
	if err := intake.DeleteKeys(app, "account", account.Id); err != nil {
		return err
	}
	keys := AccountKeys(account)
	if _, err := app.DB().NewQuery("UPDATE accounts SET dedup_key = {:k} WHERE id = {:id}").
		Bind(dbx.Params{"k": dedup.Primary(keys), "id": account.Id}).Execute(); err != nil {
		return err
	}
	return intake.SaveKeys(app, "account", account.Id, account.GetString("partner"), keys)
}

// accountKeyFields are the account fields its duplicate keys come from.
var accountKeyFields = []string{"name", "siren", "postal_code", "partner"}

// AccountCreated keeps the duplicate keys of a new account (SIREN, company
// + postal code) in dedup_keys, so that leads and deal registrations
// matching an account entrusted to a partner are detected (SPEC §4.2).
// Bind it to OnRecordCreate of accounts.
func AccountCreated(e *core.RecordEvent) error {
	e.Record.Set("dedup_key", dedup.Primary(AccountKeys(e.Record)))
	if err := e.Next(); err != nil {
		return err
	}
	return RefreshAccountKeys(e.App, e.Record)
}

// AccountUpdated rewrites the duplicate keys of an account whose key
// fields changed. Bind it to OnRecordUpdate of accounts.
func AccountUpdated(e *core.RecordEvent) error {
	changed := false
	for _, f := range accountKeyFields {
		if e.Record.Original().GetString(f) != e.Record.GetString(f) {
			changed = true
		}
	}
	if changed {
		e.Record.Set("dedup_key", dedup.Primary(AccountKeys(e.Record)))
	}
	if err := e.Next(); err != nil || !changed {
		return err
	}
	return RefreshAccountKeys(e.App, e.Record)
}

// AccountDeleted removes the duplicate keys of a deleted account. Bind it
// to OnRecordDelete of accounts.
func AccountDeleted(e *core.RecordEvent) error {
	if err := e.Next(); err != nil {
		return err
	}
	return intake.DeleteKeys(e.App, "account", e.Record.Id)
}

// OpportunityDeleted removes the duplicate keys of a deleted registration.
// Bind it to OnRecordDelete of opportunities.
func OpportunityDeleted(e *core.RecordEvent) error {
	if err := e.Next(); err != nil {
		return err
	}
	return intake.DeleteKeys(e.App, "registration", e.Record.Id)
}
