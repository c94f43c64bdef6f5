package hooks

// Internals of the ingest fast paths, for the external tests.
var (
	SourceRefLookup = sourceRefLookup
	SaveKeys        = saveKeys
)
