package intake

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/dedup"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/fieldcheck"
	"github.com/relais/relais/hooks/geo"
	"github.com/relais/relais/hooks/groupcommit"
	"github.com/relais/relais/hooks/lifecycle"
	"github.com/relais/relais/hooks/privacy"
)

// ContactInput is the optional nested contact of an ingested lead.
type ContactInput struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Title     string `json:"title"`
	Email     string `json:"email"`
	Phone     string `json:"phone"`
	Mobile    string `json:"mobile"`
}

// IngestInput is one lead pushed by a source (REST, web form, CSV import).
type IngestInput struct {
	Company        string        `json:"company"`
	Segment        string        `json:"segment"`
	CompanySize    string        `json:"company_size"`
	Country        string        `json:"country"`
	PostalCode     string        `json:"postal_code"`
	City           string        `json:"city"`
	Source         string        `json:"source"`
	SourceRef      string        `json:"source_ref"`
	Campaign       string        `json:"campaign"`
	Interest       string        `json:"interest"`
	SIRET          string        `json:"siret"`
	Score          *int          `json:"score"`
	EstimatedValue float64       `json:"estimated_value"`
	Consent        bool          `json:"consent"`
	Private        bool          `json:"private"` // a private customer's: the name goes in Contact, not Company
	Contact        *ContactInput `json:"contact"`
	// Appointment is the meeting the source booked, CallReport the report
	// of its call (appointment.go).
	Appointment *AppointmentInput `json:"appointment"`
	CallReport  string            `json:"call_report"`

	appointment *Appointment // checked by normalizeAppointment
}

// IngestResult tells what Ingest did.
type IngestResult struct {
	Lead    *core.Record
	Created bool
	// Held is true when the lead matched an open lead, a partner's account
	// or a protected registration and waits for the channel manager.
	Held bool
	// Distributed is true when the intake's Distributor ran for the lead
	// in the transaction that created it (whatever it decided: offered,
	// waiting for a partner). DistributionErr is why it did not, when it
	// failed: the lead is stored as ready, for the distribution job.
	Distributed     bool
	DistributionErr error
}

var (
	leadSources  = []string{"web", "phone", "campaign", "import", "api", "partner"}
	leadSegments = []string{"residential", "farm", "business", "industry", "public", "collective"}
	companySizes = []string{"1", "2-9", "10-49", "50-249", "250+"}
)

// normalize validates and cleans the input, returning a field-named error
// (the first one, in the order of the steps).
func (in *IngestInput) normalize() error {
	in.Company = strings.TrimSpace(in.Company)
	for _, step := range []func() error{in.checkTexts, in.separatePrivateName, in.normalizeSource, in.checkValues, in.normalizePlace, in.normalizeDetails, in.normalizeContact, in.normalizeAppointment} {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// textLimits are the longest values of the input's texts (the leads' and
// lead_contacts' field sizes); checkTexts checks them in this order.
var textLimits = []struct {
	field string
	max   int
	value func(in *IngestInput) string
}{
	{"company", 200, func(in *IngestInput) string { return in.Company }},
	{"segment", 40, func(in *IngestInput) string { return in.Segment }},
	{"company_size", 10, func(in *IngestInput) string { return in.CompanySize }},
	{"country", 40, func(in *IngestInput) string { return in.Country }},
	{"postal_code", 10, func(in *IngestInput) string { return strings.TrimSpace(in.PostalCode) }},
	{"city", 120, func(in *IngestInput) string { return strings.TrimSpace(in.City) }},
	{"source", 40, func(in *IngestInput) string { return in.Source }},
	{"source_ref", 120, func(in *IngestInput) string { return strings.TrimSpace(in.SourceRef) }},
	{"campaign", 40, func(in *IngestInput) string { return in.Campaign }},
	{"interest", 2000, func(in *IngestInput) string { return strings.TrimSpace(in.Interest) }},
	{"siret", 20, func(in *IngestInput) string { return strings.TrimSpace(in.SIRET) }},
}

// contactLimits are the longest values of the contact's texts.
var contactLimits = []struct {
	field string
	max   int
	value func(ct *ContactInput) string
}{
	{"contact.first_name", 100, func(ct *ContactInput) string { return strings.TrimSpace(ct.FirstName) }},
	{"contact.last_name", 100, func(ct *ContactInput) string { return strings.TrimSpace(ct.LastName) }},
	{"contact.title", 120, func(ct *ContactInput) string { return strings.TrimSpace(ct.Title) }},
	{"contact.email", 254, func(ct *ContactInput) string { return strings.TrimSpace(ct.Email) }},
	{"contact.phone", 30, func(ct *ContactInput) string { return strings.TrimSpace(ct.Phone) }},
	{"contact.mobile", 30, func(ct *ContactInput) string { return strings.TrimSpace(ct.Mobile) }},
}

// checkTexts checks every text of the input (fieldcheck.Text: clean
// characters, the field's size) before anything else reads it.
func (in *IngestInput) checkTexts() error {
	for _, l := range textLimits {
		if err := fieldcheck.Text(l.field, l.value(in), l.max); err != nil {
			return err
		}
	}
	if in.Contact == nil {
		return nil
	}
	for _, l := range contactLimits {
		if err := fieldcheck.Text(l.field, l.value(in.Contact), l.max); err != nil {
			return err
		}
	}
	return nil
}

// normalizeSource checks the source and its reference.
func (in *IngestInput) normalizeSource() error {
	in.Source = strings.ToLower(strings.TrimSpace(in.Source))
	if !slices.Contains(leadSources, in.Source) {
		return domain.Invalid("invalid_value", "source", "source must be one of "+strings.Join(leadSources, ", "))
	}
	in.SourceRef = strings.TrimSpace(in.SourceRef)
	if len(in.SourceRef) > 120 {
		return domain.Invalid("too_long", "source_ref", "source_ref is longer than 120 characters")
	}
	return nil
}

// checkValues checks the segment, the company size, the score and the
// estimated value.
func (in *IngestInput) checkValues() error {
	if in.Segment != "" && !slices.Contains(leadSegments, in.Segment) {
		return domain.Invalid("invalid_value", "segment", "segment must be one of "+strings.Join(leadSegments, ", "))
	}
	if in.CompanySize != "" && !slices.Contains(companySizes, in.CompanySize) {
		return domain.Invalid("invalid_value", "company_size", "company_size must be one of "+strings.Join(companySizes, ", "))
	}
	if in.Score != nil && (*in.Score < 0 || *in.Score > 100) {
		return domain.Invalid("out_of_range", "score", "score must be between 0 and 100")
	}
	return fieldcheck.Amount("estimated_value", in.EstimatedValue)
}

// normalizePlace checks the country (FR by default) and, in France, the
// postal code.
func (in *IngestInput) normalizePlace() error {
	c := strings.TrimSpace(in.Country)
	switch {
	case c == "" || geo.IsFrance(c):
		in.Country = "FR"
	case len(c) == 2:
		in.Country = strings.ToUpper(c)
	default:
		return domain.Invalid("invalid_value", "country", "country must be an ISO 3166 alpha-2 code such as FR")
	}
	if in.Country == "FR" {
		pc, _, err := fieldcheck.PostalCode("postal_code", in.PostalCode)
		if err != nil {
			return err
		}
		in.PostalCode = pc
	}
	return nil
}

// normalizeDetails checks the interest and the SIRET.
func (in *IngestInput) normalizeDetails() error {
	if s := strings.TrimSpace(in.SIRET); s != "" {
		if _, err := dedup.NormalizeSIREN(s); err != nil {
			return domain.Invalid("invalid_value", "siret", "siret is not a valid SIREN or SIRET number")
		}
		in.SIRET = strings.Join(strings.Fields(s), "")
	}
	return nil
}

// normalizeContact checks the contact's e-mail and writes its phones in
// E.164.
func (in *IngestInput) normalizeContact() error {
	ct := in.Contact
	if ct == nil {
		return nil
	}
	if ct.Email = strings.TrimSpace(ct.Email); ct.Email != "" && dedup.NormalizeEmail(ct.Email) == "" {
		return domain.Invalid("invalid_value", "contact.email", "contact.email is not a valid e-mail address")
	}
	for field, v := range map[string]*string{"contact.phone": &ct.Phone, "contact.mobile": &ct.Mobile} {
		if strings.TrimSpace(*v) == "" {
			continue
		}
		e164, err := dedup.NormalizePhone(*v, dedup.DefaultRegion)
		if err != nil {
			return domain.Invalid("invalid_value", field, field+" is not a valid phone number")
		}
		*v = e164
	}
	return nil
}

// separatePrivateName decides whether the lead is a private customer's
// (privacy.IsPrivate: flagged, residential, or a company naming a person,
// the contact's name included) and then moves the
// name its company held into the contact (privacy.Keep): a private
// customer's lead is stored without a company. A lead that is not private
// needs a company.
func (in *IngestInput) separatePrivateName() error {
	var ct privacy.Contact
	if in.Contact != nil {
		ct = privacy.Contact{FirstName: strings.TrimSpace(in.Contact.FirstName), LastName: strings.TrimSpace(in.Contact.LastName), Title: strings.TrimSpace(in.Contact.Title)}
	}
	in.Private = privacy.IsPrivate(privacy.Lead{Company: in.Company, Segment: in.Segment, Private: in.Private, FirstName: ct.FirstName, LastName: ct.LastName})
	if !in.Private {
		if in.Company == "" {
			return domain.Invalid("required", "company", msgCompanyRequired)
		}
		return nil
	}
	if kept, changed := privacy.Keep(in.Company, ct); changed {
		if in.Contact == nil {
			in.Contact = &ContactInput{}
		}
		in.Contact.FirstName, in.Contact.LastName, in.Contact.Title = kept.FirstName, cut(kept.LastName, 100), kept.Title
	}
	in.Company = ""
	return nil
}

// keys returns the normalised duplicate keys of the input.
func (in *IngestInput) keys() []string {
	d := dedup.Input{Company: in.Company, PostalCode: in.PostalCode, SIRET: in.SIRET}
	if in.Contact != nil {
		d.Email, d.Phone, d.Mobile = in.Contact.Email, in.Contact.Phone, in.Contact.Mobile
	}
	return dedup.Keys(d)
}

// Intake ingests leads; it caches the territories for a batch.
type Intake struct {
	app         core.App
	territories []geo.Territory
	settings    access.Settings
	now         time.Time
	distributor Distributor
}

// NewIntake prepares an intake over the current territories and settings
// (both from the in-memory caches of package access outside a
// transaction). The territories are shared: read them only.
func NewIntake(app core.App) (*Intake, error) {
	ts, err := access.CachedTerritories(app)
	if err != nil {
		return nil, err
	}
	settings, err := access.LoadSettings(app)
	if err != nil {
		return nil, err
	}
	return &Intake{app: app, territories: ts, settings: settings, now: time.Now()}, nil
}

// Ingest creates one lead (and its contact) unless the creator already
// sent source+source_ref, in which case that lead is returned (idempotent
// replay; another sender's reference is not a replay). The lead's département and territory are derived from its postal
// code; duplicate keys are checked against open leads, partners' accounts
// and protected registrations; a match holds the lead for the channel
// manager. A lead at or above the score threshold becomes `ready`.
// Distribution (offering) is done in the same transaction when the intake
// has a Distributor (DistributeReady), else by the caller after the commit.
// Concurrent calls are committed together (groupcommit.Run).
func (it *Intake) Ingest(app core.App, actor audit.Actor, creator *core.Record, in IngestInput) (IngestResult, error) {
	if err := in.normalize(); err != nil {
		return IngestResult{}, err
	}
	if in.SourceRef != "" {
		if existing, err := findBySourceRef(app, in.Source, in.SourceRef, creatorID(creator)); err == nil {
			return IngestResult{Lead: existing}, nil
		}
	}
	var res IngestResult
	distribute, distErr := it.prepareDistribution(app, in)
	aborted := false
	// concurrent single ingests share a transaction and its commit
	// (groupcommit): the lead is answered once the group is stored
	run := func() error {
		return groupcommit.Run(app, func(tx core.App) error {
			r, err := it.create(tx, actor, creator, in)
			res = r
			if err != nil || !distribute {
				return err
			}
			return it.distributeCreated(tx, &res, &distErr, &distribute, &aborted)
		})
	}
	err := run()
	if err != nil && aborted {
		err = run() // alone, the failed distribution rolled the lead back with it
	}
	res.DistributionErr = distErr
	if err != nil && in.SourceRef != "" {
		// a concurrent replay won the unique (source, source_ref, created_by) index
		if existing, ferr := findBySourceRef(app, in.Source, in.SourceRef, creatorID(creator)); ferr == nil {
			return IngestResult{Lead: existing}, nil
		}
	}
	return res, err
}

// SourceRefLookup is the idempotency lookup of findBySourceRef (its plan
// is tested).
const SourceRefLookup = "SELECT id FROM leads WHERE source = {:s} AND source_ref = {:r} AND created_by = {:c} AND source_ref != '' LIMIT 1"

// creatorID is the created_by of the leads a creator sends ("" for the web
// form and the commands).
func creatorID(creator *core.Record) string {
	if creator != nil && creator.Collection().Name == "users" {
		return creator.Id
	}
	return ""
}

// findBySourceRef finds the lead a creator (creatorID) sent with a source
// reference: references are the sender's own, so another sender's lead is
// never found (nor revealed) by a replay. The literal
// "source_ref is not empty" term lets SQLite use the partial unique index
// idx_leads_source_ref (without it, a lookup scans every lead).
//
// The lookup selects only the id (the usual answer is "none", and a plain
// id query is cheaper to prepare than the record query over every column);
// the record is loaded only for a replay.
func findBySourceRef(app core.App, source, ref, creator string) (*core.Record, error) {
	var id string
	err := app.DB().NewQuery(SourceRefLookup).Bind(dbx.Params{"s": source, "r": ref, "c": creator}).Row(&id)
	if err != nil {
		return nil, err
	}
	return app.FindRecordById("leads", id)
}

func (it *Intake) create(tx core.App, actor audit.Actor, creator *core.Record, in IngestInput) (IngestResult, error) {
	leads, err := tx.FindCachedCollectionByNameOrId("leads")
	if err != nil {
		return IngestResult{}, err
	}
	if err := checkCampaign(tx, creator, in.Campaign); err != nil {
		return IngestResult{}, err
	}
	lead := core.NewRecord(leads)
	dept, score := it.fill(lead, in, creator)
	keys := in.keys()
	lead.Set("dedup_key", dedup.Primary(keys))
	conflict, err := findConflict(tx, keys, "")
	if err != nil {
		return IngestResult{}, err
	}
	status := initialStatus(in.Score, it.settings.ScoreThreshold)
	if conflict != nil {
		hold(lead, conflict)
	}
	lead.Set("status", status)
	// both records are validated before either is written: a refused
	// contact must not leave its lead behind (a batch shares one
	// transaction)
	lead.Id = core.GenerateDefaultRandomId()
	contact, err := contactRecord(tx, in.Contact)
	if err != nil {
		return IngestResult{}, err
	}
	if contact, err = setAppointment(tx, lead, contact, in.appointment); err != nil {
		return IngestResult{}, err
	}
	if err := tx.Validate(lead); err != nil {
		return IngestResult{}, fieldcheck.AsDomain(err)
	}
	if err := validateContact(tx, contact); err != nil {
		return IngestResult{}, err
	}
	// validated just above (the same checks, PocketBase's and the
	// OnRecordValidate hooks): saved without a second validation, which
	// would only count again the territory and creator just resolved
	if err := tx.SaveNoValidate(lead); err != nil {
		return IngestResult{}, fieldcheck.AsDomain(err)
	}
	if contact != nil {
		// every field validated above; its lead is the one just saved
		contact.Set("lead", lead.Id)
		if err := tx.SaveNoValidate(contact); err != nil {
			return IngestResult{}, fmt.Errorf("contact: %w", fieldcheck.AsDomain(prefixed(contact, err)))
		}
	}
	if err := SaveKeys(tx, "lead", lead.Id, "", keys); err != nil {
		return IngestResult{}, err
	}
	report, err := saveCallReport(tx, lead.Id, creator, in.CallReport)
	if err != nil {
		return IngestResult{}, fmt.Errorf("call_report: %w", err)
	}
	// a private customer's name is never in the log (the lead holds none)
	changes := map[string]any{"company": in.Company, "private": in.Private, "source": in.Source, "source_ref": in.SourceRef, "territory": lead.GetString("territory"),
		"department": dept, "score": score, "status": status, "held": conflict != nil}
	if conflict != nil {
		changes["conflict"] = map[string]any{"kind": conflict.Kind, "record": conflict.Record}
	}
	if in.appointment != nil {
		// the date and town only: the street and the person are contact details
		changes["appointment_at"] = in.appointment.At
	}
	if report != "" {
		changes["call_report"] = report
	}
	if err := audit.Append(tx, actor, "lead.ingest", "leads", lead.Id, changes); err != nil {
		return IngestResult{}, err
	}
	return IngestResult{Lead: lead, Created: true, Held: conflict != nil}, nil
}

// checkCampaign refuses a campaign the sender may not see: a relation it
// sets (access.MayLink), the same answer for an unknown one.
func checkCampaign(tx core.App, creator *core.Record, campaign string) error {
	if campaign == "" || creator == nil {
		return nil
	}
	if ok, err := access.MayLink(tx, creator, "campaigns", campaign); err != nil {
		return err
	} else if !ok {
		return access.UnknownRelation("campaign")
	}
	return nil
}

// fill sets the fields of a new lead from the input: its département and
// territory derived from the postal code, its creator (a user). It
// returns the département and the score.
func (it *Intake) fill(lead *core.Record, in IngestInput, creator *core.Record) (dept string, score int) {
	if in.Country == "FR" {
		if d, err := geo.DepartementFromPostalCode(in.Country, in.PostalCode); err == nil {
			dept = d
		}
	}
	if t, ok := geo.Match(in.Country, in.PostalCode, dept, it.territories); ok {
		lead.Set("territory", t.ID)
	}
	if in.Score != nil {
		score = *in.Score
	}
	for field, v := range map[string]any{
		"company": in.Company, "private": in.Private, "segment": in.Segment, "company_size": in.CompanySize,
		"country": in.Country, "postal_code": in.PostalCode, "city": strings.TrimSpace(in.City), "department": dept,
		"source": in.Source, "source_ref": in.SourceRef, "campaign": in.Campaign, "interest": strings.TrimSpace(in.Interest),
		"siret": in.SIRET, "score": score, "estimated_value": in.EstimatedValue, "consent": in.Consent,
	} {
		lead.Set(field, v)
	}
	if id := creatorID(creator); id != "" {
		lead.Set("created_by", id)
	}
	return dept, score
}

// initialStatus is the status of a new lead: ready when it comes with a
// score at or above the threshold, else new.
func initialStatus(score *int, threshold int) string {
	if score != nil && *score >= threshold {
		return lifecycle.StatusReady
	}
	return lifecycle.StatusNew
}

// hold holds a lead for the channel manager: it collides with conflict.
func hold(lead *core.Record, conflict *Conflict) {
	lead.Set("held", true)
	lead.Set("conflict_kind", conflict.Kind)
	lead.Set("conflict_ref", conflict.Record)
	lead.Set("conflict_partner", conflict.Partner)
	if conflict.Kind == "lead" {
		lead.Set("duplicate_of", conflict.Record)
	}
}

// contactRecord builds the contact of a new lead, not saved and without
// its lead (nil when ct is nil or empty).
func contactRecord(tx core.App, ct *ContactInput) (*core.Record, error) {
	if ct == nil || *ct == (ContactInput{}) {
		return nil, nil
	}
	cc, err := tx.FindCachedCollectionByNameOrId("lead_contacts")
	if err != nil {
		return nil, err
	}
	rec := core.NewRecord(cc)
	rec.Set("first_name", strings.TrimSpace(ct.FirstName))
	rec.Set("last_name", strings.TrimSpace(ct.LastName))
	rec.Set("title", strings.TrimSpace(ct.Title))
	rec.Set("email", dedup.NormalizeEmail(ct.Email))
	rec.Set("phone", ct.Phone)
	rec.Set("mobile", ct.Mobile)
	return rec, nil
}

// validateContact validates a contact before its lead is saved: every
// field but the relation to the lead, which does not exist yet (and is set
// only after, so that its validation does not look it up).
func validateContact(tx core.App, contact *core.Record) error {
	if contact == nil {
		return nil
	}
	err := tx.Validate(contact)
	var ve validation.Errors
	if errors.As(err, &ve) {
		delete(ve, "lead")
		if len(ve) == 0 {
			return nil
		}
		return fieldcheck.AsDomain(prefixed(contact, ve))
	}
	return err
}

// prefixed names the fields of a contact's validation errors as the input
// does ("contact.first_name"); other errors are returned as they are.
func prefixed(rec *core.Record, err error) error {
	var ve validation.Errors
	if rec.Collection().Name != "lead_contacts" || !errors.As(err, &ve) {
		return err
	}
	out := validation.Errors{}
	for k, v := range ve {
		out["contact."+k] = v
	}
	return out
}
