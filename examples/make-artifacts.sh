#!/usr/bin/env bash
# Makes real post-mortem artifacts from the example apps: cores (gcore and kernel-written), heap snapshots, logs.
# Tests call this into target/; nothing it makes is committed.
#
#   make-artifacts.sh core gcore  OUT [--mode leak|healthy] [--seconds S] [-- APP_ARGS…]
#   make-artifacts.sh core kernel OUT [--mode leak|healthy] [--seconds S] [-- APP_ARGS…]
#        runs orders-service for S seconds (default 5), then takes a core of the live process:
#        `gcore` (gdb), or `ulimit -c unlimited` + SIGABRT (the kernel writes "core" in the app's cwd).
#        `-- --reserve-mb 2300 --reserve-marker TEXT` makes a core past 2 GiB (sparse: the untouched buffer is holes).
#   make-artifacts.sh core-snapshot gcore|kernel DIR [--mode M] [--seconds S] [-- APP_ARGS…]
#        DIR/before.heapsnapshot then DIR/core of the same process: at S seconds the app stops its load, lets
#        in-flight requests finish, writes the snapshot, and only then is the core taken (same live objects).
#   Any kind: --node PATH runs the app with that node binary (default: $NODE, else `node` on PATH).
#   make-artifacts.sh core-nonnode OUT
#        a gcore of a process that is not node (sleep), for the "not a node core" error path.
#   make-artifacts.sh snapshots DIR [--mode M] [--at 3,6,9] [-- APP_ARGS…]
#        three (or as many as --at lists) v8.writeHeapSnapshot() files DIR/s<sec>.heapsnapshot.
#   make-artifacts.sh log OUT [--mode M] [--seconds S] [--trace-gc] [-- APP_ARGS…]
#        the app's stdout (memoryUsage blocks, event-loop lines, trace-gc lines) to OUT, stderr to OUT.err.
#   make-artifacts.sh run DIR [--mode M] [--seconds S] [--trace-gc] [--scrape-every S] [-- APP_ARGS…]
#        one run into a folder: DIR/app.log (stdout), DIR/app.err (stderr), DIR/spans.json (OTLP/JSON
#        event-loop-blocked spans); with --scrape-every, DIR/scrapes.prom: the app's /metrics every S seconds,
#        each scrape after a "# <ISO time>" comment (what a curl loop with `date` writes).
#   make-artifacts.sh formats DIR [--seconds S]
#        a short run per --log-format (inspect iso-line iso-prefix oneline json pino bunyan winston), in
#        parallel: DIR/<format>.log; and DIR/errors.log + errors.err: a leak run under `ulimit -n 80` (EMFILE).
#   make-artifacts.sh big-snapshots DIR [--records N] [--steps K] [--leak-per-step M]
#        apps/big-heap.js: N live customer records (1,200,000 make a ~800 MB snapshot with ~10 M nodes and
#        ~30 M edges), K snapshots DIR/s1..sK.heapsnapshot with M leaked Session objects added before each
#        after the first. For benchmarks (bench/heap-bench.sh); needs a few GB of RAM and disk.
#   make-artifacts.sh huge-snapshot DIR [--records N]
#        apps/big-heap.js with N records (default 3,300,000): one snapshot DIR/s1.heapsnapshot over 2 GiB (~30 M
#        nodes, ~90 M edges), to check that snapshots past 2 GiB load. Needs ~10 GB of RAM and a few minutes.
#   make-artifacts.sh leak-shapes DIR --shape cache|timers|tree|worker [-- APP_ARGS…]
#        apps/leak-shapes.js: DIR/s1,s2,s3.heapsnapshot of a leak shaped otherwise than orders-service's (a cache
#        object keyed by strings; setInterval timers never cleared; replies added at any depth of comment threads; a Map growing inside a worker_thread, plus
#        DIR/main.heapsnapshot of the main thread), --per-step N leaked objects before each.
#   make-artifacts.sh notebook-data DIR
#        everything the notebooks read: DIR/leak and DIR/healthy (`run`, 60 s, --trace-gc, scrapes every 2 s, 16 KiB per request,
#        the leak one blocking the loop every 7 s), in parallel; and DIR/leak.core, a kernel-written core of the
#        leaking app after 10 s (notebooks/01-core.ipynb); DIR/heap/s3,s6,s9.heapsnapshot (leak mode, notebooks/03);
#        DIR/js/{before.heapsnapshot,core}: `core-snapshot kernel` of the leaking app after 10 s, spinning in
#        JavaScript when the core is taken (notebooks/05-js-from-core.ipynb).
set -euo pipefail
HERE="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
APP="$HERE/apps/orders-service.js"
NODE="${NODE:-node}"

die() { echo "make-artifacts: $*" >&2; exit 2; }

# In leak mode the app keeps one descriptor open per request (its EMFILE leak): at the default --rate 200 a 60 s run
# holds ~12,000. Many machines start processes with a soft limit of 1024 (systemd's default), where the app dies of
# EMFILE within seconds (process.memoryUsage() itself needs a descriptor). Raise the soft limit to the hard one,
# as any shell may; the `formats` kind lowers it again on purpose for its EMFILE run.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

kind="${1:-}"; [[ $# -gt 0 ]] && shift
mode=leak; seconds=5; at=3,6,9; tracegc=""; how=""; out=""; scrape_every=""
if [[ "$kind" == core || "$kind" == core-snapshot ]]; then how="${1:-}"; shift || true; fi
out="${1:-}"; [[ $# -gt 0 ]] && shift
[[ -n "$out" ]] || die "usage: see the header of $0"
app_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --mode) mode="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --at) at="$2"; shift 2 ;;
    --trace-gc) tracegc="--trace-gc"; shift ;;
    --records) records="$2"; shift 2 ;;
    --steps) steps="$2"; shift 2 ;;
    --leak-per-step) leak_per_step="$2"; shift 2 ;;
    --scrape-every) scrape_every="$2"; shift 2 ;;
    --shape) shape="$2"; shift 2 ;;
    --node) NODE="$2"; shift 2 ;;
    --) shift; app_args=("$@"); break ;;
    *) die "unknown option $1" ;;
  esac
done

# Starts the app held alive in directory $1; waits until it has run $seconds; sets PID.
start_held() {
  local dir="$1" ready="$1/ready"
  check_fds $(( seconds + 30 ))   # held: it keeps leaking until the core is taken
  rm -f "$ready"
  (cd "$dir" && exec "$NODE" "$APP" --mode "$mode" --duration "$seconds" --hold \
      --ready-after "$seconds" --ready-file "$ready" --pidfile "$dir/pid" "${app_args[@]}" \
      > "$dir/app.log" 2> "$dir/app.err") &
  local pid=$!
  PID=$pid
  for _ in $(seq 1 $(( seconds * 10 + 1200 ))); do
    [[ -s "$ready" ]] && return 0
    kill -0 "$pid" 2>/dev/null || die "app exited early: $(tail -3 "$dir/app.err")"
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
  die "app did not become ready"
}

# Raises ulimit -n where it may, else warns, when leak mode at --rate (default 200) for $1 seconds needs more
# descriptors than it (a warning, not an error: a short run may end before the app reaches the limit).
check_fds() {
  [[ "$mode" == leak ]] || return 0
  local rate=200 i limit need
  for (( i = 0; i < ${#app_args[@]}; i++ )); do [[ "${app_args[i]}" == --rate ]] && rate="${app_args[i+1]}"; done
  limit="$(ulimit -n)"; [[ "$limit" == unlimited ]] && return 0
  need=$(( rate * $1 + 200 ))
  # root (CI, a container) may raise the hard limit itself, up to fs.nr_open
  (( need <= limit )) || { ulimit -n "$need" 2>/dev/null && limit="$(ulimit -n)"; } || true
  (( need <= limit )) || echo "make-artifacts: warning: leak mode keeps a descriptor per request: --rate $rate for $1 s needs ~$need open files, but ulimit -n is $limit (hard $(ulimit -Hn)): the app may die of EMFILE before the run ends; raise the hard limit" >&2
}

# Whether core $1 is as long as its program headers say (the end of the last PT_LOAD): a dump the kernel or gdb
# cut short (a signal or memory pressure during the dump) is shorter. True when readelf is missing.
core_complete() {
  command -v readelf >/dev/null || return 0
  local need
  need="$(readelf -lW "$1" 2>/dev/null | awk '$1 == "LOAD" {print $2, $5}' | while read -r off size; do
    echo $(( off + size )); done | sort -n | tail -1)"
  [[ -z "$need" || "$(stat -c %s "$1")" -ge "$need" ]]
}

# Takes a core as take_core_once does, again (up to 3 times) if the dump came out shorter than its headers say.
take_core() {
  local attempt
  for attempt in 1 2 3; do
    take_core_once "$@"
    core_complete "$3" && return 0
    echo "make-artifacts: the core $3 is cut short ($(stat -c %s "$3") bytes); taking it again" >&2
  done
  die "the core $3 came out cut short 3 times"
}

# Runs the held app in $2 and takes a core of it ($1 = gcore|kernel) into $3.
take_core_once() {
  local how="$1" work="$2" dest="$3" pid f
  case "$how" in
    gcore)
      command -v gcore >/dev/null || die "gcore not found (apt-get install gdb)"
      start_held "$work"; pid=$PID
      gcore -o "$work/core" "$pid" > "$work/gcore.log" 2>&1 || { kill -9 "$pid"; die "gcore failed: $(tail -3 "$work/gcore.log")"; }
      kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
      mv "$work/core.$pid" "$dest"
      ;;
    kernel)
      local pattern
      pattern="$(cat /proc/sys/kernel/core_pattern)"
      [[ "$pattern" == core* ]] || die "core_pattern is '$pattern': kernel cores go elsewhere; use 'gcore'"
      ulimit -c unlimited
      start_held "$work"; pid=$PID
      kill -ABRT "$pid"
      wait "$pid" 2>/dev/null || true   # returns once the kernel has written the core
      f="$work/core"; [[ -f "$f" ]] || f="$work/core.$pid"
      [[ -f "$f" ]] || die "no core written in $work (ulimit -c: $(ulimit -c))"
      mv "$f" "$dest"
      ;;
    *) die "core gcore|kernel OUT" ;;
  esac
}

case "$kind" in
  core)
    mkdir -p "$(dirname "$out")"
    work="$(mktemp -d "${TMPDIR:-/tmp}/leakscope-core.XXXXXX")"
    trap 'rm -rf "$work"' EXIT
    take_core "$how" "$work" "$out"
    echo "$out"
    ;;
  core-snapshot)
    mkdir -p "$out"
    work="$(mktemp -d "${TMPDIR:-/tmp}/leakscope-core.XXXXXX")"
    trap 'rm -rf "$work"' EXIT
    app_args+=(--ready-snapshot "$work/before.heapsnapshot")
    take_core "$how" "$work" "$out/core"
    mv "$work/before.heapsnapshot" "$out/before.heapsnapshot"
    cp "$work/app.log" "$out/app.log"
    ls "$out"
    ;;
  core-nonnode)
    command -v gcore >/dev/null || die "gcore not found (apt-get install gdb)"
    mkdir -p "$(dirname "$out")"
    work="$(mktemp -d "${TMPDIR:-/tmp}/leakscope-core.XXXXXX")"
    trap 'rm -rf "$work"' EXIT
    sleep 60 & pid=$!
    gcore -o "$work/core" "$pid" > "$work/gcore.log" 2>&1 || { kill -9 "$pid"; die "gcore failed: $(tail -3 "$work/gcore.log")"; }
    kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
    mv "$work/core.$pid" "$out"
    echo "$out"
    ;;
  snapshots)
    mkdir -p "$out"
    last="${at##*,}"
    check_fds $(( last + 1 ))
    (cd "$out" && "$NODE" "$APP" --mode "$mode" --duration $(( last + 1 )) --snapshot-dir "$out" --snapshot-at "$at" \
        "${app_args[@]}" > "$out/app.log" 2> "$out/app.err")
    ls "$out"/*.heapsnapshot
    ;;
  log)
    mkdir -p "$(dirname "$out")"
    check_fds "$seconds"
    "$NODE" $tracegc "$APP" --mode "$mode" --duration "$seconds" "${app_args[@]}" > "$out" 2> "$out.err"
    echo "$out"
    ;;
  run)
    mkdir -p "$out"
    check_fds "$seconds"
    "$NODE" $tracegc "$APP" --mode "$mode" --duration "$seconds" --spans "$out/spans.json" "${app_args[@]}" \
        > "$out/app.log" 2> "$out/app.err" &
    pid=$!
    if [[ -n "$scrape_every" ]]; then
      command -v curl >/dev/null || die "curl not found"
      port=""
      for _ in $(seq 1 600); do   # node starting with a dozen others on a loaded 2-core machine: allow a minute
        port="$(grep -o -m1 'port=[0-9]*' "$out/app.log" 2>/dev/null | cut -d= -f2 || true)"
        [[ -n "$port" ]] && break
        sleep 0.1
      done
      [[ -n "$port" ]] || { kill "$pid" 2>/dev/null; die "app did not print its port"; }
      : > "$out/scrapes.prom"
      while kill -0 "$pid" 2>/dev/null; do
        # a scrape curl gave up on (--max-time) may still say 200 after part of the body: keep whole scrapes only
        body="$(curl -s --max-time 2 -w '\n%{http_code}' "http://127.0.0.1:$port/metrics")" || body=$'\n000'
        code="${body##*$'\n'}"; body="${body%$'\n'*}"
        if [[ "$code" == 503 ]]; then kill "$pid" 2>/dev/null; die "the app has no /metrics: $body"; fi
        if [[ "$code" == 200 && -n "$body" ]]; then printf '# %s\n%s\n' "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)" "$body" >> "$out/scrapes.prom"; fi
        sleep "$scrape_every"
      done
    fi
    wait "$pid"
    echo "$out"
    ;;
  formats)
    mkdir -p "$out"
    pids=()
    for f in inspect iso-line iso-prefix oneline json pino bunyan winston; do
      "$NODE" "$APP" --mode "$mode" --duration "$seconds" --rate 50 --log-every 250 --log-format "$f" \
          > "$out/$f.log" 2> "$out/$f.err" &
      pids+=($!)
    done
    # error lines: the leak mode under a low descriptor limit hits EMFILE (stderr, ISO time, code=); it may
    # end by crashing (process.memoryUsage() itself fails with EMFILE), which is part of what it shows
    ( ulimit -n 80; exec "$NODE" "$APP" --mode leak --duration "$seconds" --rate 100 > "$out/errors.log" 2> "$out/errors.err" ) &
    epid=$!
    for p in "${pids[@]}"; do wait "$p" || die "a format run failed"; done
    wait "$epid" || true
    grep -q EMFILE "$out/errors.err" || die "the ulimit -n 80 run hit no EMFILE"
    echo "$out"
    ;;
  big-snapshots)
    mkdir -p "$out"
    "$NODE" --max-old-space-size=8192 "$HERE/apps/big-heap.js" --snapshot-dir "$out" --records "${records:-1200000}" \
        --steps "${steps:-3}" --leak-per-step "${leak_per_step:-100000}" > "$out/big-heap.log" 2>&1 \
        || die "big-heap failed: $(tail -3 "$out/big-heap.log")"
    ls "$out"/*.heapsnapshot
    ;;
  leak-shapes)
    mkdir -p "$out"
    "$NODE" "$HERE/apps/leak-shapes.js" --shape "${shape:-cache}" --out "$out" "${app_args[@]}" > "$out/leak-shapes.log" 2>&1 \
        || die "leak-shapes failed: $(tail -3 "$out/leak-shapes.log")"
    ls "$out"/*.heapsnapshot
    ;;
  huge-snapshot)
    mkdir -p "$out"
    "$NODE" --max-old-space-size=12288 "$HERE/apps/big-heap.js" --snapshot-dir "$out" --records "${records:-3300000}" \
        --steps 1 > "$out/big-heap.log" 2>&1 || die "big-heap failed: $(tail -3 "$out/big-heap.log")"
    ls -l "$out"/s1.heapsnapshot
    ;;
  notebook-data)
    mkdir -p "$out"
    "$0" snapshots "$out/heap" --mode leak --at 3,6,9 > /dev/null &
    p0=$!
    "$0" run "$out/leak" --mode leak --seconds 60 --trace-gc --scrape-every 2 -- --payload 16384 --block-every 7 --block-ms 150 &
    p1=$!
    "$0" run "$out/healthy" --mode healthy --seconds 60 --trace-gc --scrape-every 2 -- --payload 16384 &
    p2=$!
    if [[ ! -f "$out/leak.core" ]]; then
      "$0" core kernel "$out/leak.core.making" --mode leak --seconds 10 >/dev/null || die "notebook-data: kernel core failed"
      mv "$out/leak.core.making" "$out/leak.core"
    fi
    if [[ ! -f "$out/js/core" ]]; then   # notebooks/05: a heap snapshot, then the core of the same leaking process
      rm -rf "$out/js.making"
      "$0" core-snapshot kernel "$out/js.making" --mode leak --seconds 10 -- --ready-spin >/dev/null \
        || die "notebook-data: core-snapshot failed"
      mv "$out/js.making" "$out/js"
    fi
    wait "$p1" && wait "$p2" && wait "$p0"
    echo "$out"
    ;;
  *) die "usage: make-artifacts.sh core|core-snapshot|core-nonnode|snapshots|big-snapshots|leak-shapes|log|run|formats|notebook-data … (see the header)" ;;
esac
