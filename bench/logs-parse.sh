#!/usr/bin/env bash
# Benchmark: parse a 1 GB log of process.memoryUsage() blocks interleaved with --trace-gc and pino event-loop lines
# (a real 60 s capture of examples/apps/orders-service.js, repeated to 1 GB), with Logs.open(...).memory()/.gc().
# Peers measured in the same run on the same file: `wc -l`, `grep -c 'rss:'` and the seed's Method 1 awk pipeline.
#
#   bench/logs-parse.sh [SIZE_MB]      (default 1024; the file is made once under target/bench/)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SIZE_MB="${1:-1024}"
OUT="$ROOT/target/bench"
mkdir -p "$OUT"
CAP="$OUT/capture.log"
BIG="$OUT/memory-gc-${SIZE_MB}m.log"
if [[ ! -s "$CAP" ]]; then
  echo "bench: capturing 60 s of the example app (leak, --trace-gc)…" >&2
  bash "$ROOT/examples/make-artifacts.sh" log "$CAP" --mode leak --seconds 60 --trace-gc >/dev/null
fi
if [[ ! -s "$BIG" ]]; then
  echo "bench: repeating the capture to ${SIZE_MB} MB…" >&2
  cap=$(stat -c %s "$CAP"); n=$(( SIZE_MB * 1024 * 1024 / cap + 1 ))
  for _ in $(seq 1 "$n"); do cat "$CAP"; done | head -c $(( SIZE_MB * 1024 * 1024 )) > "$BIG.tmp"
  # end on a whole line
  sed -i '$ d' "$BIG.tmp"; mv "$BIG.tmp" "$BIG"
fi
bytes=$(stat -c %s "$BIG")
echo "file: $BIG ($bytes bytes), lines: $(wc -l < "$BIG")"
echo "machine: $(nproc) cores, $(uptime)"
cat "$BIG" > /dev/null   # warm the page cache

# wall and CPU (user+sys) of a command; output to a file, not /dev/null (GNU grep stops at the first match then)
t() { /usr/bin/time -f "%e s wall, %U+%S s CPU, %M KB max RSS" "$@" > "$OUT/peer.out" 2> "$OUT/peer.time" || true; tail -1 "$OUT/peer.time"; }
for i in 1 2; do
  echo "peer wc -l:                 $(t wc -l "$BIG")"
  echo "peer grep -c 'rss:':        $(t grep -c 'rss:' "$BIG")"
  echo "peer seed Method 1 (grep|paste|awk): $(t bash -c "grep -E '(rss:|heapUsed:|external:|arrayBuffers:)' '$BIG' | paste - - - - | awk '{ gsub(/,/,\"\",\$0); printf \"RSS=%3.0fMB, heapUsed=%2.0fMB\\n\", \$2/1024/1024, \$4/1024/1024 }'")"
done

JSH="$OUT/logs-parse.jsh"
cat > "$JSH" <<JSH
var f = java.nio.file.Path.of("$BIG");
long bytes = java.nio.file.Files.size(f);
var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
for (int i = 0; i < 3; i++) {
  long c0 = os.getProcessCpuTime(); long t0 = System.nanoTime();
  var logs = Logs.open(f);
  long t1 = System.nanoTime(); long c1 = os.getProcessCpuTime();
  var m = logs.memory();
  var g = logs.gc();
  long t2 = System.nanoTime();
  System.out.printf("leakscope Logs.open%s: %.2f s wall = %.0f MB/s, %.2f s CPU (all threads) = %.0f MB per CPU-second; memory()+gc() tables %.2f s; %d samples, %d GC events, %d event-loop lines, %d warnings; load %s%n",
      i == 0 ? " (cold JIT)" : "", (t1 - t0) / 1e9, bytes / 1048576.0 / ((t1 - t0) / 1e9), (c1 - c0) / 1e9, bytes / 1048576.0 / ((c1 - c0) / 1e9),
      (t2 - t1) / 1e9, m.rowCount(), g.rowCount(), logs.eventLoop().rowCount(), logs.warnings().rowCount(),
      java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim());
}
/exit
JSH
"$ROOT/leakscope" shell "$JSH" 2>&1 | grep -v SLF4J
