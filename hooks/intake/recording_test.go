package intake

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A recording is audio by its first bytes, or by its extension for the
// formats without a header; text renamed as audio is not.
func TestIsAudio(t *testing.T) {
	for _, c := range []struct {
		name string
		head []byte
		want bool
	}{
		{"a.mp3", []byte("ID3\x03\x00\x00"), true},
		{"a.bin", []byte{0xFF, 0xFB, 0x90, 0x00}, true}, // MPEG frame, any name
		{"a.wav", []byte("RIFF\x24\x08\x00\x00WAVEfmt "), true},
		{"a.ogg", []byte("OggS\x00\x02"), true},
		{"a.flac", []byte("fLaC\x00\x00"), true},
		{"a.webm", []byte{0x1A, 0x45, 0xDF, 0xA3, 0x01}, true},
		{"a.m4a", []byte("\x00\x00\x00\x20ftypM4A "), true},
		{"a.aac", []byte{0x01, 0x02, 0x00, 0x7F}, true},      // binary, audio extension
		{"a.mp3", []byte("<html><script>x</script>"), false}, // text renamed
		{"a.exe", []byte("MZ\x90\x00\x03"), false},
		{"a.pdf", []byte("%PDF-1.7\n"), false},
		{"a.mp3", nil, false},
		{"RIFF.avi", []byte("RIFF\x24\x08\x00\x00AVI LIST"), false},
	} {
		assert.Equal(t, c.want, isAudio(c.head, c.name), "%s %q", c.name, c.head)
	}
}
