package charts

import "html/template"

// Bar is one step of the funnel.
type Bar struct {
	Label string  // the step, printed left of the bar
	Value float64 // the bar's length (relative to the largest)
	Text  string  // the printed value, right of the bar ("1 234 · 56 %")
}

// funnel geometry (viewBox units)
const (
	funnelW      = 720.0
	funnelLabelW = 170.0
	funnelValueW = 170.0
	funnelRow    = 42.0
	funnelBar    = 30.0
)

// Funnel draws the bars centred on one axis, widest first, each with its
// label and printed value; the description lists every step.
func Funnel(m Meta, bars []Bar) template.HTML {
	var b svg
	height := funnelRow*float64(max(len(bars), 1)) + 8
	extra := ""
	for i, bar := range bars {
		if i > 0 {
			extra += "; "
		}
		extra += bar.Label + ": " + bar.Text
	}
	b.open(m, "img", funnelW, height, extra)
	top := 0.0
	for _, bar := range bars {
		top = max(top, bar.Value)
	}
	area := funnelW - funnelLabelW - funnelValueW - 20
	for i, bar := range bars {
		y := 4 + float64(i)*funnelRow
		w := 0.0
		if top > 0 {
			w = area * bar.Value / top
		}
		if bar.Value > 0 {
			w = max(w, 2)
		}
		x := funnelLabelW + 10 + (area-w)/2
		b.text(funnelLabelW, y+funnelBar/2+5, "end", "14", "600", inkColor, bar.Label)
		// the background lane shows the full width, so that a short bar
		// reads as short without comparing colours
		b.f(`<rect x="%s" y="%s" width="%s" height="%s" fill="#eef2f5"/>`, num(funnelLabelW+10), num(y), num(area), num(funnelBar))
		b.f(`<rect x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s</title></rect>`,
			num(x), num(y), num(w), num(funnelBar), funnelColor(i, len(bars)), esc(bar.Label+": "+bar.Text))
		b.text(funnelW-funnelValueW+10, y+funnelBar/2+5, "start", "14", "400", inkColor, bar.Text)
	}
	return b.html()
}

// funnelColor darkens with depth (also readable in greyscale).
func funnelColor(i, n int) string {
	palette := []string{"#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"}
	if n <= 1 {
		return palette[2]
	}
	return palette[i*(len(palette)-1)/(n-1)]
}
