package deals

import (
	"strings"

	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/dedup"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/geo"
)

// The checks of a deal registration, one per field, so that a form can
// show every field's error at once (CheckRegistration) while the domain
// refuses on the first one (normalize).

// registrationChecks check and normalise one field each, in the order of
// the registration form; each returns nil or the field's error.
var registrationChecks = []func(in *RegistrationInput) *domain.Error{
	checkCompany, checkName, checkSIRET, checkPostalCode, checkCity, checkEmail, checkAmount, checkCloseDate,
}

// CheckRegistration returns every field error of a registration (none:
// RegisterDeal accepts its fields), in the order of the form. It does not
// change in.
func CheckRegistration(in RegistrationInput) []*domain.Error {
	var out []*domain.Error
	for _, check := range registrationChecks {
		if err := check(&in); err != nil {
			out = append(out, err)
		}
	}
	return out
}

func (in *RegistrationInput) normalize() error {
	for _, check := range registrationChecks {
		if err := check(in); err != nil {
			return err
		}
	}
	return nil
}

func checkCompany(in *RegistrationInput) *domain.Error {
	in.Company = strings.TrimSpace(in.Company)
	if in.Company == "" {
		return domain.Invalid("required", "company", "company is required")
	}
	if len([]rune(in.Company)) > 200 {
		return domain.Invalid("too_long", "company", "company is longer than 200 characters")
	}
	return nil
}

func checkName(in *RegistrationInput) *domain.Error {
	in.Name = strings.TrimSpace(in.Name)
	if len([]rune(in.Name)) > 200 {
		return domain.Invalid("too_long", "name", "name is longer than 200 characters")
	}
	return nil
}

func checkSIRET(in *RegistrationInput) *domain.Error {
	if in.SIRET == "" {
		in.SIRET = in.SIREN
	}
	s := strings.TrimSpace(in.SIRET)
	if s == "" {
		in.SIRET = ""
		return nil
	}
	if _, err := dedup.NormalizeSIREN(s); err != nil {
		return domain.Invalid("invalid_value", "siret", "siret is not a valid SIREN or SIRET number")
	}
	in.SIRET = strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
	return nil
}

func checkPostalCode(in *RegistrationInput) *domain.Error {
	pc, err := geo.NormalizePostalCode(in.PostalCode)
	if err != nil {
		return domain.Invalid("invalid_value", "postal_code", "postal_code must be a French postal code of 5 digits")
	}
	in.PostalCode = pc
	return nil
}

func checkCity(in *RegistrationInput) *domain.Error {
	in.City = strings.TrimSpace(in.City)
	if len([]rune(in.City)) > 120 {
		return domain.Invalid("too_long", "city", "city is longer than 120 characters")
	}
	return nil
}

func checkEmail(in *RegistrationInput) *domain.Error {
	if in.Email = strings.TrimSpace(in.Email); in.Email != "" && dedup.NormalizeEmail(in.Email) == "" {
		return domain.Invalid("invalid_value", "email", "email is not a valid e-mail address")
	}
	return nil
}

func checkAmount(in *RegistrationInput) *domain.Error {
	if in.Amount < 0 {
		return domain.Invalid("out_of_range", "amount", "amount cannot be negative")
	}
	return nil
}

func checkCloseDate(in *RegistrationInput) *domain.Error {
	if in.CloseDate == "" {
		in.CloseDate = in.ExpectedClose
	}
	if in.CloseDate == "" {
		return nil
	}
	d, err := types.ParseDateTime(in.CloseDate)
	if err != nil || d.IsZero() {
		return domain.Invalid("invalid_value", "close_date", "close_date must be a date such as 2026-12-31")
	}
	in.closeDate = d
	return nil
}
