package ui

import (
	"errors"
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/campaigns"
	"github.com/relais/relais/hooks/domain"
)

// The campaigns page (/campaigns): the list of the marketing campaigns with
// their lead source, period and budget, which the ROI report divides by the
// deals won, and the form to create or edit one (caps.Campaigns: the
// campaigns create right of the matrix, admins by default). Reads go
// through the read path, writes through campaigns.Save (the write path).

// campaignRow is one campaign of the list.
type campaignRow struct {
	ID, Name, Channel, Source string
	Starts, Ends              any
	Budget                    float64
}

// campaignsPage is the data of the campaigns view.
type campaignsPage struct {
	*page
	Rows     []campaignRow
	Form     campaigns.Input
	EditID   string // the campaign being edited ("" : a new one)
	Channels []string
	Sources  []string
	Error    string
	Field    string
}

// campaignsPageFor lists the campaigns the user may read.
func (h *handlers) campaignsPageFor(e *core.RequestEvent) (*campaignsPage, error) {
	p := &campaignsPage{page: h.page(e, "campaigns", "campaigns.title"), Channels: campaigns.Channels, Sources: campaigns.Sources,
		Form: campaigns.Input{Source: "campaign"}}
	recs, _, err := access.ListFor(e.App, sess(e).user, "campaigns", access.ListQuery{Sort: "-starts,name", PerPage: access.MaxPerPage})
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		p.Rows = append(p.Rows, campaignRow{ID: r.Id, Name: r.GetString("name"), Channel: r.GetString("channel"), Source: r.GetString("source"),
			Starts: r.GetDateTime("starts"), Ends: r.GetDateTime("ends"), Budget: r.GetFloat("budget")})
	}
	return p, nil
}

// campaignsList shows the campaigns and the form of a new one.
func (h *handlers) campaignsList(e *core.RequestEvent) error {
	p, err := h.campaignsPageFor(e)
	if err != nil {
		return err
	}
	return h.render(e, http.StatusOK, "campaigns", p)
}

// campaignEdit shows the form of one campaign (404 if the user cannot read it).
func (h *handlers) campaignEdit(e *core.RequestEvent) error {
	rec, err := access.ViewFor(e.App, sess(e).user, "campaigns", e.Request.PathValue("id"))
	if err != nil {
		return err
	}
	p, err := h.campaignsPageFor(e)
	if err != nil {
		return err
	}
	p.EditID = rec.Id
	p.Form = campaigns.Input{Name: rec.GetString("name"), Channel: rec.GetString("channel"), Source: rec.GetString("source"),
		Starts: dateInput(rec, "starts"), Ends: dateInput(rec, "ends"), Budget: p.num.Sprintf("%.2f", rec.GetFloat("budget"))}
	return h.render(e, http.StatusOK, "campaigns", p)
}

// dateInput is a date field as an <input type="date"> value.
func dateInput(rec *core.Record, field string) string {
	d := rec.GetDateTime(field)
	if d.IsZero() {
		return ""
	}
	return d.Time().UTC().Format("2006-01-02")
}

// campaignSave creates (POST /campaigns) or updates (POST /campaigns/{id})
// a campaign; a refused form is shown again with its error.
func (h *handlers) campaignSave(e *core.RequestEvent) error {
	if err := e.Request.ParseForm(); err != nil {
		return &uiError{status: http.StatusBadRequest, msg: "error.request"}
	}
	f := e.Request.PostForm
	in := campaigns.Input{Name: f.Get("name"), Channel: f.Get("channel"), Source: f.Get("source"), Starts: f.Get("starts"),
		Ends: f.Get("ends"), Budget: f.Get("budget")}
	id := e.Request.PathValue("id")
	if id != "" {
		if _, err := access.ViewFor(e.App, sess(e).user, "campaigns", id); err != nil {
			return err
		}
	}
	_, err := campaigns.Save(e.App, access.ByRequest(e), id, in)
	if err == nil {
		setFlash(e, "campaigns.saved")
		return e.Redirect(http.StatusSeeOther, "/campaigns")
	}
	var de *domain.Error
	if !errors.As(err, &de) {
		return err
	}
	p, perr := h.campaignsPageFor(e)
	if perr != nil {
		return perr
	}
	p.EditID, p.Form, p.Error, p.Field = id, in, p.Err(de), de.Field
	return h.render(e, formStatus(de), "campaigns", p)
}
