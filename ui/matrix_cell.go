package ui

import (
	"errors"
	"net/http"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/policy"
)

// saveCell saves one cell of the matrix with app.Save, so that the policy
// validation hook refuses a cell that would break SPEC §3.3 (its message,
// naming the cell, is shown inline) and the accepted matrix is recompiled
// into the collections' rules. The change is audited in the same
// transaction.
func (h *handlers) saveCell(e *core.RequestEvent) error {
	rec, err := access.ViewFor(e.App, e.Auth, "permissions", e.Request.PathValue("id"))
	if err != nil {
		return errNotFound
	}
	valid := func(l string) bool { return policy.Level(l).Valid() }
	read, update, del := e.Request.FormValue("read"), e.Request.FormValue("update"), e.Request.FormValue("delete")
	if !valid(read) || !valid(update) || !valid(del) {
		return &uiError{status: http.StatusBadRequest, msg: "error.request"}
	}
	rec.Set("read", read)
	rec.Set("update", update)
	rec.Set("delete", del)
	rec.Set("create", e.Request.FormValue("create") != "")
	rec.Set("export", e.Request.FormValue("export") != "")
	changes := audit.Diff(rec)
	p := h.page(e, "matrix", "")
	err = e.App.RunInTransaction(func(tx core.App) error {
		if err := tx.Save(rec); err != nil {
			return err
		}
		return audit.Append(tx, audit.ActorOf(e), "permissions.update", "permissions", rec.Id, changes)
	})
	cell := cellOf(p, rec)
	status := http.StatusOK
	var verrs validation.Errors
	switch {
	case errors.As(err, &verrs):
		for _, fe := range verrs {
			cell.Error = matrixError(p, fe)
			break
		}
		status = htmlStatusInvalid
	case err != nil:
		return err
	default:
		cell.Saved = true
	}
	if !isHX(e) {
		if cell.Error != "" {
			return &statusError{status: status, err: domain.Invalid("invalid_matrix", "", cell.Error)}
		}
		return e.Redirect(http.StatusSeeOther, "/matrix")
	}
	return h.fragment(e, status, "matrix", "cell", &cell)
}

// matrixError words a refused cell in the page's language from the
// compiler's reason code and parameters (policy.CellError, carried by the
// validation error's params); an error without them keeps its message.
func matrixError(p *page, err error) string {
	var ve validation.Error
	if !errors.As(err, &ve) {
		return err.Error()
	}
	params := ve.Params()
	reason, _ := params["reason"].(string)
	if reason == "" {
		return err.Error()
	}
	str := func(k string) string { s, _ := params[k].(string); return s }
	action := str("action")
	if v := p.T("matrix." + action); v != "matrix."+action {
		action = v
	}
	args := []any{
		"Role", p.RoleLabel(str("role")), "Resource", p.Label("resource", str("resource")), "Action", action,
		"Level", p.Label("level", str("level")), "Read", p.Label("level", str("read")), "Ceiling", p.Label("level", str("ceiling")),
		"Kind", str("kind"), "Levels", str("levels"),
	}
	cell := p.T("matrix.error.cell", args...)
	msg := p.T("matrix.error."+reason, args...)
	if msg == "matrix.error."+reason {
		return err.Error()
	}
	return cell + msg
}
