#!/usr/bin/env bash
# Heap snapshots: leakscope vs memlab 2.0.5, same snapshots, same run, same machine.
#   1. summary with retained sizes:  ./leakscope heap s1            vs  memlab analyze object-size --snapshot s1
#   2. leaks over three snapshots:   ./leakscope heap --leaks s1 s2 s3  vs  memlab find-leaks --baseline s1 --target s2 --final s3
# Each measured with /usr/bin/time -v (wall time, peak RSS). leakscope runs cold (empty index cache) and, for the
# summary, once more warm (cache hit). The snapshots come from examples/make-artifacts.sh big-snapshots (~800 MB,
# ~10 M nodes, ~30 M edges each). memlab is installed into bench/memlab (git-ignored) on first use.
#
# Usage: bench/heap-bench.sh [DIR]      DIR defaults to target/bench-heap; results go to DIR/results.md
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
DIR="$(readlink -f "${1:-$ROOT/target/bench-heap}")"
mkdir -p "$DIR"
S1="$DIR/s1.heapsnapshot"; S2="$DIR/s2.heapsnapshot"; S3="$DIR/s3.heapsnapshot"
if [[ ! -s "$S3" ]]; then
  echo "bench: making the snapshots (examples/make-artifacts.sh big-snapshots $DIR)…" >&2
  "$ROOT/examples/make-artifacts.sh" big-snapshots "$DIR" >&2
fi
MEMLAB="$ROOT/bench/memlab/node_modules/.bin/memlab"
if [[ ! -x "$MEMLAB" ]]; then
  echo "bench: installing memlab 2.0.5 into bench/memlab (git-ignored)…" >&2
  mkdir -p "$ROOT/bench/memlab"
  (cd "$ROOT/bench/memlab" && PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error memlab@2.0.5 >&2)
fi
"$ROOT/leakscope" build >&2
CACHE="$(mktemp -d "${TMPDIR:-/tmp}/leakscope-bench-cache.XXXXXX")"
trap 'rm -rf "$CACHE"' EXIT
export LEAKSCOPE_CACHE="$CACHE"

OUT="$DIR/results.md"
# run LABEL CMD… : one measured run; appends a table row
run() {
  local label="$1"; shift
  local log="$DIR/$(echo "$label" | tr -c 'a-zA-Z0-9' '_').log"
  /usr/bin/time -v "$@" > "$log" 2> "$log.time" || { echo "bench: $label failed, see $log.time" >&2; tail -5 "$log.time" >&2; }
  local wall rss user sys
  wall="$(grep 'Elapsed (wall clock)' "$log.time" | awk '{print $NF}')"
  rss="$(grep 'Maximum resident set size' "$log.time" | awk '{print $NF}')"
  user="$(grep 'User time (seconds)' "$log.time" | awk '{print $NF}')"
  sys="$(grep 'System time (seconds)' "$log.time" | awk '{print $NF}')"
  local secs
  secs="$(echo "$wall" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')"
  printf '| %s | %.1f s | %.1f s | %.0f MB | `%s` |\n' "$label" "$secs" "$(echo "$user + $sys" | bc -l)" \
    "$(echo "$rss / 1024" | bc -l)" "$*" | tee -a "$OUT" >&2
  echo "  load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
}

{
  echo "## heap-bench $(date -u +%FT%TZ)"
  echo
  echo '```'
  echo "uptime: $(uptime)"
  echo "cpus: $(nproc); $(free -m | awk '/Mem:/ {print "memory: " $2 " MB total, " $7 " MB available"}')"
  echo "java: $(java -version 2>&1 | head -1); node: $(node --version); memlab: $(node -p "require('$ROOT/bench/memlab/node_modules/memlab/package.json').version")"
  for f in "$S1" "$S2" "$S3"; do
    echo "$(basename "$f"): $(stat -c %s "$f") bytes, $(head -c 4096 "$f" | grep -o '"node_count":[0-9]*,"edge_count":[0-9]*')"
  done
  echo '```'
  echo
  echo "| what | wall | CPU (user+sys) | peak RSS | command |"
  echo "|---|---|---|---|---|"
} | tee -a "$OUT" >&2

run "leakscope summary (cold: parse + index)" "$ROOT/leakscope" heap "$S1" --top 20
run "leakscope summary (warm: index cache)" "$ROOT/leakscope" heap "$S1" --top 20
run "memlab analyze object-size" "$MEMLAB" analyze object-size --snapshot "$S1"
rm -rf "${CACHE:?}"/*
run "leakscope leaks (cold)" "$ROOT/leakscope" heap --leaks "$S1" "$S2" "$S3" --top 20
run "memlab find-leaks" "$MEMLAB" find-leaks --baseline "$S1" --target "$S2" --final "$S3"
echo "uptime after: $(uptime)" | tee -a "$OUT" >&2
echo >> "$OUT"
echo "bench: results appended to $OUT; logs in $DIR/*.log" >&2
