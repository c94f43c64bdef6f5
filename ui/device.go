package ui

import "strings"

// deviceLabel names the browser and system of a user agent for the list
// of sessions ("Firefox · Windows"); "" when it names neither.
func deviceLabel(ua string) string {
	browser := firstMatch(ua, []struct{ needle, name string }{
		{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"Firefox/", "Firefox"}, {"Chromium/", "Chromium"},
		{"HeadlessChrome/", "Chrome (headless)"}, {"Chrome/", "Chrome"}, {"Safari/", "Safari"},
		{"curl/", "curl"}, {"Go-http-client/", "Go"}, {"python-requests/", "Python"},
	})
	system := firstMatch(ua, []struct{ needle, name string }{
		{"Android", "Android"}, {"iPhone", "iPhone"}, {"iPad", "iPad"}, {"Windows", "Windows"},
		{"Mac OS X", "macOS"}, {"CrOS", "ChromeOS"}, {"Linux", "Linux"},
	})
	switch {
	case browser != "" && system != "":
		return browser + " · " + system
	case browser != "":
		return browser
	}
	return system
}

func firstMatch(s string, table []struct{ needle, name string }) string {
	for _, t := range table {
		if strings.Contains(s, t.needle) {
			return t.name
		}
	}
	return ""
}
