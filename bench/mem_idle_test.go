package bench

import (
	"os"
	"strings"
	"testing"
)

func TestParseRSSParts(t *testing.T) {
	status := "Name:\trelais\nVmHWM:\t  109000 kB\nVmRSS:\t   89460 kB\nRssAnon:\t   58280 kB\nRssFile:\t   31172 kB\nRssShmem:\t       8 kB\nThreads:\t11\n"
	p, err := parseRSSParts(strings.NewReader(status))
	if err != nil {
		t.Fatal(err)
	}
	want := RSSParts{RSS: 89460 << 10, Anon: 58280 << 10, File: 31172 << 10, Shmem: 8 << 10}
	if p != want {
		t.Fatalf("parts %+v, want %+v", p, want)
	}
	if _, err := parseRSSParts(strings.NewReader("VmRSS:\t 10 kB\n")); err == nil {
		t.Fatal("a status without the RSS parts is an error")
	}
}

func TestRSSPartsOfThisProcess(t *testing.T) {
	p, err := rssParts(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if p.RSS <= 0 || p.Anon <= 0 || p.File <= 0 || p.Anon+p.File+p.Shmem != p.RSS {
		t.Fatalf("parts %+v: VmRSS is the sum of the three", p)
	}
}
