package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// apptWeek is the ?week= of a lead's booked meeting (Paris time).
func apptWeek(l *core.Record) string {
	paris, _ := time.LoadLocation("Europe/Paris")
	return l.GetDateTime("appointment_at").Time().In(paris).Format("2006-01-02")
}

// TestAgendaJourney: on a phone, a partner manager opens its Agenda, in
// French then in English: the offer's booked meeting shows its town and
// no street; the accepted lead's shows the street, and its .ics downloads
// and reads back as an iCalendar event of that meeting (UTC, stable UID).
func TestAgendaJourney(t *testing.T) {
	s := startSite(t)
	p := s.partnerOf(t, "installer001@demo.test")
	offered := s.lead(t, dbx.And(dbx.HashExp{"partner": p, "status": "offered"}, dbx.NewExp("appointment_at != ''")))
	accepted := s.lead(t, dbx.And(dbx.HashExp{"partner": p, "status": []any{"accepted", "contacted"}}, dbx.NewExp("appointment_at != ''")))
	contact, err := s.app.FindFirstRecordByData("lead_contacts", "lead", accepted.Id)
	require.NoError(t, err)
	offeredContact, err := s.app.FindFirstRecordByData("lead_contacts", "lead", offered.Id)
	require.NoError(t, err)
	street := contact.GetString("appointment_street")
	require.NotEmpty(t, street)

	b := browser(t)
	ctx := tab(t, b)
	do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	login(t, ctx, s, "installer001@demo.test")
	for _, lang := range []struct{ code string }{{"fr"}, {"en"}} {
		me, err := s.app.FindAuthRecordByEmail("users", "installer001@demo.test")
		require.NoError(t, err)
		me.Set("locale", lang.code)
		require.NoError(t, s.app.Save(me))
		do(t, ctx,
			chromedp.Navigate(s.url+"/agenda?week="+apptWeek(offered)),
			chromedp.WaitVisible(chromedp.CSS("#meeting-"+offered.Id)),
		)
		fitsWidth(t, ctx, "the agenda ("+lang.code+")")
		item, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#meeting-"+offered.Id)))
		require.NoError(t, err)
		require.Contains(t, item, offered.GetString("appointment_city"))
		require.NotContains(t, item, offeredContact.GetString("appointment_street"), "no street before acceptance")
		if lang.code == "en" {
			require.Contains(t, html(t, ctx), "Previous week")
		} else {
			require.Contains(t, html(t, ctx), "Semaine précédente")
		}
		screenshot(t, ctx, "agenda-"+lang.code+"-mobile.png")
	}

	do(t, ctx,
		chromedp.Navigate(s.url+"/agenda?week="+apptWeek(accepted)),
		chromedp.WaitVisible(chromedp.CSS("#meeting-"+accepted.Id+" a[data-ics]")),
	)
	item, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#meeting-"+accepted.Id)))
	require.NoError(t, err)
	require.Contains(t, item, street)

	dir := t.TempDir()
	enabled := true
	progress := chromedp.BrowserEvents(ctx, cdpbrowser.DownloadProgress)
	do(t, ctx,
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.CallBrowser(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
				Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: &enabled,
				BrowserContextID: chromedp.FromContext(ctx).BrowserContextID,
			})
			return err
		}),
		chromedp.Click(chromedp.CSS("#meeting-"+accepted.Id+" a[data-ics]")),
	)
	var file string
	for ev, err := range progress {
		require.NoError(t, err)
		if ev.State == cdpbrowser.DownloadProgressStateCanceled {
			t.Fatal("the download was cancelled")
		}
		if ev.State == cdpbrowser.DownloadProgressStateCompleted {
			file = filepath.Join(dir, ev.GUID)
			break
		}
	}
	raw, err := os.ReadFile(file)
	require.NoError(t, err)
	ics := strings.ReplaceAll(string(raw), "\r\n ", "") // unfold (RFC 5545 §3.1)
	require.True(t, strings.HasPrefix(ics, "BEGIN:VCALENDAR\r\n"), ics)
	require.Contains(t, ics, "\r\nBEGIN:VEVENT\r\n")
	require.Contains(t, ics, "\r\nUID:lead-"+accepted.Id+"-meeting@relais\r\n")
	start := accepted.GetDateTime("meeting_at").Time()
	if start.IsZero() {
		start = accepted.GetDateTime("appointment_at").Time()
	}
	require.Contains(t, ics, "\r\nDTSTART:"+start.UTC().Format("20060102T150405Z")+"\r\n")
	require.Contains(t, ics, "\r\nLOCATION:"+strings.ReplaceAll(street, ",", `\,`))
	require.Contains(t, ics, "\r\nEND:VCALENDAR\r\n")
}
