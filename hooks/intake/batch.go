package intake

import (
	"errors"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/roles"
)

// MaxBatch is the largest ingest batch.
const MaxBatch = 1000

// CheckBatch refuses an empty batch and one over MaxBatch leads.
func CheckBatch(n int) error {
	if n == 0 {
		return domain.Invalid("required", "leads", "leads is empty")
	}
	if n > MaxBatch {
		return domain.Invalid("too_many", "leads", "at most 1000 leads per batch")
	}
	return nil
}

// MayIngest reports whether the user's role may create leads (matrix):
// never a partner role.
func MayIngest(app core.App, u *core.Record) bool {
	m, err := access.SharedMatrix(app) // read only
	if err != nil {
		return false
	}
	role, ok := m.Role(u.GetString("role"))
	return ok && role.Kind != roles.Partner && m.Cell(role.ID, "leads").Create
}

// BatchItem is the result of one lead of a batch.
type BatchItem struct {
	Index  int            `json:"index"`
	Status string         `json:"status"` // created | existing | error
	ID     string         `json:"id,omitempty"`
	Held   bool           `json:"held,omitempty"`
	Error  map[string]any `json:"error,omitempty"`
}

// IngestBatch ingests many leads in one transaction with a result per
// lead; an invalid lead does not stop the others. Distribution is left to
// the distribution job.
func (it *Intake) IngestBatch(app core.App, actor audit.Actor, creator *core.Record, leads []IngestInput) ([]BatchItem, error) {
	return it.ingestBatch(app, actor, creator, leads, nil)
}

// ingestBatch is IngestBatch where bad[i], when set, is the error of a lead
// that could not be read (it fails alone).
func (it *Intake) ingestBatch(app core.App, actor audit.Actor, creator *core.Record, leads []IngestInput, bad []error) ([]BatchItem, error) {
	items := make([]BatchItem, len(leads))
	err := app.RunInTransaction(func(tx core.App) error {
		seen := map[string]int{}
		for i, in := range leads {
			items[i] = BatchItem{Index: i}
			if bad != nil && bad[i] != nil {
				items[i].Status, items[i].Error = "error", errorData(bad[i])
				continue
			}
			if err := in.normalize(); err != nil {
				items[i].Status, items[i].Error = "error", errorData(err)
				continue
			}
			if in.SourceRef != "" {
				key := in.Source + "\x00" + in.SourceRef
				if j, dup := seen[key]; dup {
					items[i].Status, items[i].ID = "existing", items[j].ID
					continue
				}
				if existing, err := findBySourceRef(tx, in.Source, in.SourceRef, creatorID(creator)); err == nil {
					items[i].Status, items[i].ID = "existing", existing.Id
					seen[key] = i
					continue
				}
				seen[key] = i
			}
			res, err := it.create(tx, actor, creator, in)
			if err != nil {
				var de *domain.Error
				if errors.As(err, &de) {
					items[i].Status, items[i].Error = "error", errorData(err)
					continue
				}
				return err
			}
			items[i].Status, items[i].ID, items[i].Held = "created", res.Lead.Id, res.Held
		}
		return nil
	})
	return items, err
}

func errorData(err error) map[string]any {
	var de *domain.Error
	if errors.As(err, &de) {
		return map[string]any{"code": de.Code, "field": de.Field, "message": de.Message}
	}
	return map[string]any{"code": "error", "message": "invalid lead"}
}
