package ui

import (
	"bytes"
	"sync"
)

// renderBufMax is the largest buffer kept for reuse: a rare huge page
// (an export preview, a long audit page) does not stay in memory.
const renderBufMax = 256 << 10

// renderBufs are the buffers pages render into: one is reused from page
// to page (no growth from empty and no copy into a string per page; the
// response is written from the buffer's bytes before it goes back).
var renderBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// renderBuf returns an empty render buffer; give it back with
// releaseRenderBuf once the response is written.
func renderBuf() *bytes.Buffer {
	b := renderBufs.Get().(*bytes.Buffer)
	b.Reset()
	return b
}

// releaseRenderBuf gives a buffer back for reuse unless it grew too big.
func releaseRenderBuf(b *bytes.Buffer) {
	if b.Cap() <= renderBufMax {
		renderBufs.Put(b)
	}
}
