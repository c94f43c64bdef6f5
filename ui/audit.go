package ui

import (
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/textindex"
)

// auditPerPage is the page size of the audit log viewer.
const auditPerPage = 50

// auditPage is the audit log viewer: searched, filtered by kind of action
// and date range (and, from links, by actor, action or resource), sorted
// and paged.
type auditPage struct {
	*page
	Entries []auditRow
	listNav
	Kind                              string
	Kinds                             []string
	Actor, Action, Resource, From, To string
	Verify                            *verifyResult
}

type auditRow struct {
	Seq                                              int
	At                                               types.DateTime
	Actor, ActorName, Role, Action, Resource, Record string
	Changes, IP                                      string
}

// auditSorts are the sorts of the audit log; "" is the newest first.
var auditSorts = map[string]string{
	"": "-seq", "seq": "seq", "-seq": "-seq",
	"action": "action,-seq", "-action": "-action,-seq",
	"resource": "resource,-seq", "-resource": "-resource,-seq",
}

// audit lists audit entries, newest first, filtered by actor (id or
// e-mail), action prefix, resource and date range.
func (h *handlers) audit(e *core.RequestEvent) error {
	p, err := h.auditPage(e)
	if err != nil {
		return err
	}
	return h.render(e, http.StatusOK, "audit", p)
}

func (h *handlers) auditPage(e *core.RequestEvent) (*auditPage, error) {
	s := sess(e)
	qv := e.Request.URL.Query()
	p := &auditPage{page: h.page(e, "audit", "audit.title"), listNav: listNav{PageNo: pageParam(e), Q: strings.TrimSpace(qv.Get("q"))},
		Kinds: auditKindNames(), Actor: strings.TrimSpace(qv.Get("actor")), Action: strings.TrimSpace(qv.Get("action")),
		Resource: strings.TrimSpace(qv.Get("resource")), From: qv.Get("from"), To: qv.Get("to")}
	if _, ok := auditSorts[qv.Get("sort")]; ok {
		p.Sort = qv.Get("sort")
	}
	if _, ok := auditKindPrefixes[qv.Get("kind")]; ok {
		p.Kind = qv.Get("kind")
	}
	where, err := h.auditWhere(e.App, s.user, p)
	if err != nil {
		return nil, err
	}
	q := access.ListQuery{Where: where, Sort: auditSorts[p.Sort], Page: p.PageNo, PerPage: auditPerPage, Count: true}
	recs, res, err := access.ListFor(e.App, s.user, "audit_log", q)
	if err != nil {
		return nil, err
	}
	if p.Entries, err = h.auditRows(s, recs); err != nil {
		return nil, err
	}
	state := listState{Path: "/audit", Q: p.Q, Sort: p.Sort, Filters: map[string]string{
		"kind": p.Kind, "actor": p.Actor, "action": p.Action, "resource": p.Resource, "from": p.From, "to": p.To}}
	p.fill(state, []string{"seq", "action", "resource"}, res.TotalItems, res.PerPage)
	return p, nil
}

// auditWhere is the condition of the page's search and filters (nil for
// none).
func (h *handlers) auditWhere(app core.App, auth *core.Record, p *auditPage) (dbx.Expression, error) {
	var where []dbx.Expression
	if p.Actor != "" {
		actor := p.Actor
		if strings.Contains(actor, "@") {
			if u, _, err := access.ListFor(app, auth, "users", access.ListQuery{Where: dbx.HashExp{"users.email": actor}, PerPage: 1}); err == nil && len(u) > 0 {
				actor = u[0].Id
			}
		}
		where = append(where, dbx.HashExp{"audit_log.actor": actor})
	}
	if p.Action != "" {
		where = append(where, textindex.Prefix("audit_log.action", p.Action))
	}
	if p.Resource != "" {
		where = append(where, dbx.HashExp{"audit_log.resource": p.Resource})
	}
	if p.Kind != "" {
		where = append(where, auditKindWhere(p.Kind))
	}
	if t, err := time.ParseInLocation("2006-01-02", p.From, h.i18n.tz); err == nil {
		where = append(where, dbx.NewExp("[[audit_log.at]] >= {:from}", dbx.Params{"from": t.UTC().Format(types.DefaultDateLayout)}))
	}
	if t, err := time.ParseInLocation("2006-01-02", p.To, h.i18n.tz); err == nil {
		where = append(where, dbx.NewExp("[[audit_log.at]] < {:to}", dbx.Params{"to": t.AddDate(0, 0, 1).UTC().Format(types.DefaultDateLayout)}))
	}
	search, err := auditSearchWhere(app, auth, p.Q)
	if err != nil {
		return nil, err
	}
	if search != nil {
		where = append(where, search)
	}
	if len(where) == 0 {
		return nil, nil
	}
	return dbx.And(where...), nil
}

// auditSearchWhere is the condition of a search of the audit log: every
// word matches the action, the resource, the record or the actor's role,
// or names an actor — a user auth may list whose name or e-mail contains
// it (access.ListFor on users). Nil for an empty search.
func auditSearchWhere(app core.App, auth *core.Record, q string) (dbx.Expression, error) {
	words := searchWords(q)
	if len(words) == 0 {
		return nil, nil
	}
	all := make([]dbx.Expression, 0, len(words))
	for _, w := range words {
		or := []dbx.Expression{textindex.Contains("audit_log.action", w), textindex.Contains("audit_log.resource", w),
			textindex.Contains("audit_log.record", w), textindex.Contains("audit_log.actor_role", w)}
		ids, err := userIDsMatching(app, auth, w)
		if err != nil {
			return nil, err
		}
		if len(ids) > 0 {
			or = append(or, dbx.In("audit_log.actor", anys(ids)...))
		}
		all = append(all, dbx.Or(or...))
	}
	return dbx.And(all...), nil
}

// auditRows converts audit entries and fills their actors' names (read
// for the user).
func (h *handlers) auditRows(s *session, recs []*core.Record) ([]auditRow, error) {
	var actors []string
	for _, r := range recs {
		actors = append(actors, r.GetString("actor"))
	}
	names, err := h.names(s, "users", actors)
	if err != nil {
		return nil, err
	}
	out := make([]auditRow, 0, len(recs))
	for _, r := range recs {
		out = append(out, auditRow{
			Seq: r.GetInt("seq"), At: r.GetDateTime("at"), Actor: r.GetString("actor"), ActorName: names[r.GetString("actor")],
			Role: r.GetString("actor_role"), Action: r.GetString("action"), Resource: r.GetString("resource"), Record: r.GetString("record"),
			Changes: r.GetString("changes"), IP: r.GetString("ip"),
		})
	}
	return out, nil
}
