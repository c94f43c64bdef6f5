package e2e

import (
	"bytes"
	"encoding/binary"
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/intake"
)

// wav is half a second of 8 kHz 8-bit mono silence: a file Chromium
// decodes.
func wav() []byte {
	const rate, n = 8000, 4000
	var b bytes.Buffer
	b.WriteString("RIFF")
	_ = binary.Write(&b, binary.LittleEndian, uint32(36+n))
	b.WriteString("WAVEfmt ")
	for _, v := range []any{uint32(16), uint16(1), uint16(1), uint32(rate), uint32(rate), uint16(1), uint16(8)} {
		_ = binary.Write(&b, binary.LittleEndian, v)
	}
	b.WriteString("data")
	_ = binary.Write(&b, binary.LittleEndian, uint32(n))
	b.Write(bytes.Repeat([]byte{0x80}, n))
	return b.Bytes()
}

// TestReassignJourney: on a phone, a channel manager plays the call
// recording of a lead in progress (the player loads it under the page's
// CSP) and reassigns the lead to another installer with a reason; the
// former salesperson can no longer open it.
func TestReassignJourney(t *testing.T) {
	s := startSite(t)
	b := browser(t)
	pu, err := s.app.FindAuthRecordByEmail("users", "installer001.sales@demo.test")
	require.NoError(t, err)
	lead := s.lead(t, dbx.HashExp{"status": "contacted", "assignee": pu.Id})
	admin, err := s.app.FindAuthRecordByEmail("users", "admin@demo.test")
	require.NoError(t, err)
	f, err := filesystem.NewFileFromBytes(wav(), "appel.wav")
	require.NoError(t, err)
	_, err = intake.AttachRecording(s.app, access.ByUser(admin), lead.Id, f, "Appel de qualification (e2e)")
	require.NoError(t, err)
	target := s.partnerOf(t, "installer002@demo.test")

	ctx := tab(t, b)
	login(t, ctx, s, "manager@demo.test")
	do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Navigate(s.url+"/leads/"+lead.Id), chromedp.WaitVisible(chromedp.CSS("#reassign")))
	_, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { document.querySelector(".recording audio").load(); return true })()`))
	require.NoError(t, err)
	var state float64
	for i := 0; i < 50 && state < 1; i++ {
		time.Sleep(100 * time.Millisecond)
		state, err = chromedp.Run(ctx, chromedp.Evaluate[float64](`(() => { const a = document.querySelector(".recording audio"); return a.error ? -1 : a.readyState })()`))
		require.NoError(t, err)
	}
	require.GreaterOrEqual(t, state, 1.0, "the player loads the recording (readyState; -1 is a media error)")
	width, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.documentElement.scrollWidth`))
	require.NoError(t, err)
	wide, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > 391).slice(0, 8).map(e => e.tagName + "#" + e.id + "." + e.className + ":" + Math.round(e.getBoundingClientRect().right)).join(" | ")`))
	require.LessOrEqual(t, width, 391.0, "the lead page fits a phone: %s", wide)
	screenshot(t, ctx, "lead-reassign-mobile.png")

	do(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#reassign select[name="partner"]`), target),
		chromedp.SendKeys(chromedp.CSS(`#reassign input[name="reason"]`), "Client sans nouvelles (e2e)"),
		chromedp.Click(chromedp.CSS(`#reassign button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	fresh, err := s.app.FindRecordById("leads", lead.Id)
	require.NoError(t, err)
	require.Equal(t, target, fresh.GetString("partner"))
	require.Equal(t, "offered", fresh.GetString("status"))

	former := tab(t, b)
	login(t, former, s, "installer001.sales@demo.test")
	resp, err := chromedp.Run(former, chromedp.NavigateResponse(s.url+"/leads/"+lead.Id))
	require.NoError(t, err)
	require.Equal(t, int64(http.StatusNotFound), resp.Status)
}
