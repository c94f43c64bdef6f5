package intake

import (
	"crypto/subtle"
	"errors"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/domain"
)

// WebForm is the maker's public quote-request form
// (POST /api/prm/webform/{formKey}).
type WebForm struct {
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

// CheckFormKey returns ErrNotVisible unless key is one of the settings'
// web-form keys (a settings read error is returned: no key is valid when
// the settings cannot be read).
func CheckFormKey(app core.App, key string) error {
	settings, err := access.LoadSettings(app)
	if err != nil {
		return err
	}
	if !validFormKey(settings.WebFormKeys, key) {
		return domain.ErrNotVisible
	}
	return nil
}

// SubmitWebForm ingests a quote request sent from the maker's site by
// actor (the request; its id becomes "webform"). A filled honeypot is
// dropped silently (logged, no lead, no error: the bot must not learn it
// was caught); consent and an e-mail or a phone are required. A request
// without a company is a private customer's: the name stays in the
// contact (SPEC §3.3.3), the lead gets none.
func SubmitWebForm(app core.App, actor audit.Actor, f WebForm) error {
	if strings.TrimSpace(f.Website) != "" {
		app.Logger().Info("web form honeypot triggered", "ip", actor.IP)
		return nil
	}
	if !f.Consent {
		return domain.Invalid("required", "consent", "consent is required to be contacted")
	}
	if strings.TrimSpace(f.Email) == "" && strings.TrimSpace(f.Phone) == "" {
		return domain.Invalid("required", "email", "an e-mail or a phone number is required")
	}
	company := strings.TrimSpace(f.Company)
	in := IngestInput{
		Company: company, Segment: f.Segment, PostalCode: f.PostalCode, City: f.City, Source: "web", Interest: f.Interest, Consent: true,
		Private: company == "", Contact: &ContactInput{FirstName: f.FirstName, LastName: f.LastName, Email: f.Email, Phone: f.Phone},
	}
	if in.Segment == "" && in.Private {
		in.Segment = "residential"
	}
	it, err := NewIntake(app)
	if err != nil {
		return err
	}
	actor.ID = "webform"
	_, err = it.Ingest(app, actor, nil, in)
	return formField(err)
}

// formField names an intake error by the form's field: the contact's
// fields are top-level in the form ("contact.first_name" → "first_name").
func formField(err error) error {
	var de *domain.Error
	if !errors.As(err, &de) || !strings.HasPrefix(de.Field, "contact.") {
		return err
	}
	field := strings.TrimPrefix(de.Field, "contact.")
	return &domain.Error{Code: de.Code, Kind: de.Kind, Field: field, Message: strings.Replace(de.Message, de.Field, field, 1)}
}
