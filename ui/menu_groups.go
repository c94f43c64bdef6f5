package ui

// flatMenuMax is the number of menu links that still fit on one line of a
// 1366 px wide screen next to the brand and the user's corner; a longer
// menu is shown as grouped drop-downs.
const flatMenuMax = 6

// menuGroupOf names the drop-down a menu key belongs to when the menu is
// grouped; keys not listed stay top-level links.
var menuGroupOf = map[string]string{
	"inbox": "leads", "board": "leads", "pool": "leads", "leads": "leads", "conflicts": "leads",
	"accounts": "leads", "lead_new": "leads", "lead_import": "leads",
	"registrations": "leads", "opportunities": "leads",
	"figures": "reports", "reports": "reports",
	"partners": "network", "users": "network", "approvals": "network",
	"matrix": "admin", "audit": "admin", "access_review": "admin", "grants": "admin",
	"team":         "leads", // a partner manager's salespeople, who work its leads
	"certificates": "network",
	"integrations": "admin",
	"agenda":       "leads", // a partner's meetings
	"roi":          "reports", "campaigns": "admin", "cert_rules": "network",
	"security": "admin", // sign-in security settings
}

// menuEntry is one top-level entry of the navigation: a link (Items has one
// element and Group is empty) or a drop-down of several links.
type menuEntry struct {
	Group  string // group key ("leads", "network"…) of a drop-down
	Label  string // i18n id of the drop-down's summary
	Items  []menuItem
	Active bool // the current page is one of Items
}

// groupMenu groups a role's menu for display. It keeps every item and
// their order: a short menu stays flat; a long one folds consecutive items
// of the same group into one drop-down (a group of one stays a link).
func groupMenu(items []menuItem, active string) []menuEntry {
	var out []menuEntry
	for _, it := range items {
		g := menuGroupOf[it.Key]
		if len(items) <= flatMenuMax {
			g = ""
		}
		if n := len(out); g != "" && n > 0 && out[n-1].Group == g {
			out[n-1].Items = append(out[n-1].Items, it)
			out[n-1].Active = out[n-1].Active || it.Key == active
			continue
		}
		e := menuEntry{Items: []menuItem{it}, Active: it.Key == active}
		if g != "" {
			e.Group, e.Label = g, "menu.group."+g
		}
		out = append(out, e)
	}
	for i := range out {
		if len(out[i].Items) == 1 {
			out[i].Group, out[i].Label = "", ""
		}
	}
	return out
}

// MenuEntries is the navigation as the layout shows it.
func (p *page) MenuEntries() []menuEntry {
	return groupMenu(p.Menu, p.Active)
}
