package audit

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/auditchain"
)

// Report is the result of walking the audit chain.
type Report struct {
	// Count is the number of entries verified intact (up to the break).
	Count int
	// LastSeq and LastHash identify the last intact entry (0 and
	// auditchain.Genesis for an empty log): the head to anchor outside the
	// database.
	LastSeq  int
	LastHash string
	// Break is the first broken link, nil when the chain holds; BreakSeq is
	// the seq of the entry where it broke.
	Break    *auditchain.Break
	BreakSeq int
}

// auditRow is one audit_log row as stored.
type auditRow struct {
	Seq          float64 `db:"seq"`
	ID           string  `db:"id"`
	At           string  `db:"at"`
	Actor        string  `db:"actor"`
	ActorRole    string  `db:"actor_role"`
	ActorPartner string  `db:"actor_partner"`
	Action       string  `db:"action"`
	Resource     string  `db:"resource"`
	Record       string  `db:"record"`
	Changes      string  `db:"changes"`
	IP           string  `db:"ip"`
	RequestID    string  `db:"request_id"`
	PrevHash     string  `db:"prev_hash"`
	Hash         string  `db:"hash"`
}

func (r auditRow) entry() auditchain.Entry {
	var at time.Time
	if d, err := time.Parse(types.DefaultDateLayout, r.At); err == nil {
		at = d
	}
	return auditchain.Entry{
		ID: r.ID, At: at, Actor: r.Actor, ActorRole: r.ActorRole, ActorPartner: r.ActorPartner,
		Action: r.Action, Resource: r.Resource, Record: r.Record, Changes: json.RawMessage(r.Changes),
		IP: r.IP, RequestID: r.RequestID, PrevHash: r.PrevHash, Hash: r.Hash,
	}
}

// DefaultVerifyBatch is the number of entries Verify reads at once.
const DefaultVerifyBatch = 1000

// Verify walks the whole audit chain in seq order, batch entries
// at a time (keyset pagination, constant memory), and reports the first
// broken link. progress, when not nil, is called after each batch with the
// number of entries checked so far.
//
// Editing, deleting, inserting or reordering entries anywhere before the
// last one is detected. Cutting entries off the end is not visible from the
// chain alone: compare the head (LastSeq, LastHash) with one recorded
// outside the database (`relais audit verify --anchor FILE`).
func Verify(app core.App, batch int, progress func(checked int)) (Report, error) {
	if batch <= 0 {
		batch = DefaultVerifyBatch
	}
	rep := Report{LastHash: auditchain.Genesis}
	if err := checkAuditTable(app); err != nil {
		return rep, err
	}
	v := auditchain.NewVerifier()
	after := math.Inf(-1)
	for {
		var rows []auditRow
		// CASTs and COALESCEs: a row tampered with in raw SQL (NULLs,
		// numbers in text columns) must be reported as a break, not make
		// the walk fail.
		err := app.DB().NewQuery("SELECT CAST(seq AS REAL) AS seq, " + textCols(auditCols...) +
			" FROM audit_log WHERE seq > {:after} ORDER BY seq ASC LIMIT {:limit}").
			Bind(dbx.Params{"after": after, "limit": batch}).All(&rows)
		if err != nil {
			return rep, err
		}
		for _, r := range rows {
			if b := v.Next(r.entry()); b != nil {
				rep.Break, rep.BreakSeq = b, int(r.Seq)
				rep.Count = v.Count()
				return rep, nil
			}
			rep.LastSeq, rep.LastHash = int(r.Seq), r.Hash
		}
		rep.Count = v.Count()
		if progress != nil {
			progress(rep.Count)
		}
		if len(rows) < batch {
			return rep, nil
		}
		after = rows[len(rows)-1].Seq
	}
}

// checkAuditTable fails when the audit_log table or one of the columns the
// chain covers is missing (dropped in raw SQL): a log that cannot be read
// whole is not intact.
func checkAuditTable(app core.App) error {
	var cols []string
	if err := app.DB().NewQuery("SELECT name FROM pragma_table_info('audit_log')").Column(&cols); err != nil {
		return fmt.Errorf("audit_log: reading its columns: %w", err)
	}
	if len(cols) == 0 {
		return errors.New("the audit_log table is missing")
	}
	var missing []string
	for _, c := range append([]string{"seq"}, auditCols...) {
		if !slices.Contains(cols, c) {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("the audit_log table lacks the column(s) %s", strings.Join(missing, ", "))
	}
	return nil
}

// auditCols are the text columns of audit_log, in chain order.
var auditCols = []string{"id", "at", "actor", "actor_role", "actor_partner", "action", "resource", "record",
	"changes", "ip", "request_id", "prev_hash", "hash"}

// textCols renders `COALESCE(CAST(c AS TEXT), ”) AS c` for each column.
func textCols(cols ...string) string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = "COALESCE(CAST([[" + c + "]] AS TEXT), '') AS [[" + c + "]]"
	}
	return strings.Join(out, ", ")
}
