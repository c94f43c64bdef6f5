package ui

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/reportcalc"
)

var (
	kpiConversionRe = regexp.MustCompile(`(?s)id="kpi-conversion".*?<strong>([^<]*)</strong>`)
	// the scorecard's conversion cell is its 8th cell: name (th), then 7 td
	scoreConversionRe = `(?s)<tr data-partner-id="%s">\s*<th.*?</th>(?:\s*<td[^>]*>.*?</td>){6}\s*<td class="num" data-label="[^"]*">([^<]*)`
)

// Conversion is one figure: for the same company and period, "my figures",
// the scorecard page (as the partner and as the admin), the report API and
// its CSV say the same, and it is reportcalc.Conversion of the leads won
// and accepted.
func TestConversionAgreesAcrossPages(t *testing.T) {
	e := newEnv(t)
	tr, err := newTranslator()
	require.NoError(t, err)
	fr := tr.locale("fr")
	for _, pm := range []string{"installer001@demo.test", "installer002@demo.test", "installer003@demo.test"} {
		pid := e.user(pm).GetString("partner")
		today := reportcalc.DayStart(time.Now())
		quarter := "?from=" + today.AddDate(0, -3, 0).Format("2006-01-02") + "&to=" + today.Format("2006-01-02")
		for period, apiPeriod := range map[string]string{"": "", "?period=quarter": quarter} {
			api := e.apiGet("/api/prm/reports/partners"+apiPeriod, pm)
			require.Equal(t, http.StatusOK, api.Status, api.Body)
			var got struct {
				Data []struct {
					Partner    string  `json:"partner"`
					Conversion float64 `json:"conversion_pct"`
					Won        int     `json:"won"`
				} `json:"data"`
			}
			require.NoError(t, json.Unmarshal([]byte(api.Body), &got))
			require.Len(t, got.Data, 1, "a partner sees its own row")
			conv := got.Data[0].Conversion
			// the definition: won ÷ accepted leads of the period
			var won, accepted int
			from, to := periodOf(t, api.Body)
			require.NoError(t, e.app.DB().NewQuery(`SELECT COUNT(*), COALESCE(SUM(status = 'won'), 0) FROM leads
				WHERE partner = {:p} AND accepted_at != '' AND accepted_at >= {:from} AND accepted_at < date({:to}, '+1 day')`).
				Bind(map[string]any{"p": pid, "from": from, "to": to}).Row(&accepted, &won))
			assert.Equal(t, reportcalc.Conversion(won, accepted), conv, pm+period)
			want := fr.Pct(conv / 100)

			fig := e.signedIn(pm).get("/figures" + period)
			require.Equal(t, http.StatusOK, fig.Status)
			m := kpiConversionRe.FindStringSubmatch(fig.Body)
			require.NotNil(t, m, "conversion on /figures")
			assert.Equal(t, want, m[1], "/figures of "+pm+period)
			has(t, fig.Body, esc(fr.T("report.conversion.definition")), "the definition is named")

			for _, who := range []string{pm, "admin@demo.test"} {
				rep := e.signedIn(who).get("/reports" + period)
				require.Equal(t, http.StatusOK, rep.Status)
				m = regexp.MustCompile(strings.Replace(scoreConversionRe, "%s", pid, 1)).FindStringSubmatch(rep.Body)
				require.NotNil(t, m, "row of %s on /reports of %s", pid, who)
				assert.Equal(t, want, m[1], "/reports of "+who+period)
			}
			sep := "?"
			if apiPeriod != "" {
				sep = "&"
			}
			adminAPI := e.apiGet("/api/prm/reports/partners"+apiPeriod+sep+"partner="+pid+"&format=csv", "admin@demo.test")
			require.Equal(t, http.StatusOK, adminAPI.Status)
			recs, err := csv.NewReader(strings.NewReader(adminAPI.Body)).ReadAll()
			require.NoError(t, err)
			require.Len(t, recs, 2)
			assert.Equal(t, csvDecimalOf(conv), recs[1][11], "CSV conversion_pct")
		}
	}
}

// periodOf reads the from/to dates of a report API answer.
func periodOf(t *testing.T, body string) (string, string) {
	var p struct{ From, To string }
	require.NoError(t, json.Unmarshal([]byte(body), &p))
	return p.From, p.To
}

func csvDecimalOf(v float64) string {
	b, _ := json.Marshal(v)
	return string(b)
}
