package ui

import (
	"bytes"
	"cmp"
	"errors"
	"io"
	"net/http"
	"slices"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/csvimport"
	"github.com/relais/relais/hooks/intake"
)

// importPage is the CSV import: the upload form, then the dry run's report
// with the confirmation, then the import's progress and report.
type importPage struct {
	*page
	Job   *importJob
	Error string
	// Ready counts the rows of the dry run that will be imported.
	Ready int
	// Pct is the progress of a running import (0–100).
	Pct int
}

// importRowsPerTx and importPause keep the import's transactions short,
// with a pause after each, so that the server's other writes (offers,
// accepts) get the database in between (intake.ImportOptions).
const (
	importTxTarget = 250 * time.Millisecond
	importPause    = 50 * time.Millisecond
)

// importForm shows the upload form.
func (h *handlers) importForm(e *core.RequestEvent) error {
	return h.render(e, http.StatusOK, "lead_import", &importPage{page: h.page(e, "lead_import", "import.title")})
}

// importDryRun reads the uploaded file and checks it without writing
// anything (intake.ImportCSV with DryRun): the rows to create, those
// already imported, the refused lines with their reasons. The file is
// kept for the confirmation.
func (h *handlers) importDryRun(e *core.RequestEvent) error {
	s := sess(e)
	if !intake.MayIngest(e.App, s.user) {
		return errNotFound
	}
	p := &importPage{page: h.page(e, "lead_import", "import.title")}
	data, name, err := uploadedCSV(e)
	if err != nil {
		p.Error = p.T("import.no_file")
		return h.render(e, htmlStatusInvalid, "lead_import", p)
	}
	sum, rowErrs, err := intake.ImportCSV(e.App, bytes.NewReader(data), intake.ImportOptions{DryRun: true, Creator: s.user, Actor: audit.ActorOf(e)})
	if err != nil {
		// the file cannot be read as a lead file (no company column, two
		// columns for one field, not CSV): nothing to confirm
		p.Error = p.T("import.unreadable", "Reason", err.Error())
		return h.render(e, htmlStatusInvalid, "lead_import", p)
	}
	sortByLine(rowErrs)
	j := &importJob{ID: newJobID(), UserID: s.user.Id, FileName: name, data: data, Created: h.now(), Check: sum, CheckErrs: rowErrs, State: jobChecked}
	h.imports.add(j, h.now())
	p.Job = j
	p.Ready = sum.Rows - sum.Rejected
	return h.render(e, http.StatusOK, "lead_import", p)
}

// uploadedCSV reads the uploaded file (at most maxImportBytes).
func uploadedCSV(e *core.RequestEvent) ([]byte, string, error) {
	e.Request.Body = http.MaxBytesReader(e.Response, e.Request.Body, maxImportBytes+1<<20)
	f, hd, err := e.Request.FormFile("file")
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxImportBytes+1))
	if err != nil {
		return nil, "", err
	}
	if len(data) == 0 || len(data) > maxImportBytes {
		return nil, "", errors.New("empty or too large")
	}
	return data, hd.Filename, nil
}

// importConfirm starts the import of a checked file in the background and
// shows its progress.
func (h *handlers) importConfirm(e *core.RequestEvent) error {
	s := sess(e)
	if !intake.MayIngest(e.App, s.user) {
		return errNotFound
	}
	id := e.Request.PathValue("job")
	data, ok := h.imports.start(id, s.user.Id)
	if !ok {
		if _, exists := h.imports.get(id, s.user.Id); !exists {
			return errNotFound
		}
		// already started: show its progress
		return e.Redirect(http.StatusSeeOther, "/leads/import/"+id)
	}
	opts := intake.ImportOptions{
		Actor: audit.ActorOf(e), Creator: s.user, Chunk: 100, TxTarget: importTxTarget, Pause: importPause,
		Progress: func(done int) { h.imports.progress(id, done) },
	}
	go func() {
		sum, rowErrs, err := intake.ImportCSV(h.app, bytes.NewReader(data), opts)
		if err != nil {
			h.app.Logger().Error("CSV import failed", "job", id, "error", err)
		}
		sortByLine(rowErrs)
		h.imports.finish(id, sum, rowErrs, err)
	}()
	return e.Redirect(http.StatusSeeOther, "/leads/import/"+id)
}

// importProgress shows a job: its progress while it runs (the fragment
// polls itself), then its report.
func (h *handlers) importProgress(e *core.RequestEvent) error {
	s := sess(e)
	j, ok := h.imports.get(e.Request.PathValue("job"), s.user.Id)
	if !ok {
		return errNotFound
	}
	p := &importPage{page: h.page(e, "lead_import", "import.title"), Job: &j, Ready: j.Check.Rows - j.Check.Rejected}
	if total := j.Check.Rows; total > 0 {
		p.Pct = min(100, j.Done*100/total)
	}
	if e.Request.URL.Query().Get("part") == "job" { // the polling of the progress
		return h.fragment(e, http.StatusOK, "lead_import", "import_job", p)
	}
	return h.render(e, http.StatusOK, "lead_import", p)
}

// sortByLine orders the refused lines of a report by line number (the
// reader's refusals and the intake's come in two passes).
func sortByLine(errs []csvimport.RowError) {
	slices.SortStableFunc(errs, func(a, b csvimport.RowError) int { return cmp.Compare(a.Line, b.Line) })
}
