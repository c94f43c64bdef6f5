package ui

import (
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/privacy"
)

//go:embed templates/*.html
var templateFS embed.FS

// viewNames declares every view; each is templates/<name>.html parsed with
// the base views (baseViews), and must define "title" and "content".
// A missing or broken view fails the start (and TestEveryViewRenders).
var viewNames = []string{
	"login", "error", "forgot_password", "reset_password", "profile",
	"inbox", "leads", "lead", "documents", "notifications", "figures",
	"pool", "board", "reassign", "partners", "partner", "users", "matrix", "audit", "access_review",
	"dashboard", "report_partners", "report_charts", "report_map", "help",
	"access_requests", "approvals", "grants",
	"accounts", "account", "account_new", "lead_new", "lead_import",
	"welcome", "team", "user_new", "partner_form", "document_form",
	"registrations", "opportunities", "opportunity",
	"dashboard", "report_partners", "report_charts", "report_map", "help", "certificates",
	"integrations", "integration_deliveries",
	"conflicts",
	"agenda",
	"roi", "campaigns", "cert_rules",
	"login_code", "security",
}

// baseViews are the template files every view is parsed with: the page
// layout, the shared partials, the header's notification menu.
var baseViews = []string{"layout", "partials", "notes_menu", "guide"}

// viewParts lists, per view, the shared template files it is parsed with
// besides the base views (the report pages share their tabs
// and filters).
var viewParts = map[string][]string{
	"lead":      {"arbit_parts"},
	"dashboard": {"report_parts"}, "report_partners": {"report_parts"}, "report_charts": {"report_parts"}, "report_map": {"report_parts"}, "roi": {"report_parts"},
	"account": {"account_parts"}, "account_new": {"account_parts"}, "lead_new": {"account_parts"},
	"partner": {"cert_parts"}, "certificates": {"cert_parts"},
}

// views are the parsed templates, one set per view.
type views struct {
	sets map[string]*template.Template
}

var templateFuncs = template.FuncMap{
	"iso":    ISO,
	"urgent": Urgent,
	"join":   strings.Join,
	"has": func(list []string, s string) bool {
		for _, v := range list {
			if v == s {
				return true
			}
		}
		return false
	},
	"add":  func(a, b int) int { return a + b },
	"list": func(v ...string) []string { return v },
	// args passes the page and one value to a sub-template.
	"args": func(p, v any) pair { return pair{P: p, V: v} },
}

func parseViews() (*views, error) {
	v := &views{sets: map[string]*template.Template{}}
	for _, name := range viewNames {
		files := []string{}
		for _, b := range baseViews {
			files = append(files, "templates/"+b+".html")
		}
		for _, part := range viewParts[name] {
			files = append(files, "templates/"+part+".html")
		}
		t, err := template.New(name).Funcs(templateFuncs).ParseFS(templateFS, append(files, "templates/"+name+".html")...)
		if err != nil {
			return nil, fmt.Errorf("ui: view %s: %w", name, err)
		}
		for _, need := range []string{"layout", "title", "content"} {
			if t.Lookup(need) == nil {
				return nil, fmt.Errorf("ui: view %s does not define %q", name, need)
			}
		}
		v.sets[name] = t
	}
	return v, nil
}

// pair is the argument of a sub-template that needs the page and a value.
type pair struct{ P, V any }

func (p pair) base() *page {
	if v, ok := p.P.(viewData); ok {
		return v.base()
	}
	return nil
}

// viewData is implemented by every page data struct (they embed *page).
type viewData interface{ base() *page }

func (p *page) base() *page { return p }

// render writes a view: the whole page, or only its "content" block for an
// htmx request (STYLE §6).
func (h *handlers) render(e *core.RequestEvent, status int, view string, data viewData) error {
	name := "layout"
	// htmx restores a page of the history (back button) by swapping the
	// whole body: it needs the full page
	if isHX(e) && e.Request.Header.Get("HX-History-Restore-Request") != "true" {
		name = "content"
	}
	return h.fragment(e, status, view, name, data)
}

// fragment writes one named template of a view (an htmx swap).
func (h *handlers) fragment(e *core.RequestEvent, status int, view, name string, data viewData) error {
	set := h.views.sets[view]
	if set == nil {
		return fmt.Errorf("ui: unknown view %q", view)
	}
	buf := renderBuf() // render_buffer.go
	defer releaseRenderBuf(buf)
	if err := set.ExecuteTemplate(buf, name, data); err != nil {
		return fmt.Errorf("ui: rendering %s/%s: %w", view, name, err)
	}
	// what e.HTML does, from the buffer's bytes (no copy into a string)
	return e.Blob(status, "text/html; charset=utf-8", buf.Bytes())
}

// page is the common data of every view, filled by h.page: the user, the
// locale (T, Date, Num… are promoted from it), the CSRF token, the flash
// message, asset URLs and the menu.
type page struct {
	*locale
	Title    string
	Active   string // menu key
	UserID   string
	UserName string
	Email    string
	Role     string
	Kind     string
	Caps     caps
	Menu     []menuItem
	CSRF     string
	Flash    string
	CSS      string
	JS       string
	AppJS    string // the double-submit guard of plain forms
	Icon     string
	Now      time.Time
	Path     string
	Unread   int // unread notifications (the header's count)
	// Guide is the first-login guide of the user's role (help.go): set on
	// the first full page the user sees, and on the Help page.
	Guide     template.HTML
	GuideOnce bool // the guide shows because this is the user's first page
}

// CSRFHeaders is the hx-headers value that sends the CSRF token with every
// htmx request of the page.
func (p *page) CSRFHeaders() string {
	return `{"` + csrfHeader + `":"` + p.CSRF + `"}`
}

// page builds the common view data (the one view helper).
func (h *handlers) page(e *core.RequestEvent, active, titleID string) *page {
	s := sess(e)
	var user *core.Record
	if s != nil {
		user = s.user
	}
	p := &page{
		locale: h.i18n.locale(h.i18n.langFor(e.Request, user)),
		Active: active,
		CSRF:   h.csrfToken(e),
		CSS:    h.assets.URL("relais.css"),
		JS:     h.assets.URL("htmx.js"),
		AppJS:  h.assets.URL("relais.js"),
		Icon:   h.assets.URL("icon.svg"),
		Now:    h.now(),
		Path:   e.Request.URL.Path,
	}
	if id := takeFlash(e); id != "" {
		p.Flash = p.T(id)
	}
	if s != nil {
		p.UserID, p.UserName, p.Email = s.user.Id, s.user.GetString("name"), s.user.Email()
		p.Role, p.Kind, p.Caps = s.role, s.kind, s.caps
		p.Menu = menuFor(s.caps)
		h.withUnread(e, p)
		h.showGuideOnce(e, p)
	}
	if titleID != "" {
		p.Title = p.T(titleID)
	}
	return p
}

// RoleLabel translates a role id (custom roles show their id).
func (p *page) RoleLabel(role string) string {
	if v := p.T("role." + role); v != "role."+role {
		return v
	}
	return role
}

// LeadName is how a lead is named on a page: its company, or for a
// private customer the name from its contact when the user may read it,
// else a neutral label in the page's language ("Particulier — Brest (29)",
// SPEC §3.3.3).
func (p *page) LeadName(l leadView) string {
	switch {
	case l.Name != "":
		return l.Name
	case l.Private:
		return privacy.Label(p.Lang, l.City, l.Department)
	}
	return l.Company
}

// Label translates a value of a select field ("status.offered",
// "segment.farm"…); unknown values are shown as they are.
func (p *page) Label(prefix, value string) string {
	if value == "" {
		return ""
	}
	if v := p.T(prefix + "." + value); v != prefix+"."+value {
		return v
	}
	return value
}

// Employees shows a company size band with its noun ("1 salarié",
// "10-49 salariés"): only the band "1" is singular.
func (p *page) Employees(size string) string {
	n := 2
	if size == "1" {
		n = 1
	}
	return p.T("lead.employees", "Size", size, "Count", n)
}

// Err translates a domain error by its code (and field), falling back to
// the domain's own (English) message for codes the UI does not know.
func (p *page) Err(de *domain.Error) string {
	for _, id := range []string{"err." + de.Code + "." + de.Field, "err." + de.Code} {
		if v := p.T(id); v != id {
			return v
		}
	}
	return de.Message
}

// htmlStatus is a helper for handlers rendering a form with errors.
const htmlStatusInvalid = http.StatusUnprocessableEntity
