package ui

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/access"
)

// auditPage is the audit log viewer with filters.
type auditPage struct {
	*page
	Entries                           []auditRow
	Actor, Action, Resource, From, To string
	PageNo                            int
	Next, Prev                        string
	Verify                            *verifyResult
}

type auditRow struct {
	Seq                                              int
	At                                               types.DateTime
	Actor, ActorName, Role, Action, Resource, Record string
	Changes, IP                                      string
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
	p := &auditPage{page: h.page(e, "audit", "audit.title"), PageNo: pageParam(e),
		Actor: strings.TrimSpace(qv.Get("actor")), Action: strings.TrimSpace(qv.Get("action")), Resource: strings.TrimSpace(qv.Get("resource")),
		From: qv.Get("from"), To: qv.Get("to")}
	var where []dbx.Expression
	if p.Actor != "" {
		actor := p.Actor
		if strings.Contains(actor, "@") {
			if u, _, err := access.ListFor(e.App, s.user, "users", access.ListQuery{Where: dbx.HashExp{"users.email": actor}, PerPage: 1}); err == nil && len(u) > 0 {
				actor = u[0].Id
			}
		}
		where = append(where, dbx.HashExp{"audit_log.actor": actor})
	}
	if p.Action != "" {
		where = append(where, dbx.Like("audit_log.action", p.Action).Match(false, true))
	}
	if p.Resource != "" {
		where = append(where, dbx.HashExp{"audit_log.resource": p.Resource})
	}
	if t, err := time.ParseInLocation("2006-01-02", p.From, h.i18n.tz); err == nil {
		where = append(where, dbx.NewExp("[[audit_log.at]] >= {:from}", dbx.Params{"from": t.UTC().Format(types.DefaultDateLayout)}))
	}
	if t, err := time.ParseInLocation("2006-01-02", p.To, h.i18n.tz); err == nil {
		where = append(where, dbx.NewExp("[[audit_log.at]] < {:to}", dbx.Params{"to": t.AddDate(0, 0, 1).UTC().Format(types.DefaultDateLayout)}))
	}
	q := access.ListQuery{Sort: "-seq", Page: p.PageNo, PerPage: 50}
	if len(where) > 0 {
		q.Where = dbx.And(where...)
	}
	recs, _, err := access.ListFor(e.App, s.user, "audit_log", q)
	if err != nil {
		return nil, err
	}
	var actors []string
	for _, r := range recs {
		actors = append(actors, r.GetString("actor"))
	}
	names, err := h.names(s, "users", actors)
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		p.Entries = append(p.Entries, auditRow{
			Seq: r.GetInt("seq"), At: r.GetDateTime("at"), Actor: r.GetString("actor"), ActorName: names[r.GetString("actor")],
			Role: r.GetString("actor_role"), Action: r.GetString("action"), Resource: r.GetString("resource"), Record: r.GetString("record"),
			Changes: r.GetString("changes"), IP: r.GetString("ip"),
		})
	}
	link := func(n int) string {
		v := url.Values{}
		for k, val := range map[string]string{"actor": p.Actor, "action": p.Action, "resource": p.Resource, "from": p.From, "to": p.To} {
			if val != "" {
				v.Set(k, val)
			}
		}
		v.Set("page", itoa(n))
		return "/audit?" + v.Encode()
	}
	if p.PageNo > 1 {
		p.Prev = link(p.PageNo - 1)
	}
	if len(recs) == q.PerPage {
		p.Next = link(p.PageNo + 1)
	}
	return p, nil
}
