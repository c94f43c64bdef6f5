// Package progress reports the progress of a long command (an import, a
// bench data generation) on one line: the count, the percentage, the rate
// and the time left. On a terminal the line is redrawn in place (at most
// ten times a second); in a log or a pipe one line is written per step of
// the percentage (10 % by default), so that the output stays short.
package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/mattn/go-isatty"
)

// Writer writes the progress of one task; use it from one goroutine.
type Writer struct {
	w           io.Writer
	label, unit string
	total       int
	terminal    bool
	// step is the percentage between two lines off a terminal.
	step int
	now  func() time.Time

	start    time.Time
	done     int
	printed  int           // next percentage to print (off a terminal)
	drawn    time.Time     // last redraw (on a terminal)
	width    int           // width of the line on screen (on a terminal)
	interval time.Duration // between redraws (on a terminal)
	finished bool
}

// New returns a writer of the progress of total items (rows, leads) of a
// task named label. terminal draws one line in place; otherwise a line is
// written each time the percentage reaches the next multiple of 10.
func New(w io.Writer, label, unit string, total int, terminal bool) *Writer {
	return newWriter(w, label, unit, total, terminal, 10, time.Now)
}

func newWriter(w io.Writer, label, unit string, total int, terminal bool, step int, now func() time.Time) *Writer {
	return &Writer{w: w, label: label, unit: unit, total: total, terminal: terminal, step: step, now: now,
		start: now(), printed: step, interval: 100 * time.Millisecond}
}

// IsTerminal reports whether w is a terminal (a file that is a TTY).
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// Set records that done items are done and writes the line when it is due.
func (p *Writer) Set(done int) {
	if p.finished {
		return
	}
	p.done = done
	now := p.now()
	if p.terminal {
		if now.Sub(p.drawn) >= p.interval {
			p.draw(now)
		}
		return
	}
	pct := percent(done, p.total)
	if pct >= p.printed && pct < 100 {
		p.line(now)
		p.printed = pct - pct%p.step + p.step
	}
}

// Finish writes the last line (the count reached, the average rate and the
// time taken) and ends it; later calls do nothing.
func (p *Writer) Finish() {
	if p.finished {
		return
	}
	now := p.now()
	p.finished = true
	if p.terminal {
		p.draw(now)
		fmt.Fprintln(p.w)
	} else {
		p.line(now)
	}
}

func (p *Writer) line(now time.Time) {
	fmt.Fprintln(p.w, Format(p.label, p.unit, p.done, p.total, now.Sub(p.start), p.finished))
}

// draw redraws the line in place, blanking what a longer line left.
func (p *Writer) draw(now time.Time) {
	s := Format(p.label, p.unit, p.done, p.total, now.Sub(p.start), p.finished)
	pad := ""
	if n := len([]rune(s)); n < p.width {
		pad = strings.Repeat(" ", p.width-n)
	} else {
		p.width = n
	}
	fmt.Fprint(p.w, "\r"+s+pad)
	p.drawn = now
}

// percent is done out of total in whole percent, 0 to 100 (100 for an
// empty task).
func percent(done, total int) int {
	if total <= 0 {
		return 100
	}
	return min(100, max(0, done*100/total))
}

// Format is one progress line: "import: 4000/10000 rows (40%), 2000
// rows/s, 3.0s left"; once done reaches total, or when final, the time
// taken instead of the time left; without a rate yet (nothing done, no
// time elapsed), neither.
func Format(label, unit string, done, total int, elapsed time.Duration, final bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d/%d %s (%d%%)", label, done, total, unit, percent(done, total))
	if done <= 0 || elapsed <= 0 {
		return b.String()
	}
	rate := float64(done) / elapsed.Seconds()
	fmt.Fprintf(&b, ", %.0f %s/s", rate, unit)
	if final || done >= total {
		fmt.Fprintf(&b, ", %s", duration(elapsed))
	} else {
		left := time.Duration(float64(total-done) / rate * float64(time.Second))
		fmt.Fprintf(&b, ", %s left", duration(left))
	}
	return b.String()
}

// duration is "4.7s" under ten seconds, else to the second ("41s",
// "8m15s").
func duration(d time.Duration) string {
	if d < 10*time.Second {
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	return d.Round(time.Second).String()
}
