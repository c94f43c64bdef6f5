package intake

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/csvimport"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/money"
)

// ImportOptions tune ImportCSV.
type ImportOptions struct {
	Source string // lead source; default "import"
	DryRun bool   // validate only, write nothing
	// Chunk is the number of rows written per transaction (default 500).
	Chunk int
	// Pause is a wait after each written chunk: the database has one
	// writer at a time, and another process waiting for it (a serving
	// Relais) retries every 100 ms at most, so a pause of that length lets
	// its writes in between two chunks (0: none).
	Pause time.Duration
	// TxTarget, when set, adapts Chunk after each write so that a
	// transaction holds the database's write lock for about that long
	// (between 1 and 1,000 rows): short on a loaded machine or for slow
	// rows, larger on a fast one.
	TxTarget time.Duration
	// Progress is called after each chunk with the rows done.
	Progress func(done int)
	// Actor is recorded in the audit log.
	Actor audit.Actor
	// Creator becomes the leads' created_by (may be nil).
	Creator *core.Record
}

// ImportSummary counts what an import did.
type ImportSummary struct {
	Rows, Created, Existing, Held, Rejected int
	Warnings                                []string
}

// rowRef is the idempotency key of a CSV row without a reference column:
// a hash of what identifies the lead, so a re-run finds the same leads.
func rowRef(r csvimport.Row) string {
	h := sha256.New()
	for _, v := range []string{r.Lead["company"], r.Lead["postal_code"], r.Contact["email"], r.Contact["phone"], r.Contact["mobile"], r.Contact["last_name"]} {
		h.Write([]byte(strings.ToLower(strings.TrimSpace(v)) + "\x00"))
	}
	return "csv-" + hex.EncodeToString(h.Sum(nil))[:20]
}

// inputOf turns a CSV row into an ingest input.
func inputOf(r csvimport.Row, source string) IngestInput {
	in := IngestInput{
		Company: r.Lead["company"], Segment: r.Lead["segment"], CompanySize: r.Lead["company_size"], Country: r.Lead["country"],
		PostalCode: r.Lead["postal_code"], City: r.Lead["city"], Source: source, SourceRef: r.Lead["source_ref"],
		Interest: r.Lead["interest"], SIRET: r.Lead["siret"],
	}
	if in.SourceRef == "" {
		in.SourceRef = rowRef(r)
	}
	if s := r.Lead["score"]; s != "" {
		if n, err := strconv.Atoi(s); err == nil {
			in.Score = &n
		}
	}
	if v := r.Lead["estimated_value"]; v != "" {
		if f, err := money.Parse(v); err == nil {
			in.EstimatedValue = f
		}
	}
	if len(r.Contact) > 0 {
		in.Contact = &ContactInput{
			FirstName: r.Contact["first_name"], LastName: r.Contact["last_name"], Title: r.Contact["title"],
			Email: r.Contact["email"], Phone: r.Contact["phone"], Mobile: r.Contact["mobile"],
		}
	}
	return in
}

// ImportCSV imports leads from a CSV file: French or English headers, a
// row-level error list (line, column, reason), idempotent re-runs (rows are
// keyed by their reference column or a hash of their content), chunks of
// one transaction each. Rows with errors are skipped, the others imported.
func ImportCSV(app core.App, src io.Reader, opts ImportOptions) (ImportSummary, []csvimport.RowError, error) {
	if opts.Source == "" {
		opts.Source = "import"
	}
	if opts.Chunk <= 0 {
		opts.Chunk = 500
	}
	rd, err := csvimport.NewReader(src)
	if err != nil {
		return ImportSummary{}, nil, err
	}
	im := &importer{app: app, opts: opts}
	im.sum.Warnings = rd.Warnings()
	if im.it, err = NewIntake(app); err != nil {
		return im.sum, nil, err
	}
	for {
		row, errs, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return im.sum, im.rowErrs, err
		}
		if err := im.add(row, errs); err != nil {
			return im.sum, im.rowErrs, err
		}
	}
	if err := im.flush(); err != nil {
		return im.sum, im.rowErrs, err
	}
	if opts.Progress != nil {
		opts.Progress(im.sum.Rows)
	}
	if !opts.DryRun {
		err = audit.Append(app, opts.Actor, "import.run", "leads", "", map[string]any{
			"source": opts.Source, "rows": im.sum.Rows, "created": im.sum.Created, "existing": im.sum.Existing, "held": im.sum.Held, "rejected": im.sum.Rejected,
		})
	}
	return im.sum, im.rowErrs, err
}

// importer is one run of ImportCSV: the rows read so far, the chunk not
// yet written, and what was done.
type importer struct {
	app     core.App
	opts    ImportOptions
	it      *Intake
	sum     ImportSummary
	rowErrs []csvimport.RowError
	chunk   []IngestInput
	lines   []int
}

// add takes one row (rejected with its errors, or added to the chunk, which
// is written when full).
func (im *importer) add(row csvimport.Row, errs []csvimport.RowError) error {
	im.sum.Rows++
	if len(errs) > 0 {
		im.rowErrs = append(im.rowErrs, errs...)
		im.sum.Rejected++
		return nil
	}
	im.chunk = append(im.chunk, inputOf(row, im.opts.Source))
	im.lines = append(im.lines, row.Line)
	if len(im.chunk) >= im.opts.Chunk {
		return im.flush()
	}
	return nil
}

// flush writes the chunk in one transaction (or, for a dry run, only
// checks it) and reports the progress.
func (im *importer) flush() error {
	if len(im.chunk) == 0 {
		return nil
	}
	if im.opts.DryRun {
		im.check()
	} else {
		start := time.Now()
		if err := im.ingest(); err != nil {
			return err
		}
		if im.opts.TxTarget > 0 {
			im.opts.Chunk = nextChunk(len(im.chunk), time.Since(start), im.opts.TxTarget)
		}
		time.Sleep(im.opts.Pause)
	}
	if im.opts.Progress != nil {
		im.opts.Progress(im.sum.Rows)
	}
	im.chunk, im.lines = im.chunk[:0], im.lines[:0]
	return nil
}

// nextChunk is the number of rows to write in the next transaction so
// that it takes about target, given that rows took took (1 to 1,000).
func nextChunk(rows int, took, target time.Duration) int {
	if took <= 0 {
		return 1000
	}
	return min(1000, max(1, int(float64(rows)*float64(target)/float64(took))))
}

// check counts what the chunk would do: rows refused, leads already
// imported, leads to create.
func (im *importer) check() {
	for i, in := range im.chunk {
		if err := in.normalize(); err != nil {
			im.rowErrs = append(im.rowErrs, rowError(im.lines[i], err))
			im.sum.Rejected++
			continue
		}
		if _, err := findBySourceRef(im.app, in.Source, in.SourceRef, creatorID(im.opts.Creator)); err == nil {
			im.sum.Existing++
		} else {
			im.sum.Created++
		}
	}
}

// ingest writes the chunk (Intake.IngestBatch) and counts the results.
func (im *importer) ingest() error {
	items, err := im.it.IngestBatch(im.app, im.opts.Actor, im.opts.Creator, im.chunk)
	if err != nil {
		return err
	}
	for i, item := range items {
		switch item.Status {
		case "created":
			im.sum.Created++
			if item.Held {
				im.sum.Held++
			}
		case "existing":
			im.sum.Existing++
		default:
			im.sum.Rejected++
			im.rowErrs = append(im.rowErrs, csvimport.RowError{Line: im.lines[i], Column: str(item.Error["field"]), Reason: str(item.Error["message"])})
		}
	}
	return nil
}

func rowError(line int, err error) csvimport.RowError {
	var de *domain.Error
	if errors.As(err, &de) {
		return csvimport.RowError{Line: line, Column: de.Field, Reason: de.Message}
	}
	return csvimport.RowError{Line: line, Reason: err.Error()}
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
