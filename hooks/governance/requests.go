package governance

import (
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/notify"
	"github.com/relais/relais/hooks/roles"
)

// Access requests (SPEC §5): a user asks for a right with a justification
// through the REST API (POST /api/collections/access_requests/records,
// rule in policy.fixedRules: for themselves, status pending, no decision
// fields). An admin — or a channel manager, for a territory request on a
// territory they manage — approves it with an expiry, which creates the
// grant, or rejects it with a reason. Nobody decides their own request.
// The requester is notified either way; approvers are notified of new
// requests. Every step is audited (access_requests.create by the REST
// API's audit, access_requests.approve / reject here).

// Audit actions of access requests.
const (
	ActionRequestApprove = "access_requests.approve"
	ActionRequestReject  = "access_requests.reject"
)

// ValidateRequest checks what a new access request asks for.
func ValidateRequest(app core.App, r *core.Record) error {
	fail := func(field, msg string) error {
		return validation.Errors{field: validation.NewError("invalid_request", msg)}
	}
	switch r.GetString("kind") {
	case "territory":
		if t := r.GetString("territory"); t == "" {
			return fail("territory", "a territory request names the territory")
		} else if _, err := app.FindRecordById("territories", t); err != nil {
			return fail("territory", "unknown territory")
		}
	case "export":
		if !exportableResource(app, r.GetString("resource")) {
			return fail("resource", "an export request names an exportable resource (leads, accounts, …)")
		}
	case "role":
		return fail("kind", "temporary roles cannot be requested; ask an administrator to change your role")
	}
	if strings.TrimSpace(r.GetString("justification")) == "" {
		return fail("justification", "a justification is required")
	}
	return nil
}

// NotifyApprovers tells the active admins, and for a territory request the
// channel managers of that territory, that a request waits.
func NotifyApprovers(app core.App, r *core.Record) error {
	users, err := app.FindAllRecords("users", dbx.HashExp{"active": true})
	if err != nil {
		return err
	}
	requester := r.GetString("requester")
	for _, u := range users {
		if u.Id == requester || !mayDecide(u, r) {
			continue
		}
		msg := notify.Msg("access_request", "kind", notify.Label("request_kind", r.GetString("kind")), "details", r.GetString("details"))
		if err := notify.Send(app, u.Id, "access_request", "", msg); err != nil {
			return err
		}
	}
	return nil
}

// IsApprover reports whether auth may decide some access requests.
func IsApprover(app core.App, auth *core.Record) bool {
	if IsAdmin(app, auth) {
		return true
	}
	return auth != nil && auth.Collection().Name == "users" && auth.GetString("role") == roles.ChannelManager &&
		access.AccountBlock(app, auth, time.Now()) == ""
}

// mayDecide reports whether an (active) approver may decide r: admins and
// superusers any request, channel managers territory requests on the
// territories they manage. Nobody decides their own request.
func mayDecide(approver *core.Record, r *core.Record) bool {
	if approver.IsSuperuser() {
		return true
	}
	if approver.Id == r.GetString("requester") {
		return false
	}
	switch approver.GetString("role") {
	case roles.Admin:
		return true
	case roles.ChannelManager:
		return r.GetString("kind") == "territory" && slices.Contains(approver.GetStringSlice("territories"), r.GetString("territory"))
	}
	return false
}

// findDecidable loads a pending request the approver may decide.
func findDecidable(tx core.App, approver *core.Record, id string) (*core.Record, error) {
	if !IsApprover(tx, approver) {
		return nil, domain.ErrForbidden
	}
	r, err := tx.FindRecordById("access_requests", id)
	if err != nil {
		return nil, domain.MissingAsNotVisible(err)
	}
	if !approver.IsSuperuser() && approver.Id == r.GetString("requester") {
		return nil, domain.Errorf(domain.KindForbidden, "own_request", "", "nobody decides their own access request")
	}
	if !mayDecide(approver, r) {
		return nil, domain.ErrNotVisible
	}
	if r.GetString("status") != "pending" {
		return nil, domain.Errorf(domain.KindConflict, "already_decided", "", "this request has already been decided")
	}
	return r, nil
}

// ApproveAccessRequest approves a pending request: it creates the grant
// (running from now to expires), records the decision, notifies the
// requester and writes one access_requests.approve entry, in one
// transaction. It returns the grant.
func ApproveAccessRequest(app core.App, approver *core.Record, by audit.Actor, id string, expires time.Time, reason string, now time.Time) (*core.Record, error) {
	var grant *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		r, err := findDecidable(tx, approver, id)
		if err != nil {
			return err
		}
		grantedBy := ""
		if !approver.IsSuperuser() {
			grantedBy = approver.Id
		}
		why := strings.TrimSpace(reason)
		if why == "" {
			why = r.GetString("justification")
		}
		grant, err = newGrant(tx, GrantSpec{
			User: r.GetString("requester"), Kind: r.GetString("kind"), Territory: r.GetString("territory"),
			Resource: r.GetString("resource"), Starts: now, Expires: expires, Reason: why, GrantedBy: grantedBy,
		}, now)
		if err != nil {
			return err
		}
		decide(r, approver, "approved", reason, now)
		r.Set("grant", grant.Id)
		if err := tx.Save(r); err != nil {
			return err
		}
		msg := notify.Msg("access_approved", "expires", notify.Time(expires), "reason", reason)
		if err := notify.Send(tx, r.GetString("requester"), "access_request", "", msg); err != nil {
			return err
		}
		return audit.Append(tx, by, ActionRequestApprove, "access_requests", r.Id, map[string]any{
			"requester": r.GetString("requester"), "kind": r.GetString("kind"), "territory": r.GetString("territory"),
			"resource": r.GetString("resource"), "grant": grant.Id, "expires": grant.GetString("expires"), "reason": reason,
		})
	})
	if err != nil {
		return nil, err
	}
	return grant, nil
}

// RejectAccessRequest rejects a pending request with a reason (required),
// notifies the requester and writes one access_requests.reject entry.
func RejectAccessRequest(app core.App, approver *core.Record, by audit.Actor, id, reason string, now time.Time) error {
	return app.RunInTransaction(func(tx core.App) error {
		r, err := findDecidable(tx, approver, id)
		if err != nil {
			return err
		}
		if strings.TrimSpace(reason) == "" {
			return domain.Errorf(domain.KindInvalid, "reason_required", "reason", "a rejection needs a reason")
		}
		decide(r, approver, "rejected", reason, now)
		if err := tx.Save(r); err != nil {
			return err
		}
		if err := notify.Send(tx, r.GetString("requester"), "access_request", "", notify.Msg("access_rejected", "reason", reason)); err != nil {
			return err
		}
		return audit.Append(tx, by, ActionRequestReject, "access_requests", r.Id, map[string]any{
			"requester": r.GetString("requester"), "kind": r.GetString("kind"), "territory": r.GetString("territory"),
			"resource": r.GetString("resource"), "reason": reason,
		})
	})
}

// decide records a decision on a request (the caller saves it).
func decide(r, approver *core.Record, status, reason string, now time.Time) {
	r.Set("status", status)
	if !approver.IsSuperuser() {
		r.Set("decided_by", approver.Id)
	}
	r.Set("decided_at", now)
	r.Set("decision_reason", reason)
}

// PendingAccessRequests lists the pending requests approver may decide,
// oldest first (for the approval page).
func PendingAccessRequests(app core.App, approver *core.Record) ([]*core.Record, error) {
	if !IsApprover(app, approver) {
		return nil, domain.ErrForbidden
	}
	all, err := app.FindRecordsByFilter("access_requests", "status = 'pending'", "created", 0, 0)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, r := range all {
		if mayDecide(approver, r) {
			out = append(out, r)
		}
	}
	return out, nil
}

// RequestCreated makes a new access request pending and notifies its
// approvers once it is saved. Bind it to OnRecordCreate of
// access_requests.
func RequestCreated(e *core.RecordEvent) error {
	if e.Record.GetString("status") == "" {
		e.Record.Set("status", "pending")
	}
	if err := e.Next(); err != nil {
		return err
	}
	return NotifyApprovers(e.App, e.Record)
}

// Requester is who filed an access request, as the deciders of the
// request see it: to decide they must know who asks.
type Requester struct {
	Name, Email, Role, Partner string // Partner: the partner company's name
}

// RequestersOf returns, by user id, the requesters of the requests among
// reqs that approver may decide (the others are left out: a decider
// learns nothing about a request that is not theirs to decide).
func RequestersOf(app core.App, approver *core.Record, reqs []*core.Record) (map[string]Requester, error) {
	out := map[string]Requester{}
	if !IsApprover(app, approver) {
		return out, nil
	}
	for _, r := range reqs {
		id := r.GetString("requester")
		if _, done := out[id]; done || !mayDecide(approver, r) {
			continue
		}
		u, err := app.FindRecordById("users", id)
		if err != nil {
			return nil, domain.MissingAsNotVisible(err)
		}
		who := Requester{Name: u.GetString("name"), Email: u.Email(), Role: u.GetString("role")}
		if pid := u.GetString("partner"); pid != "" {
			p, err := app.FindRecordById("partners", pid)
			if err != nil {
				return nil, domain.MissingAsNotVisible(err)
			}
			who.Partner = p.GetString("name")
		}
		out[id] = who
	}
	return out, nil
}
