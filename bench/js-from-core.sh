#!/usr/bin/env bash
# Benchmark: findjsobjects on a ~300 MB kernel core of the example app (2,000,000 Widget instances) —
# `leakscope js CORE` against llnode's `v8 findjsobjects` (lldb-14 + llnode 4.0.0) on the same core, same run.
#
#   bench/js-from-core.sh [RUNS]        (default 3 runs of leakscope, 1 of llnode: it takes half a minute)
#
# llnode is measured when lldb-14 is installed and llnode.so is found ($LLNODE_SO, or an `npm install llnode`
# under target/bench/llnode: `apt-get install lldb-14 liblldb-14-dev && (mkdir -p target/bench/llnode && cd
# target/bench/llnode && npm install llnode)`). Prints uptime first: the machine may be shared.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
RUNS="${1:-3}"
OUT="$ROOT/target/bench"
CORE="$OUT/js-2m-widgets.core"
mkdir -p "$OUT"
if [[ ! -f "$CORE" ]]; then
  echo "making $CORE (kernel core, 2,000,000 Widgets)…" >&2
  "$ROOT/examples/make-artifacts.sh" core kernel "$CORE.making" --seconds 5 -- --widgets 2000000 >/dev/null
  mv "$CORE.making" "$CORE"
fi
"$ROOT/leakscope" build >/dev/null
echo "== $(date -u +%FT%TZ)  $(uptime)"
echo "== nproc $(nproc); core $(stat -c %s "$CORE") bytes ($(du -h "$CORE" | cut -f1) on disk); node $(node --version)"
CP="$ROOT/toolkit/target/leakscope-toolkit-0.1.0-SNAPSHOT.jar:$ROOT/toolkit/target/lib/*"
for i in $(seq 1 "$RUNS"); do
  /usr/bin/time -f "leakscope js: wall %e s, user %U s, sys %S s, max RSS %M KB" \
    java -Xmx8g -cp "$CP" dev.leakscope.cli.Main js "$CORE" --top 6 2>&1 | grep -E 'scanned in|wall|Widget'
done
SO="${LLNODE_SO:-$OUT/llnode/node_modules/llnode/llnode.so}"
if command -v lldb-14 >/dev/null && [[ -f "$SO" ]]; then
  /usr/bin/time -f "llnode findjsobjects: wall %e s, user %U s, sys %S s, max RSS %M KB" \
    lldb-14 --batch -o "plugin load $SO" -o "v8 findjsobjects" /usr/bin/node -c "$CORE" 2>&1 \
    | grep -E '^ +[0-9]+ +[0-9]+ \((Object|String)\)$|^ +[0-9]+ +[0-9]+ Widget$|llnode findjsobjects' || true
else
  echo "llnode: not installed (lldb-14 and $SO needed); not measured"
fi
echo "== $(uptime)"
