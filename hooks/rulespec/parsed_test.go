package rulespec

import (
	"fmt"
	"testing"

	"github.com/ganigeorgiev/fexpr"
)

// specializeFresh is Specialize with a parse of its own (no cache).
func specializeFresh(t *testing.T, rule string, auth Auth) Result {
	t.Helper()
	parsedRules.Lock()
	saved := parsedRules.m
	parsedRules.m = nil
	parsedRules.Unlock()
	defer func() {
		parsedRules.Lock()
		parsedRules.m = saved
		parsedRules.Unlock()
	}()
	r, err := Specialize(rule, auth, now)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// A cached parse serves every caller alike: specializing the same rule
// for callers in turn, forwards then backwards, gives each the result of
// a fresh parse (nothing a specialization does leaks into the next).
func TestCachedParseIsTheFreshParse(t *testing.T) {
	auths := []Auth{
		authOf("admin", nil), authOf("sales", nil), authOf("teleoperator", nil),
		authOf("partner_manager", func(a Auth) {
			a.Values["partner"] = TextValue("p1")
			a.Values["partner.status"] = TextValue("active")
		}),
		authOf("channel_manager", func(a Auth) { a.Lists["territories"] = []string{"t1", "t2"} }),
		authOf("channel_manager", func(a Auth) {
			a.Lists["territories"] = []string{"t3"}
			a.Grants = Grants{Rows: []Grant{{Territory: "t9", Starts: "2026-01-01 00:00:00.000Z", Expires: "2027-01-01 00:00:00.000Z"}},
				Path: func(string) bool { return true }}
		}),
		authOf("channel_manager", nil),
	}
	want := make([]Result, len(auths))
	for i, a := range auths {
		want[i] = specializeFresh(t, leadsRule, a)
	}
	order := append([]int{}, 0, 1, 2, 3, 4, 5, 6, 6, 5, 4, 3, 2, 1, 0)
	for _, i := range order {
		got, err := Specialize(leadsRule, auths[i], now)
		if err != nil {
			t.Fatal(err)
		}
		if got != want[i] {
			t.Fatalf("caller %d: cached %+v, fresh %+v", i, got, want[i])
		}
	}
	parsedRules.RLock()
	_, cached := parsedRules.m[leadsRule]
	parsedRules.RUnlock()
	if !cached {
		t.Fatal("the rule's parse is not kept")
	}
}

// The cache holds at most maxParsed texts and a rule past the bound is
// still parsed right.
func TestParseCacheIsBounded(t *testing.T) {
	for i := range maxParsed + 10 {
		rule := fmt.Sprintf("status = 'x%d'", i)
		groups, err := parse(rule)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := fexpr.Parse(rule)
		if fmt.Sprint(groups) != fmt.Sprint(want) {
			t.Fatalf("%q: %v, want %v", rule, groups, want)
		}
	}
	parsedRules.RLock()
	n := len(parsedRules.m)
	parsedRules.RUnlock()
	if n > maxParsed {
		t.Fatalf("%d parsed rules kept, bound %d", n, maxParsed)
	}
	if _, err := parse("status = "); err == nil {
		t.Fatal("a rule that does not parse must fail")
	}
}

// Specializing a known rule allocates less than parsing it again (the
// parse was most of the allocations).
func TestCachedParseAllocatesLess(t *testing.T) {
	sales := authOf("sales", nil)
	if _, err := Specialize(leadsRule, sales, now); err != nil {
		t.Fatal(err)
	}
	cached := testing.AllocsPerRun(50, func() { _, _ = Specialize(leadsRule, sales, now) })
	fresh := testing.AllocsPerRun(50, func() {
		groups, _ := fexpr.Parse(leadsRule)
		_ = groups
		_, _ = Specialize(leadsRule, sales, now)
	}) - cached
	t.Logf("allocations: specialization with the cached parse %.0f, a parse alone %.0f", cached, fresh)
	if cached >= fresh {
		t.Fatalf("the specialization with a cached parse allocates %.0f, a parse alone %.0f: is the parse cached?", cached, fresh)
	}
}
