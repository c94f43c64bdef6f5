package hooks_test

import neturl "net/url"

func urlQuery(s string) string { return neturl.QueryEscape(s) }
