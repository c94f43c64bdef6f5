package charts

import (
	"encoding/xml"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/geo"
)

// wellFormed parses the markup as XML (inline SVG must be well formed) and
// returns the text of every element, in order.
func wellFormed(t *testing.T, markup string) string {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(markup))
	var text strings.Builder
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err, "the SVG is not well formed")
		if c, ok := tok.(xml.CharData); ok {
			text.Write(c)
			text.WriteString("|")
		}
	}
	return text.String()
}

var noStyle = regexp.MustCompile(`\sstyle=|<style|<script|\son[a-z]+=`)

func TestFunnelPrintsEveryValueAndIsAccessible(t *testing.T) {
	out := string(Funnel(Meta{ID: "f", Title: "Funnel <3", Desc: "Leads by stage."}, []Bar{
		{Label: "New", Value: 200, Text: "200 · 100 %"},
		{Label: "Won", Value: 20, Text: "20 · 10 %"},
		{Label: "Lost & gone", Value: 0, Text: "0 · 0 %"},
	}))
	text := wellFormed(t, out)
	assert.Contains(t, out, `role="img" aria-labelledby="f-title f-desc"`)
	assert.Contains(t, text, "Funnel <3|", "the title is escaped, not dropped")
	assert.Contains(t, text, "Leads by stage. New: 200 · 100 %; Won: 20 · 10 %; Lost & gone: 0 · 0 %|", "the description lists the figures")
	for _, s := range []string{"New|", "200 · 100 %|", "Won|", "20 · 10 %|"} {
		assert.Contains(t, text, s, "printed, not only drawn")
	}
	// the widest bar takes the whole lane, the others are proportional
	widths := regexp.MustCompile(`<rect x="[0-9.]+" y="[0-9.]+" width="([0-9.]+)" height="30" fill="#[0-9a-f]+"><title>`).FindAllStringSubmatch(out, -1)
	require.Len(t, widths, 3)
	assert.Equal(t, "360", widths[0][1])
	assert.Equal(t, "36", widths[1][1])
	assert.Equal(t, "0", widths[2][1])
	assert.Empty(t, noStyle.FindAllString(out, -1))
}

func TestLinesTellSeriesApartWithoutColour(t *testing.T) {
	format := func(v float64) string { return strings.TrimSuffix(strings.TrimSuffix(num(v), ".0"), ".00") }
	out := string(Lines(Meta{ID: "t", Title: "Trend"}, []string{"Jan", "Feb", "Mar"}, []Series{
		{Name: "Created", Values: []float64{10, 40, 23}},
		{Name: "Won", Values: []float64{1, 2, 3}},
	}, format))
	text := wellFormed(t, out)
	assert.Contains(t, text, "Created: Jan 10, Feb 40, Mar 23; Won: Jan 1, Feb 2, Mar 3|")
	assert.Contains(t, text, "Created, Feb: 40|", "every point has its value as a tooltip")
	// axis 0–40 by 10
	for _, tick := range []string{"0|", "10|", "20|", "30|", "40|"} {
		assert.Contains(t, text, tick)
	}
	assert.Contains(t, out, `stroke-dasharray="8 4"`, "the second series is dashed")
	assert.Equal(t, 3+1, strings.Count(out, "<circle"), "circles for the first series (and its legend)")
	assert.Equal(t, 3+1, strings.Count(out, `<rect x=`), "squares for the second series (and its legend)")
	assert.Empty(t, noStyle.FindAllString(out, -1))
}

func TestNiceScale(t *testing.T) {
	for _, c := range []struct{ top, max, step float64 }{
		{0, 4, 1}, {3, 3, 1}, {40, 40, 10}, {41, 60, 20}, {123, 150, 50}, {999, 1000, 500}, {1001, 1500, 500},
	} {
		m, s := niceScale(c.top, 4)
		assert.Equal(t, c.max, m, "max for %v", c.top)
		assert.Equal(t, c.step, s, "step for %v", c.top)
	}
}

func TestMapDrawsEveryDepartementAsALink(t *testing.T) {
	codes := MetropolitanCodes()
	require.Len(t, codes, 96)
	drawn := map[string]bool{}
	for _, c := range codes {
		drawn[c] = true
	}
	drawn["971"], drawn["972"], drawn["973"], drawn["974"], drawn["975"], drawn["976"] = true, true, true, true, true, true
	for _, d := range geo.Departements() {
		assert.True(t, drawn[d.Code], "département %s %s has a shape", d.Code, d.Name)
	}
	assert.Len(t, drawn, len(geo.Departements()), "no shape without a département")

	var areas []Area
	for _, d := range geo.Departements() {
		areas = append(areas, Area{Code: d.Code, Class: 2, Href: "/reports?department=" + d.Code, Title: d.Code + " " + d.Name})
	}
	for i := range areas {
		if areas[i].Code == "35" {
			areas[i].Gap, areas[i].Selected = true, true
		}
	}
	out := string(FranceMap(MapSpec{Meta: Meta{ID: "m", Title: "Leads"}, Areas: areas,
		Legend: []LegendItem{{0, "none"}, {2, "1–5"}}, GapLabel: "Leads without any active partner", Overseas: "Overseas"}))
	text := wellFormed(t, out)
	assert.Equal(t, len(geo.Departements()), strings.Count(out, `<a href="/reports?department=`), "every département is a link")
	assert.Contains(t, out, `<a href="/reports?department=2A" aria-label="2A Corse-du-Sud">`)
	assert.Contains(t, out, `<a href="/reports?department=976"`, "overseas too")
	assert.Contains(t, out, `role="group" aria-labelledby="m-title m-desc"`, "a group: its links stay reachable")
	assert.Contains(t, out, `<pattern id="m-gap"`)
	assert.Equal(t, 2, strings.Count(out, `fill="url(#m-gap)"`), "the gap and its legend are hatched")
	assert.Contains(t, text, "Leads without any active partner: 35 Ille-et-Vilaine|", "the gaps are listed in the description")
	assert.Contains(t, text, "Leads without any|active partner|", "the legend explains the hatching")
	assert.Contains(t, out, `stroke-width="2.5" pointer-events="none"`, "the selected département is outlined")
	assert.Empty(t, noStyle.FindAllString(out, -1))

	// no gap label: no hatching legend
	out = string(FranceMap(MapSpec{Meta: Meta{ID: "p"}, Areas: areas[:3]}))
	wellFormed(t, out)
	assert.NotContains(t, out, `fill="url(#p-gap)" stroke`)
	assert.Equal(t, 3, strings.Count(out, "<a href="), "départements without an area are not links")
}

func TestBreaksAndClasses(t *testing.T) {
	for _, c := range []struct {
		top  int
		want []int
	}{
		{0, nil}, {1, []int{1}}, {4, []int{1, 2, 3, 4}}, {5, []int{1, 2, 3, 4, 5}}, {7, []int{2, 4, 6, 8}},
		{40, []int{8, 16, 24, 32, 40}}, {123, []int{25, 50, 75, 100, 125}}, {1000, []int{200, 400, 600, 800, 1000}},
	} {
		assert.Equal(t, c.want, Breaks(c.top, 5), "breaks of %d", c.top)
	}
	b := Breaks(40, 5)
	assert.Equal(t, 0, ClassOf(0, b))
	assert.Equal(t, 1, ClassOf(1, b))
	assert.Equal(t, 1, ClassOf(8, b))
	assert.Equal(t, 2, ClassOf(9, b))
	assert.Equal(t, 5, ClassOf(40, b))
	assert.Equal(t, 5, ClassOf(99, b))
}

func TestWrap(t *testing.T) {
	assert.Equal(t, []string{"Leads without any", "active partner"}, wrap("Leads without any active partner", 20))
	assert.Equal(t, []string{"short"}, wrap("short", 20))
}
