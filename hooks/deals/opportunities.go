package deals

import (
	"errors"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/intake"
	"github.com/relais/relais/hooks/lifecycle"
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

// PrepareOpportunity completes an opportunity created through the
// REST API: default stage, the stage machine's creation row, the territory
// derived from its lead or account, and the customer's company. Every role
// may only link a lead or an account it can see: the CreateRule checks the
// opportunity, not what its relations point to (a sales creating
// {account: own, lead: another partner's} copied that lead's company), and
// the lead and the account are read for the user, through their ViewRule
// (access.CheckRelations refuses the same ids earlier on the REST API).
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

// OpportunityDeleted removes the duplicate keys of a deleted registration.
// Bind it to OnRecordDelete of opportunities.
func OpportunityDeleted(e *core.RecordEvent) error {
	if err := e.Next(); err != nil {
		return err
	}
	return intake.DeleteKeys(e.App, "registration", e.Record.Id)
}
