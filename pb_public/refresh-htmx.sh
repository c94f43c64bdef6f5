#!/usr/bin/env bash
# Refresh the vendored htmx from the npm registry.
#
#   pb_public/refresh-htmx.sh            # the latest release
#   pb_public/refresh-htmx.sh 4.0.1      # a given version
#
# It replaces pb_public/htmx-<old>.min.js by pb_public/htmx-<version>.min.js
# (dist/htmx.min.js of the htmx.org package). The UI picks the one
# htmx-*.min.js file it embeds at start-up; run `go test ./ui/ ./e2e/` after a
# major version change.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
version="${1:-$(npm view htmx.org version)}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "htmx.org@${version}" >/dev/null && tar xzf "htmx.org-${version}.tgz")
src="$tmp/package/dist/htmx.min.js"
test -s "$src" || { echo "refresh-htmx: $src missing in htmx.org@${version}" >&2; exit 1; }
rm -f "$here"/htmx-*.min.js
cp "$src" "$here/htmx-${version}.min.js"
echo "pb_public/htmx-${version}.min.js ($(wc -c <"$here/htmx-${version}.min.js") bytes, sha256 $(sha256sum "$here/htmx-${version}.min.js" | cut -c1-16)…)"
