#!/usr/bin/env bash
# Refresh the vendored axe-core of the accessibility test (e2e/a11y_test.go)
# from the npm registry. Test-only: the app never serves it.
#
#   e2e/testdata/refresh-axe.sh            # the latest release
#   e2e/testdata/refresh-axe.sh 4.14.1     # a given version
#
# It replaces e2e/testdata/axe.min.js and axe-LICENSE.txt (axe.min.js and
# LICENSE of the axe-core package, MPL-2.0) and writes the version to
# axe-VERSION; run `go test ./e2e -run A11y` after a change.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
version="${1:-$(npm view axe-core version)}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "axe-core@${version}" >/dev/null && tar xzf "axe-core-${version}.tgz")
src="$tmp/package/axe.min.js"
test -s "$src" || { echo "refresh-axe: $src missing in axe-core@${version}" >&2; exit 1; }
cp "$src" "$here/axe.min.js"
cp "$tmp/package/LICENSE" "$here/axe-LICENSE.txt"
echo "$version" >"$here/axe-VERSION"
echo "e2e/testdata/axe.min.js axe-core ${version} ($(wc -c <"$here/axe.min.js") bytes, sha256 $(sha256sum "$here/axe.min.js" | cut -c1-16)…)"
