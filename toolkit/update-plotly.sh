#!/usr/bin/env bash
# Refreshes the plotly.js bundled in the toolkit jar (offline figures): fetches plotly.js-dist-min from npm
# with `npm pack` and stores it gzipped as a resource. Run by hand when upgrading plotly; the build itself
# never touches the network.   usage: toolkit/update-plotly.sh [VERSION]
set -euo pipefail
HERE="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
RES="$HERE/src/main/resources/dev/leakscope/plot"
version="${1:-$(npm view plotly.js-dist-min version)}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "plotly.js-dist-min@$version" >/dev/null && tar xzf plotly.js-dist-min-*.tgz)
grep -q '</script' "$work/package/plotly.min.js" && { echo "plotly.min.js contains </script: cannot inline it" >&2; exit 1; }
gzip -9 -n -c "$work/package/plotly.min.js" > "$RES/plotly.min.js.gz"
cp "$work/package/LICENSE" "$RES/plotly.LICENSE"
echo "$version" > "$RES/plotly.version"
echo "plotly.js $version: $(stat -c %s "$RES/plotly.min.js.gz") bytes gzipped"
