package certificates

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

var now = time.Date(2026, 6, 15, 10, 0, 0, 0, time.UTC)

func day(d int) time.Time { return time.Date(2026, 6, 15+d, 0, 0, 0, 0, time.UTC) }

func TestDaysLeft(t *testing.T) {
	for _, tt := range []struct {
		until time.Time
		want  int
	}{{day(0), 0}, {day(1), 1}, {day(7), 7}, {day(60), 60}, {day(-1), -1}, {day(-3), -3}} {
		assert.Equal(t, tt.want, DaysLeft(tt.until, now), tt.until)
	}
}

func TestStatus(t *testing.T) {
	tests := []struct {
		name   string
		held   map[string]time.Time
		want   string
		lapsed []string
		next   time.Time
	}{
		{name: "none", want: StatusNone},
		{name: "valid", held: map[string]time.Time{"rge_qualipv": day(300)}, want: StatusValid, next: day(300)},
		{name: "expiring", held: map[string]time.Time{"rge_qualipv": day(300), "qualifelec": day(45)}, want: StatusExpiring, next: day(45)},
		{name: "expiring on its 60th day", held: map[string]time.Time{"qualifelec": day(60)}, want: StatusExpiring, next: day(60)},
		{name: "lapsed wins", held: map[string]time.Time{"rge_qualipv": day(-2), "qualifelec": day(10), "other": day(-1)}, want: StatusLapsed, lapsed: []string{"other", "rge_qualipv"}, next: day(10)},
		{name: "valid on its last day", held: map[string]time.Time{"rge_qualipv": day(0)}, want: StatusExpiring, next: day(0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Status(tt.held, now)
			assert.Equal(t, tt.want, s.Status)
			assert.Equal(t, tt.lapsed, s.Lapsed)
			assert.Equal(t, tt.next, s.Next)
		})
	}
}

func TestDueReminder(t *testing.T) {
	tests := []struct {
		name     string
		daysLeft int
		sent     []int
		want     int // 0: none
	}{
		{"far away", 61, nil, 0},
		{"60 days", 60, nil, 60},
		{"45 days, 60 sent", 45, []int{60}, 0},
		{"30 days, 60 sent", 30, []int{60}, 30},
		{"added 20 days before", 20, nil, 30},
		{"20 days, 30 sent", 20, []int{30}, 0},
		{"7 days", 7, []int{60, 30}, 7},
		{"last day, 7 sent", 0, []int{60, 30, 7}, 0},
		{"last day, nothing sent", 0, nil, 7},
		{"ended", -1, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := DueReminder(tt.daysLeft, tt.sent)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.want != 0, ok)
		})
	}
}
