package idle

import (
	"reflect"
	"testing"
)

func TestReadOnlyMappings(t *testing.T) {
	maps := `00400000-01185000 r-xp 00000000 fd:00 123 /opt/relais/relais
01185000-024c2000 r--p 00d85000 fd:00 123 /opt/relais/relais
024c2000-0262c000 rw-p 020c2000 fd:00 123 /opt/relais/relais
0262c000-0462c000 rw-p 00000000 00:00 0
7fe24a0aa000-7fe24a200000 r-xp 00028000 fd:00 456 /usr/lib/x86_64-linux-gnu/libc.so.6
7fe24a300000-7fe24a301000 r--p 00000000 fd:00 789 /opt/relais/relais.old
7fe24a400000-7fe24a401000 r--s 00000000 fd:00 790 /opt/relais/relais
7fe24a500000-7fe24a501000 r-xp 00000000 fd:00 791 /opt/my relais/relais
`
	got, err := ReadOnlyMappings(maps, "/opt/relais/relais")
	if err != nil {
		t.Fatal(err)
	}
	want := []Mapping{{0x400000, 0x1185000}, {0x1185000, 0x24c2000}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("mappings %x, want %x: the code and read-only data of the file only, never its writable data, another file or a shared mapping", got, want)
	}
	spaced, err := ReadOnlyMappings(maps, "/opt/my relais/relais")
	if err != nil || !reflect.DeepEqual(spaced, []Mapping{{0x7fe24a500000, 0x7fe24a501000}}) {
		t.Fatalf("a path with a space: %x, %v", spaced, err)
	}
	if _, err := ReadOnlyMappings("zz-00 r-xp 0 fd:00 1 /a\n", "/a"); err == nil {
		t.Fatal("a bad address is an error")
	}
}
