package ui

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/yuin/goldmark"

	"github.com/relais/relais/hooks/roles"
)

//go:embed help/*.md
var helpFS embed.FS

// helpTopics are the help subjects, one per kind of work; every topic has
// help/<topic>.<lang>.md (the help page) and help/<topic>.guide.<lang>.md
// (the first-login guide, 3 to 5 steps) in both languages.
var helpTopics = []string{"partner", "teleoperator", "channel_manager", "admin", "sales"}

// helpTopic is the help subject of a role: the built-in roles by id, a
// custom role by its kind (partner roles read the partner help, internal
// ones the general internal help).
func helpTopic(role, kind string) string {
	switch {
	case role == roles.Admin:
		return "admin"
	case role == roles.ChannelManager:
		return "channel_manager"
	case role == roles.Teleoperator:
		return "teleoperator"
	case kind == string(roles.Partner):
		return "partner"
	default:
		return "sales"
	}
}

// helpDocs are the help pages and guides rendered once at start-up, by
// "<topic>.<lang>" and "<topic>.guide.<lang>".
type helpDocs map[string]template.HTML

// loadHelp renders every help Markdown file to HTML. goldmark's default
// renderer drops raw HTML (it writes a "raw HTML omitted" comment) and
// unsafe link schemes, so the HTML is safe to embed; a missing file
// fails the start.
func loadHelp() (helpDocs, error) {
	md := goldmark.New()
	docs := helpDocs{}
	for _, topic := range helpTopics {
		for _, lang := range []string{"en", "fr"} {
			for _, key := range []string{topic + "." + lang, topic + ".guide." + lang} {
				src, err := helpFS.ReadFile("help/" + key + ".md")
				if err != nil {
					return nil, fmt.Errorf("ui: help %s: %w", key, err)
				}
				html, err := renderMarkdown(md, src)
				if err != nil {
					return nil, fmt.Errorf("ui: help %s: %w", key, err)
				}
				docs[key] = html
			}
		}
	}
	return docs, nil
}

// renderMarkdown converts Markdown to HTML with goldmark's safe defaults.
func renderMarkdown(md goldmark.Markdown, src []byte) (template.HTML, error) {
	var buf bytes.Buffer
	if err := md.Convert(src, &buf); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil //nolint:gosec // goldmark without WithUnsafe escapes raw HTML
}

// page returns the help page of the user's role in the page's language.
func (d helpDocs) page(p *page) template.HTML {
	return d[helpTopic(p.Role, p.Kind)+"."+p.Lang]
}

// guide returns the first-login guide of the user's role in the page's
// language.
func (d helpDocs) guide(p *page) template.HTML {
	return d[helpTopic(p.Role, p.Kind)+".guide."+p.Lang]
}

// helpPage is the data of the help view.
type helpPage struct {
	*page
	Help template.HTML
}

// help renders the help page of the signed-in user's role, with the
// guide of the role at its top (reopened from the header's Help link).
func (h *handlers) help(e *core.RequestEvent) error {
	p := &helpPage{page: h.page(e, "help", "help.title")}
	p.Help = h.helpHTML.page(p.page)
	p.Guide = h.helpHTML.guide(p.page)
	return h.render(e, http.StatusOK, "help", p)
}

// showGuideOnce sets the guide of the page when the signed-in user has
// never seen it, and records that they have: the first full page after
// the first login shows it, no later one (it stays on the Help page).
// htmx fragments never carry it.
func (h *handlers) showGuideOnce(e *core.RequestEvent, p *page) {
	s := sess(e)
	if s == nil || isHX(e) || e.Request.Method != http.MethodGet || !s.user.GetDateTime("guide_seen").IsZero() ||
		strings.HasPrefix(e.Request.URL.Path, "/help") {
		return
	}
	now := h.now().UTC().Format("2006-01-02 15:04:05.000Z")
	if _, err := e.App.DB().NewQuery("UPDATE users SET guide_seen = {:t} WHERE id = {:id}").
		Bind(map[string]any{"t": now, "id": s.user.Id}).Execute(); err != nil {
		// not fatal for the page: the guide shows again on the next page
		e.App.Logger().Error("ui: recording the guide as seen", "user", s.user.Id, "error", err)
	}
	p.Guide = h.helpHTML.guide(p)
	p.GuideOnce = true
}
