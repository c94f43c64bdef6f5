package progress

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFormat(t *testing.T) {
	for _, c := range []struct {
		name        string
		done, total int
		elapsed     time.Duration
		final       bool
		want        string
	}{
		{"nothing done yet", 0, 10000, 0, false, "import: 0/10000 rows (0%)"},
		{"no time elapsed", 5, 10000, 0, false, "import: 5/10000 rows (0%)"},
		{"under way", 4000, 10000, 2 * time.Second, false, "import: 4000/10000 rows (40%), 2000 rows/s, 3.0s left"},
		{"time left to the tenth under ten seconds", 9500, 10000, 9 * time.Second, false, "import: 9500/10000 rows (95%), 1056 rows/s, 0.5s left"},
		{"time left to the second", 1000, 10000, 4 * time.Second, false, "import: 1000/10000 rows (10%), 250 rows/s, 36s left"},
		{"minutes", 100, 10000, 5 * time.Second, false, "import: 100/10000 rows (1%), 20 rows/s, 8m15s left"},
		{"done: the time taken", 10000, 10000, 8*time.Second + 340*time.Millisecond, false, "import: 10000/10000 rows (100%), 1199 rows/s, 8.3s"},
		{"finished below the total: the time taken", 90, 100, 3 * time.Second, true, "import: 90/100 rows (90%), 30 rows/s, 3.0s"},
		{"more than announced (an upper bound)", 12, 10, time.Second, false, "import: 12/10 rows (100%), 12 rows/s, 1.0s"},
		{"an empty task", 0, 0, time.Second, true, "import: 0/0 rows (100%)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, Format("import", "rows", c.done, c.total, c.elapsed, c.final))
		})
	}
}

// clock is a fake time source: each step advances it.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// step is one Set (done) after advancing the clock by after; done < 0 is
// Finish.
type step struct {
	after time.Duration
	done  int
}

func runSteps(terminal bool, stepPct, total int, steps []step) string {
	var out bytes.Buffer
	c := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	p := newWriter(&out, "import", "rows", total, terminal, stepPct, c.now)
	for _, s := range steps {
		c.t = c.t.Add(s.after)
		if s.done < 0 {
			p.Finish()
		} else {
			p.Set(s.done)
		}
	}
	return out.String()
}

func TestLinesOffATerminal(t *testing.T) {
	sec := time.Second
	for _, c := range []struct {
		name  string
		step  int
		total int
		steps []step
		want  []string
	}{
		{"one line per 10 %, then the last", 10, 1000, []step{
			{sec, 50}, {sec, 100}, {sec, 150}, {sec, 380}, {sec, 400}, {sec, 990}, {sec, 1000}, {sec, -1},
		}, []string{
			"import: 100/1000 rows (10%), 50 rows/s, 18s left",
			"import: 380/1000 rows (38%), 95 rows/s, 6.5s left",
			"import: 400/1000 rows (40%), 80 rows/s, 7.5s left",
			"import: 990/1000 rows (99%), 165 rows/s, 0.1s left",
			"import: 1000/1000 rows (100%), 125 rows/s, 8.0s",
		}},
		{"a bigger step", 25, 100, []step{
			{sec, 10}, {sec, 30}, {sec, 49}, {sec, 52}, {sec, 81}, {sec, 100}, {sec, -1},
		}, []string{
			"import: 30/100 rows (30%), 15 rows/s, 4.7s left",
			"import: 52/100 rows (52%), 13 rows/s, 3.7s left",
			"import: 81/100 rows (81%), 16 rows/s, 1.2s left",
			"import: 100/100 rows (100%), 14 rows/s, 7.0s",
		}},
		{"finished below the total (fewer rows than lines), once", 10, 100, []step{
			{sec, 90}, {2 * sec, -1}, {sec, 100}, {sec, -1},
		}, []string{
			"import: 90/100 rows (90%), 90 rows/s, 0.1s left",
			"import: 90/100 rows (90%), 30 rows/s, 3.0s",
		}},
		{"an empty task", 10, 0, []step{{sec, -1}}, []string{"import: 0/0 rows (100%)"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := runSteps(false, c.step, c.total, c.steps)
			assert.Equal(t, strings.Join(c.want, "\n")+"\n", got)
			assert.NotContains(t, got, "\r", "no carriage return in a log")
		})
	}
}

func TestLineOnATerminal(t *testing.T) {
	ms := time.Millisecond
	for _, c := range []struct {
		name  string
		steps []step
		want  string
	}{
		{"redrawn in place at most every 100 ms, ended by a newline", []step{
			{ms, 1}, {50 * ms, 2}, {50 * ms, 3}, {ms, 4}, {200 * ms, 10}, {ms, -1},
		}, "\rimport: 1/10 rows (10%), 1000 rows/s, 0.0s left" +
			"\rimport: 3/10 rows (30%), 30 rows/s, 0.2s left  " +
			"\rimport: 10/10 rows (100%), 33 rows/s, 0.3s     " +
			"\rimport: 10/10 rows (100%), 33 rows/s, 0.3s     \n"},
		{"a shorter line blanks the rest of the longer one", []step{
			{time.Second, 9}, {time.Minute, 10}, {0, -1},
		}, "\rimport: 9/10 rows (90%), 9 rows/s, 0.1s left" +
			"\rimport: 10/10 rows (100%), 0 rows/s, 1m1s   " +
			"\rimport: 10/10 rows (100%), 0 rows/s, 1m1s   \n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, runSteps(true, 10, 10, c.steps))
		})
	}
}

func TestIsTerminal(t *testing.T) {
	assert.False(t, IsTerminal(&bytes.Buffer{}), "a buffer")
	f, err := os.CreateTemp(t.TempDir(), "log")
	require.NoError(t, err)
	defer f.Close()
	assert.False(t, IsTerminal(f), "a file")
}
