package rulespec

import (
	"sync"

	"github.com/ganigeorgiev/fexpr"
)

// maxParsed bounds the parsed rules kept (the stored rules are a few
// hundred texts at most; past the bound a rule is parsed on each call).
const maxParsed = 1024

// parsedRules keeps fexpr's parse of each rule text: Specialize runs on
// every read of every page, and the parse was most of its allocations.
// The parsed groups are only read (fromGroups builds a new tree from them
// on each call, and nothing writes to the tokens or their arguments).
var parsedRules struct {
	sync.RWMutex
	m map[string][]fexpr.ExprGroup
}

// parse returns fexpr's parse of rule, from the cache when it is there.
func parse(rule string) ([]fexpr.ExprGroup, error) {
	parsedRules.RLock()
	groups, ok := parsedRules.m[rule]
	parsedRules.RUnlock()
	if ok {
		return groups, nil
	}
	groups, err := fexpr.Parse(rule)
	if err != nil {
		return nil, err
	}
	parsedRules.Lock()
	if parsedRules.m == nil {
		parsedRules.m = map[string][]fexpr.ExprGroup{}
	}
	if len(parsedRules.m) < maxParsed {
		parsedRules.m[rule] = groups
	}
	parsedRules.Unlock()
	return groups, nil
}
