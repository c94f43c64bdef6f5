package ui

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/api"
	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/team"
)

// inviteForm is the submitted invitation form, re-rendered with its error.
type inviteForm struct {
	Email, Name, Role, Partner, Locale, Expires string
	Territories                                 []string
	Error                                       string
	Field                                       string // the form field the error names
	Status                                      int    // the answer's status with the error
}

// parseInvite reads the invitation form (expires: a bare date, the end of
// that day in Paris).
func parseInvite(e *core.RequestEvent) (inviteForm, team.NewUser, error) {
	f := inviteForm{
		Email: strings.TrimSpace(e.Request.FormValue("email")), Name: strings.TrimSpace(e.Request.FormValue("name")),
		Role: e.Request.FormValue("role"), Partner: e.Request.FormValue("partner"), Locale: e.Request.FormValue("locale"),
		Expires: strings.TrimSpace(e.Request.FormValue("access_expires")), Territories: e.Request.Form["territories"],
	}
	in := team.NewUser{Email: f.Email, Name: f.Name, Role: f.Role, Partner: f.Partner, Locale: f.Locale, Territories: f.Territories}
	if f.Locale != "fr" && f.Locale != "en" {
		in.Locale = ""
	}
	if f.Expires != "" {
		t, err := endOfDay(f.Expires)
		if err != nil {
			return f, in, domain.Invalid("validation_invalid_date", "access_expires", "invalid date")
		}
		in.Expires = t
	}
	return f, in, nil
}

// endOfDay is the last second of a YYYY-MM-DD day in Paris time.
func endOfDay(day string) (time.Time, error) {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		loc = time.UTC
	}
	d, err := time.ParseInLocation("2006-01-02", day, loc)
	if err != nil {
		return time.Time{}, err
	}
	return d.Add(24*time.Hour - time.Second), nil
}

// inviteResult runs an invitation and fills the form's error from a
// domain error; other errors are returned. created is false on error;
// an account created whose e-mail failed is created with the error shown.
func inviteResult(e *core.RequestEvent, p *page, f *inviteForm, in team.NewUser, parseErr error, now time.Time) (created bool, err error) {
	if parseErr == nil {
		_, err = team.Invite(e.App, access.ByRequest(e), in, now)
		created = err == nil || errors.Is(err, team.ErrNotSent)
	} else {
		err = parseErr
	}
	if err == nil {
		return true, nil
	}
	var de *domain.Error
	if !errors.As(err, &de) {
		return false, err
	}
	f.Error, f.Field, f.Status = p.Err(de), de.Field, formStatus(de)
	return created, nil
}

// roleOptions are the roles the user may give a new account, labelled.
func roleOptions(e *core.RequestEvent, p *page) ([]option, error) {
	ids, err := team.InvitableRoles(e.App, sess(e).user)
	if err != nil {
		return nil, err
	}
	out := make([]option, 0, len(ids))
	for _, id := range ids {
		out = append(out, option{Value: id, Label: p.RoleLabel(id)})
	}
	return out, nil
}

// listOptions lists the records of a collection the user may see, by
// name (the rule-aware read path).
func listOptions(e *core.RequestEvent, collection string) ([]option, error) {
	recs, _, err := access.ListFor(e.App, sess(e).user, collection, access.ListQuery{Sort: "name", PerPage: access.MaxPerPage})
	if errors.Is(err, domain.ErrForbidden) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := make([]option, 0, len(recs))
	for _, r := range recs {
		out = append(out, option{Value: r.Id, Label: r.GetString("name")})
	}
	return out, nil
}

// formStatus is the status of a form re-rendered with a domain error:
// 422 for a refused value, else the error's own (403 forbidden, 409
// conflict).
func formStatus(de *domain.Error) int {
	if de.Kind == domain.KindInvalid {
		return htmlStatusInvalid
	}
	return api.HTTPStatus(de)
}

// inviteStatus is the status of a re-rendered invitation form.
func inviteStatus(f inviteForm) int {
	if f.Status != 0 {
		return f.Status
	}
	return http.StatusOK
}
