package ui

import (
	"errors"
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/api"
	"github.com/relais/relais/hooks/domain"
)

// formField is the form field that shows a domain error: the field the
// error names, by the record field it names (fields: record field → form
// field), else fallback.
func formField(de *domain.Error, fields map[string]string, fallback string) string {
	if f, ok := fields[de.Field]; ok {
		return f
	}
	return fallback
}

// renamedField returns err with its field renamed from → to when it is a
// domain error on from (a form field that writes another record's field);
// other errors are returned as they are.
func renamedField(err error, from, to string) error {
	var de *domain.Error
	if !errors.As(err, &de) || de.Field != from {
		return err
	}
	return &domain.Error{Code: de.Code, Kind: de.Kind, Message: de.Message, Field: to}
}

// writeOutcome sorts the outcome of a form's write: an error that is not a
// domain refusal is returned as is; a plain post that succeeded is
// redirected to path; in both cases done is true. Otherwise the caller
// re-renders its page, with de the refusal (nil after an htmx success).
func writeOutcome(e *core.RequestEvent, err error, path string) (de *domain.Error, done bool, rerr error) {
	if err != nil && !errors.As(err, &de) {
		return nil, true, err
	}
	if de == nil && !isHX(e) {
		return nil, true, e.Redirect(http.StatusSeeOther, path)
	}
	return de, false, nil
}

// formAnswer says how a governance form answers its write: the page a
// plain post goes back to, how to read the page again, the view to render,
// the flash message key after a success, and what to show on a refusal.
type formAnswer[P viewData] struct {
	path, view, flash string
	load              func() (P, error)
	refused           func(p P, msg string)
}

// answerForm answers a form's write (writeOutcome): a plain post that
// succeeded is redirected; otherwise the page is read again and rendered
// with the success flash, or with the refusal's status and message.
func answerForm[P viewData](h *handlers, e *core.RequestEvent, err error, a formAnswer[P]) error {
	de, done, rerr := writeOutcome(e, err, a.path)
	if done {
		return rerr
	}
	p, perr := a.load()
	if perr != nil {
		return perr
	}
	status := http.StatusOK
	if de != nil {
		status = api.HTTPStatus(de)
		a.refused(p, p.base().Err(de))
	} else {
		p.base().Flash = p.base().T(a.flash)
	}
	return h.render(e, status, a.view, p)
}
