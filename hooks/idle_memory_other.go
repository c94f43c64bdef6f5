//go:build !linux

package hooks

// dropBinaryPages does nothing outside Linux.
func dropBinaryPages() error { return nil }
