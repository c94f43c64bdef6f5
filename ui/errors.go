package ui

import (
	"errors"
	"net/http"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"

	"github.com/relais/relais/api"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/fieldcheck"
)

// uiError is an error page: a status and a message id.
type uiError struct {
	status int
	msg    string
}

func (e *uiError) Error() string { return e.msg }

// statusError is a domain error rendered with a status the handler chose
// (a refused form: 422).
type statusError struct {
	status int
	err    *domain.Error
}

func (e *statusError) Error() string { return e.err.Error() }

var (
	errNotFound  = &uiError{status: http.StatusNotFound, msg: "error.not_found"}
	errForbidden = &uiError{status: http.StatusForbidden, msg: "error.forbidden"}
)

// errorPage is the data of the error view.
type errorPage struct {
	*page
	Status  int
	Message string
}

// mwErrors renders the errors of UI handlers as HTML with their real
// status: a full page, or for htmx a fragment retargeted to the page's
// message area (the one global htmx error handler). Domain errors show
// their message; ErrNotVisible is a 404 that says nothing about the record;
// anything else is logged and shown as a generic 500.
func (h *handlers) mwErrors() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{Id: "relaisUIErrors", Func: func(e *core.RequestEvent) error {
		err := e.Next()
		if err == nil || e.Written() {
			return err
		}
		p := &errorPage{page: h.page(e, "", "")}
		var ue *uiError
		var se *statusError
		var de *domain.Error
		var ae *router.ApiError
		// a record's field errors (a save's validation) are a domain error
		// naming the field
		err = fieldcheck.AsDomain(err)
		switch {
		case errors.As(err, &ue):
			p.Status, p.Message = ue.status, p.T(ue.msg)
		case errors.As(err, &se):
			p.Status, p.Message = se.status, p.Err(se.err)
		case errors.Is(err, domain.ErrNotVisible):
			p.Status, p.Message = http.StatusNotFound, p.T("error.not_found")
		case errors.Is(err, domain.ErrForbidden):
			p.Status, p.Message = http.StatusForbidden, p.T("error.forbidden")
		case errors.As(err, &de):
			p.Status, p.Message = api.HTTPStatus(de), p.Err(de)
		case errors.As(err, &ae) && ae.Status < 500:
			p.Status, p.Message = ae.Status, p.T("error.request")
			if ae.Status == http.StatusNotFound {
				p.Message = p.T("error.not_found")
			}
		default:
			e.App.Logger().Error("ui request failed", "method", e.Request.Method, "path", e.Request.URL.Path, "error", err)
			p.Status, p.Message = http.StatusInternalServerError, p.T("error.internal")
		}
		p.Title = p.Message
		if isHX(e) {
			e.Response.Header().Set("HX-Retarget", "#messages")
			e.Response.Header().Set("HX-Reswap", "innerHTML")
			return h.fragment(e, p.Status, "error", "message", p)
		}
		return h.render(e, p.Status, "error", p)
	}}
}
