package hooks

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/roles"
)

// MaxBatch is the largest ingest batch.
const MaxBatch = 1000

// bindLeadRoutes registers the lead lifecycle routes of SPEC §6.
func bindLeadRoutes(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		g := se.Router.Group("/api/prm")
		g.POST("/leads/ingest", ingestRoute).Bind(apis.RequireAuth("users"))
		g.POST("/leads/ingest/batch", ingestBatchRoute).Bind(apis.RequireAuth("users"))
		g.POST("/webform/{formKey}", webformRoute)
		g.POST("/leads/{id}/assign", assignRoute).Bind(apis.RequireAuth("users"))
		g.POST("/leads/{id}/accept", acceptRoute).Bind(apis.RequireAuth("users"))
		g.POST("/leads/{id}/decline", declineRoute).Bind(apis.RequireAuth("users"))
		return se.Next()
	})
}

// canIngest reports whether the user's role may create leads (matrix).
func canIngest(app core.App, u *core.Record) bool {
	m, err := access.SharedMatrix(app) // read only
	if err != nil {
		return false
	}
	role, ok := m.Role(u.GetString("role"))
	return ok && role.Kind != roles.Partner && m.Cell(role.ID, "leads").Create
}

// leadJSON renders a lead as the caller may see it (rules, hidden fields).
func leadJSON(e *core.RequestEvent, id string) (*core.Record, error) {
	rec, err := access.ViewFor(e.App, e.Auth, "leads", id)
	if err != nil {
		return nil, err
	}
	if err := apis.EnrichRecord(e, rec); err != nil {
		return nil, err
	}
	return rec, nil
}

func ingestRoute(e *core.RequestEvent) error {
	if !canIngest(e.App, e.Auth) {
		return e.ForbiddenError("Your role may not create leads.", nil)
	}
	var in IngestInput
	if err := e.BindBody(&in); err != nil {
		return e.BadRequestError("The body must be a JSON lead.", nil)
	}
	if in.Source == "" {
		in.Source = "api"
	}
	it, err := NewIntake(e.App)
	if err != nil {
		return APIError(e, err)
	}
	res, err := it.Ingest(e.App, audit.ActorOf(e), e.Auth, in)
	if err != nil {
		return APIError(e, err)
	}
	if !res.Created {
		rec, err := leadJSON(e, res.Lead.Id)
		if err != nil {
			// a replay finds only the caller's own leads (findBySourceRef):
			// one it created and may no longer see (moved out of its scope)
			return APIError(e, domain.Conflict("source_ref_taken", "you already sent this source_ref, for a lead you can no longer see"))
		}
		return e.JSON(http.StatusOK, rec)
	}
	if res.Lead.GetString("status") == "ready" && !res.Held {
		if err := e.App.RunInTransaction(func(tx core.App) error {
			_, err := Distribute(tx, res.Lead.Id, audit.SystemActor("distribution"), time.Now())
			return err
		}); err != nil {
			e.App.Logger().Error("distribution after ingest failed", "lead", res.Lead.Id, "error", err)
		}
		// distribution changed the lead: read it again
		rec, err := leadJSON(e, res.Lead.Id)
		if err != nil {
			return APIError(e, err)
		}
		return e.JSON(http.StatusCreated, rec)
	}
	// the record just saved, as the rule and the hidden fields let the
	// caller see it (no second rule query)
	rec, err := savedLeadJSON(e, res.Lead)
	if err != nil {
		return APIError(e, err)
	}
	return e.JSON(http.StatusCreated, rec)
}

// BatchItem is the result of one lead of a batch.
type BatchItem struct {
	Index  int            `json:"index"`
	Status string         `json:"status"` // created | existing | error
	ID     string         `json:"id,omitempty"`
	Held   bool           `json:"held,omitempty"`
	Error  map[string]any `json:"error,omitempty"`
}

func ingestBatchRoute(e *core.RequestEvent) error {
	if !canIngest(e.App, e.Auth) {
		return e.ForbiddenError("Your role may not create leads.", nil)
	}
	var body struct {
		Leads []IngestInput `json:"leads"`
	}
	if err := e.BindBody(&body); err != nil {
		return e.BadRequestError(`The body must be {"leads": [...]}.`, nil)
	}
	if len(body.Leads) == 0 {
		return APIError(e, domain.Invalid("required", "leads", "leads is empty"))
	}
	if len(body.Leads) > MaxBatch {
		return APIError(e, domain.Invalid("too_many", "leads", "at most 1000 leads per batch"))
	}
	it, err := NewIntake(e.App)
	if err != nil {
		return APIError(e, err)
	}
	items, err := it.IngestBatch(e.App, audit.ActorOf(e), e.Auth, body.Leads)
	if err != nil {
		return APIError(e, err)
	}
	created := 0
	for _, i := range items {
		if i.Status == "created" {
			created++
		}
	}
	return e.JSON(http.StatusOK, map[string]any{"created": created, "items": items})
}

// IngestBatch ingests many leads in one transaction with a result per
// lead; an invalid lead does not stop the others. Distribution is left to
// the distribution job.
func (it *Intake) IngestBatch(app core.App, actor audit.Actor, creator *core.Record, leads []IngestInput) ([]BatchItem, error) {
	items := make([]BatchItem, len(leads))
	err := app.RunInTransaction(func(tx core.App) error {
		seen := map[string]int{}
		for i, in := range leads {
			items[i] = BatchItem{Index: i}
			if err := in.normalize(); err != nil {
				items[i].Status, items[i].Error = "error", errorData(err)
				continue
			}
			if in.SourceRef != "" {
				key := in.Source + "\x00" + in.SourceRef
				if j, dup := seen[key]; dup {
					items[i].Status, items[i].ID = "existing", items[j].ID
					continue
				}
				if existing, err := findBySourceRef(tx, in.Source, in.SourceRef, creatorID(creator)); err == nil {
					items[i].Status, items[i].ID = "existing", existing.Id
					seen[key] = i
					continue
				}
				seen[key] = i
			}
			res, err := it.create(tx, actor, creator, in)
			if err != nil {
				var de *domain.Error
				if errors.As(err, &de) {
					items[i].Status, items[i].Error = "error", errorData(err)
					continue
				}
				return err
			}
			items[i].Status, items[i].ID, items[i].Held = "created", res.Lead.Id, res.Held
		}
		return nil
	})
	return items, err
}

func errorData(err error) map[string]any {
	var de *domain.Error
	if errors.As(err, &de) {
		return map[string]any{"code": de.Code, "field": de.Field, "message": de.Message}
	}
	return map[string]any{"code": "error", "message": "invalid lead"}
}

// webformInput is the maker's public quote-request form.
type webformInput struct {
	Company    string `json:"company"`
	FirstName  string `json:"first_name"`
	LastName   string `json:"last_name"`
	Email      string `json:"email"`
	Phone      string `json:"phone"`
	PostalCode string `json:"postal_code"`
	City       string `json:"city"`
	Segment    string `json:"segment"`
	Interest   string `json:"interest"`
	Consent    bool   `json:"consent"`
	Website    string `json:"website"` // honeypot: humans leave it empty
}

func validFormKey(keys []string, key string) bool {
	ok := false
	for _, k := range keys {
		if k != "" && subtle.ConstantTimeCompare([]byte(k), []byte(key)) == 1 {
			ok = true
		}
	}
	return ok
}

func webformRoute(e *core.RequestEvent) error {
	received := map[string]any{"status": "received"}
	settings, err := access.LoadSettings(e.App)
	if err != nil {
		return APIError(e, err) // no key is valid when the settings cannot be read
	}
	if !validFormKey(settings.WebFormKeys, e.Request.PathValue("formKey")) {
		return e.NotFoundError("", nil)
	}
	var f webformInput
	if err := e.BindBody(&f); err != nil {
		return e.BadRequestError("Invalid form.", nil)
	}
	if strings.TrimSpace(f.Website) != "" {
		e.App.Logger().Info("web form honeypot triggered", "ip", e.RealIP())
		return e.JSON(http.StatusCreated, received) // look normal to the bot
	}
	if !f.Consent {
		return APIError(e, domain.Invalid("required", "consent", "consent is required to be contacted"))
	}
	if strings.TrimSpace(f.Email) == "" && strings.TrimSpace(f.Phone) == "" {
		return APIError(e, domain.Invalid("required", "email", "an e-mail or a phone number is required"))
	}
	// a request without a company is a private customer's: the name stays
	// in the contact (SPEC §3.3.3), the lead gets none
	company := strings.TrimSpace(f.Company)
	in := IngestInput{
		Company: company, Segment: f.Segment, PostalCode: f.PostalCode, City: f.City, Source: "web", Interest: f.Interest, Consent: true,
		Private: company == "", Contact: &ContactInput{FirstName: f.FirstName, LastName: f.LastName, Email: f.Email, Phone: f.Phone},
	}
	if in.Segment == "" && in.Private {
		in.Segment = "residential"
	}
	it, err := NewIntake(e.App)
	if err != nil {
		return APIError(e, err)
	}
	actor := audit.ActorOf(e)
	actor.ID = "webform"
	if _, err := it.Ingest(e.App, actor, nil, in); err != nil {
		return APIError(e, err)
	}
	return e.JSON(http.StatusCreated, received)
}

func assignRoute(e *core.RequestEvent) error {
	var body struct {
		Partner string `json:"partner"`
	}
	if err := e.BindBody(&body); err != nil {
		return e.BadRequestError("Invalid body.", nil)
	}
	return respondLead(e)(Assign(e.App, access.ByRequest(e), e.Request.PathValue("id"), body.Partner))
}

func acceptRoute(e *core.RequestEvent) error {
	var body struct {
		Assignee string `json:"assignee"`
	}
	if e.Request.ContentLength > 0 {
		if err := e.BindBody(&body); err != nil {
			return e.BadRequestError("Invalid body.", nil)
		}
	}
	lead, err := Accept(e.App, access.ByRequest(e), e.Request.PathValue("id"), body.Assignee)
	if err != nil {
		return APIError(e, err)
	}
	rec, err := savedLeadJSON(e, lead)
	if err != nil {
		return APIError(e, err)
	}
	return e.JSON(http.StatusOK, rec)
}

// savedLeadJSON renders a lead an action just saved as the caller may see
// it, like leadJSON but without reading it again: the ViewRule is decided
// in memory on the saved record (rulecheck.go) and the record is enriched
// like the REST API does (hidden fields stay hidden, OnRecordEnrich
// unhides per role, expand/fields apply). When the rule cannot be decided
// in memory, leadJSON's rule query answers.
func savedLeadJSON(e *core.RequestEvent, lead *core.Record) (*core.Record, error) {
	switch access.RuleView(e.App, e.Auth, lead) {
	case access.RuleFalse:
		return nil, domain.ErrNotVisible
	case access.RuleUnknown:
		return leadJSON(e, lead.Id)
	}
	if err := apis.EnrichRecord(e, lead); err != nil {
		return nil, err
	}
	return lead, nil
}

// respondLead answers with the lead an action returned, as the caller may
// see it, or with the action's error.
func respondLead(e *core.RequestEvent) func(*core.Record, error) error {
	return func(lead *core.Record, err error) error {
		if err != nil {
			return APIError(e, err)
		}
		rec, err := leadJSON(e, lead.Id)
		if err != nil {
			return APIError(e, err)
		}
		return e.JSON(http.StatusOK, rec)
	}
}

func declineRoute(e *core.RequestEvent) error {
	var body struct {
		Reason string `json:"reason"`
	}
	if err := e.BindBody(&body); err != nil {
		return e.BadRequestError("Invalid body.", nil)
	}
	if err := Decline(e.App, access.ByRequest(e), e.Request.PathValue("id"), body.Reason); err != nil {
		return APIError(e, err)
	}
	return e.JSON(http.StatusOK, map[string]any{"status": "declined"})
}
