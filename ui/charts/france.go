package charts

import (
	"html/template"
	"strings"
)

// Palette are the fills of the map classes: 0 is "no data / none", 1–5 go
// from light to dark (one hue, so the order survives greyscale and colour
// blindness).
var Palette = []string{"#eceff1", "#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"}

// gapColor draws the hatching of coverage gaps.
const gapColor = "#b3261e"

// Area is one département on the map.
type Area struct {
	Code     string
	Class    int    // index in Palette
	Gap      bool   // leads but no active partner: hatched
	Selected bool   // the département the page is filtered on: outlined
	Href     string // where a click goes
	Title    string // tooltip and accessible name ("35 Ille-et-Vilaine: 42 leads")
}

// LegendItem explains one class of the map.
type LegendItem struct {
	Class int
	Label string
}

// MapSpec is what FranceMap draws.
type MapSpec struct {
	Meta
	Areas    []Area       // by département; those without an area are drawn as class 0, without a link
	Legend   []LegendItem // the classes, in order
	GapLabel string       // legend of the hatching; "" when gaps are not shown
	Overseas string       // caption of the overseas boxes ("Outre-mer")
}

// map geometry: the paths' own box, a legend column on the right and a
// strip below for the overseas départements (not in the source map, drawn
// as labelled boxes).
const (
	mapW       = 613.0
	mapH       = 585.0
	legendX    = 625.0
	totalW     = 800.0
	overseasY  = 600.0
	totalH     = 670.0
	overseasSz = 40.0
)

// MetropolitanCodes returns the codes of the départements the map draws.
func MetropolitanCodes() []string {
	out := make([]string, len(francePaths))
	for i, p := range francePaths {
		out[i] = p.Code
	}
	return out
}

// overseasCodes are drawn as boxes under the map.
var overseasCodes = []string{"971", "972", "973", "974", "975", "976"}

// FranceMap draws the départements coloured by class, gaps hatched, each a
// link with its tooltip, then the overseas boxes and the legend.
func FranceMap(s MapSpec) template.HTML {
	byCode := make(map[string]Area, len(s.Areas))
	var extra []string
	for _, a := range s.Areas {
		byCode[a.Code] = a
		if a.Gap {
			extra = append(extra, a.Title)
		}
	}
	var b svg
	desc := ""
	if len(extra) > 0 && s.GapLabel != "" {
		desc = s.GapLabel + ": " + strings.Join(extra, "; ")
	}
	b.open(s.Meta, "group", totalW, totalH, desc)
	hatch := esc(s.ID) + "-gap"
	b.f(`<defs><pattern id="%s" patternUnits="userSpaceOnUse" width="7" height="7" patternTransform="rotate(45)">`+
		`<rect width="7" height="7" fill="#fff" fill-opacity="0.55"/><rect width="3" height="7" fill="%s"/></pattern></defs>`, hatch, gapColor)
	var selected []string
	area := func(code, d string, shape func(fill string)) {
		a, ok := byCode[code]
		if !ok {
			shape(Palette[0])
			return
		}
		if a.Href != "" {
			b.f(`<a href="%s" aria-label="%s">`, esc(a.Href), esc(a.Title))
		}
		b.f(`<g data-dept="%s"><title>%s</title>`, esc(code), esc(a.Title))
		shape(fill(a.Class))
		if a.Gap {
			shape("url(#" + hatch + ")")
		}
		b.WriteString("</g>")
		if a.Href != "" {
			b.WriteString("</a>")
		}
		if a.Selected {
			selected = append(selected, d)
		}
	}
	b.f(`<g stroke="#ffffff" stroke-width="0.6" stroke-linejoin="round">`)
	for _, p := range francePaths {
		d := p.Path
		area(p.Code, d, func(f string) { b.f(`<path d="%s" fill="%s"/>`, d, f) })
	}
	b.WriteString("</g>")
	// overseas boxes
	b.text(10, overseasY-4, "start", "12", "600", mutedColor, s.Overseas)
	for i, code := range overseasCodes {
		x := 10 + float64(i)*(overseasSz+22)
		d := "M" + num(x) + " " + num(overseasY) + "h" + num(overseasSz) + "v" + num(overseasSz) + "h-" + num(overseasSz) + "z"
		area(code, d, func(f string) {
			b.f(`<path d="%s" fill="%s" stroke="%s" stroke-width="1"/>`, d, f, mutedColor)
		})
		b.text(x+overseasSz/2, overseasY+overseasSz+14, "middle", "11", "400", inkColor, code)
	}
	// the selected département, outlined on top of its neighbours
	for _, d := range selected {
		b.f(`<path d="%s" fill="none" stroke="%s" stroke-width="2.5" pointer-events="none"/>`, d, inkColor)
	}
	// legend
	y := 20.0
	for _, l := range s.Legend {
		b.f(`<rect x="%s" y="%s" width="22" height="16" fill="%s" stroke="%s" stroke-width="0.6"/>`, num(legendX), num(y), fill(l.Class), mutedColor)
		b.text(legendX+30, y+12.5, "start", "12", "400", inkColor, l.Label)
		y += 24
	}
	if s.GapLabel != "" {
		y += 6
		b.f(`<rect x="%s" y="%s" width="22" height="16" fill="url(#%s)" stroke="%s" stroke-width="0.6"/>`, num(legendX), num(y), hatch, mutedColor)
		// long labels wrap on words, about 20 characters a line
		for i, line := range wrap(s.GapLabel, 20) {
			b.text(legendX+30, y+12.5+float64(i)*15, "start", "12", "600", inkColor, line)
		}
	}
	return b.html()
}

func fill(class int) string {
	if class < 0 || class >= len(Palette) {
		return Palette[0]
	}
	return Palette[class]
}

// wrap splits s on spaces into lines of about n characters.
func wrap(s string, n int) []string {
	var out []string
	line := ""
	for _, w := range strings.Fields(s) {
		if line != "" && len([]rune(line))+1+len([]rune(w)) > n {
			out = append(out, line)
			line = w
			continue
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	if line != "" {
		out = append(out, line)
	}
	return out
}

// Breaks returns the upper bounds of at most `classes` equal classes for
// counts up to top, on a round step; the last bound is ≥ top. Counts of 0
// are class 0 and are not covered by the breaks.
func Breaks(top, classes int) []int {
	if top <= 0 || classes <= 0 {
		return nil
	}
	step := roundUp(float64(top) / float64(classes))
	var out []int
	for v := step; len(out) < classes; v += step {
		out = append(out, v)
		if v >= top {
			break
		}
	}
	if last := out[len(out)-1]; last < top {
		out[len(out)-1] = top
	}
	return out
}

// roundUp rounds up to 1, 2 or 5 significant steps (7 → 7, 23 → 25, 140 → 150).
func roundUp(v float64) int {
	n := int(v + 0.999999)
	if n <= 10 {
		return n
	}
	mag := 1
	for mag*10 < n {
		mag *= 10
	}
	step := mag / 2
	if step < 1 {
		step = 1
	}
	return (n + step - 1) / step * step
}

// ClassOf returns the class (1-based) of a positive count given Breaks;
// 0 for a count of 0.
func ClassOf(v int, breaks []int) int {
	if v <= 0 {
		return 0
	}
	for i, b := range breaks {
		if v <= b {
			return i + 1
		}
	}
	return len(breaks)
}
