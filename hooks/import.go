package hooks

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/csvimport"
	"github.com/relais/relais/hooks/money"
)

// ImportOptions tune ImportCSV.
type ImportOptions struct {
	Source string // lead source; default "import"
	DryRun bool   // validate only, write nothing
	// Chunk is the number of rows written per transaction (default 500).
	Chunk int
	// Progress is called after each chunk with the rows done.
	Progress func(done int)
	// Actor is recorded in the audit log.
	Actor Actor
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
	var sum ImportSummary
	if opts.Source == "" {
		opts.Source = "import"
	}
	if opts.Chunk <= 0 {
		opts.Chunk = 500
	}
	rd, err := csvimport.NewReader(src)
	if err != nil {
		return sum, nil, err
	}
	sum.Warnings = rd.Warnings()
	it, err := NewIntake(app)
	if err != nil {
		return sum, nil, err
	}
	var rowErrs []csvimport.RowError
	var chunk []IngestInput
	var lines []int
	flush := func() error {
		if len(chunk) == 0 {
			return nil
		}
		if opts.DryRun {
			for i, in := range chunk {
				if err := in.normalize(); err != nil {
					rowErrs = append(rowErrs, rowError(lines[i], err))
					sum.Rejected++
					continue
				}
				if _, err := findBySourceRef(app, in.Source, in.SourceRef, creatorID(opts.Creator)); err == nil {
					sum.Existing++
				} else {
					sum.Created++
				}
			}
		} else {
			items, err := it.IngestBatch(app, opts.Actor, opts.Creator, chunk)
			if err != nil {
				return err
			}
			for i, item := range items {
				switch item.Status {
				case "created":
					sum.Created++
					if item.Held {
						sum.Held++
					}
				case "existing":
					sum.Existing++
				default:
					sum.Rejected++
					rowErrs = append(rowErrs, csvimport.RowError{Line: lines[i], Column: str(item.Error["field"]), Reason: str(item.Error["message"])})
				}
			}
		}
		if opts.Progress != nil {
			opts.Progress(sum.Rows)
		}
		chunk, lines = chunk[:0], lines[:0]
		return nil
	}
	for {
		row, errs, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return sum, rowErrs, err
		}
		sum.Rows++
		if len(errs) > 0 {
			rowErrs = append(rowErrs, errs...)
			sum.Rejected++
			continue
		}
		chunk = append(chunk, inputOf(row, opts.Source))
		lines = append(lines, row.Line)
		if len(chunk) >= opts.Chunk {
			if err := flush(); err != nil {
				return sum, rowErrs, err
			}
		}
	}
	if err := flush(); err != nil {
		return sum, rowErrs, err
	}
	if opts.Progress != nil {
		opts.Progress(sum.Rows)
	}
	if !opts.DryRun {
		err = Audit(app, opts.Actor, "import.run", "leads", "", map[string]any{
			"source": opts.Source, "rows": sum.Rows, "created": sum.Created, "existing": sum.Existing, "held": sum.Held, "rejected": sum.Rejected,
		})
	}
	return sum, rowErrs, err
}

func rowError(line int, err error) csvimport.RowError {
	var de *Error
	if errors.As(err, &de) {
		return csvimport.RowError{Line: line, Column: de.Field, Reason: de.Message}
	}
	return csvimport.RowError{Line: line, Reason: err.Error()}
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
