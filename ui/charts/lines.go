package charts

import (
	"html/template"
	"math"
)

// Series is one line of the trend.
type Series struct {
	Name   string
	Values []float64 // one per x label
}

// seriesStyle tells the series apart without colour: dash pattern and
// marker shape differ too.
type seriesStyle struct {
	color, dash, marker string
}

var seriesStyles = []seriesStyle{
	{"#0f5d75", "", "circle"},
	{"#a15c00", "8 4", "square"},
	{"#1f7a4d", "2 4", "triangle"},
	{"#6a3d9a", "12 4 3 4", "diamond"},
}

// line chart geometry
const (
	linesW      = 760.0
	linesH      = 320.0
	linesLeft   = 60.0
	linesRight  = 16.0
	linesTop    = 44.0
	linesBottom = 36.0
)

// Lines draws one line per series over the x labels (months), with a
// legend, horizontal grid lines labelled by format, and a marker carrying
// a tooltip with the value at every point.
func Lines(m Meta, x []string, series []Series, format func(float64) string) template.HTML {
	var b svg
	extra := ""
	for i, s := range series {
		if i > 0 {
			extra += "; "
		}
		extra += s.Name + ":"
		for j, v := range s.Values {
			if j < len(x) {
				extra += " " + x[j] + " " + format(v)
				if j < len(s.Values)-1 {
					extra += ","
				}
			}
		}
	}
	b.open(m, "img", linesW, linesH, extra)
	plotW, plotH := linesW-linesLeft-linesRight, linesH-linesTop-linesBottom
	top := 0.0
	for _, s := range series {
		for _, v := range s.Values {
			top = max(top, v)
		}
	}
	top, step := niceScale(top, 4)
	for v := 0.0; v <= top+step/2; v += step {
		y := linesTop + plotH - plotH*v/top
		b.f(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1"/>`, num(linesLeft), num(y), num(linesW-linesRight), num(y), lineColor)
		b.text(linesLeft-6, y+4, "end", "11", "400", mutedColor, format(v))
	}
	n := len(x)
	xAt := func(i int) float64 { return linesLeft + plotW*(float64(i)+0.5)/float64(max(n, 1)) }
	every := 1
	if n > 12 {
		every = int(math.Ceil(float64(n) / 12))
	}
	for i, label := range x {
		if i%every == 0 {
			b.text(xAt(i), linesH-linesBottom+18, "middle", "11", "400", mutedColor, label)
		}
	}
	// legend: a line sample with its marker, then the name
	lx := linesLeft
	for i, s := range series {
		st := seriesStyles[i%len(seriesStyles)]
		b.f(`<line x1="%s" y1="16" x2="%s" y2="16" stroke="%s" stroke-width="2.5" stroke-dasharray="%s"/>`, num(lx), num(lx+30), st.color, st.dash)
		marker(&b, st, lx+15, 16, "")
		b.text(lx+36, 20, "start", "12", "600", inkColor, s.Name)
		lx += 36 + 7.5*float64(len([]rune(s.Name))) + 24
	}
	for i, s := range series {
		st := seriesStyles[i%len(seriesStyles)]
		pts := ""
		for j, v := range s.Values {
			if j >= n {
				break
			}
			pts += num(xAt(j)) + "," + num(linesTop+plotH-plotH*v/top) + " "
		}
		b.f(`<polyline points="%s" fill="none" stroke="%s" stroke-width="2.5" stroke-dasharray="%s" stroke-linejoin="round"/>`, pts, st.color, st.dash)
		for j, v := range s.Values {
			if j >= n {
				break
			}
			marker(&b, st, xAt(j), linesTop+plotH-plotH*v/top, s.Name+", "+x[j]+": "+format(v))
		}
	}
	return b.html()
}

// marker draws a series' marker shape at (x, y) with a tooltip.
func marker(b *svg, st seriesStyle, x, y float64, title string) {
	t := ""
	if title != "" {
		t = "<title>" + esc(title) + "</title>"
	}
	switch st.marker {
	case "square":
		b.f(`<rect x="%s" y="%s" width="8" height="8" fill="%s">%s</rect>`, num(x-4), num(y-4), st.color, t)
	case "triangle":
		b.f(`<path d="M%s %sl5 9h-10z" fill="%s">%s</path>`, num(x), num(y-5.5), st.color, t)
	case "diamond":
		b.f(`<path d="M%s %sl5 5-5 5-5-5z" fill="%s">%s</path>`, num(x), num(y-5), st.color, t)
	default:
		b.f(`<circle cx="%s" cy="%s" r="4.5" fill="%s">%s</circle>`, num(x), num(y), st.color, t)
	}
}

// niceScale returns an axis maximum ≥ top and its step, both round
// numbers, for about `ticks` intervals; an empty chart gets 0–4.
func niceScale(top float64, ticks int) (float64, float64) {
	if top <= 0 {
		return float64(ticks), 1
	}
	raw := top / float64(ticks)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, f := range []float64{1, 2, 5, 10} {
		if f*mag >= raw {
			step = f * mag
			break
		}
	}
	if step < 1 {
		step = 1
	}
	return math.Ceil(top/step) * step, step
}
