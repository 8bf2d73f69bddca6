#!/usr/bin/env bash
# Benchmark: leakscope's strings/grep on a ~1 GB gcore of the example app against GNU strings | grep, in the
# same run. Results go to BENCHMARKS.md by hand (with the uptime lines this prints).
#
#   bench/strings-bench.sh [CORE] [RUNS]
# Without CORE, makes one: examples/make-artifacts.sh core gcore target/artifacts/bench-gcore.core --seconds 20
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
CORE="${1:-}"
RUNS="${2:-5}"
RE='(Error|ENOMEM|EMFILE|leak)'
if [[ -z "$CORE" ]]; then
  CORE="$ROOT/target/artifacts/bench-gcore.core"
  if [[ ! -f "$CORE" ]]; then
    mkdir -p "$ROOT/target/artifacts"
    bash "$ROOT/examples/make-artifacts.sh" core gcore "$CORE.making" --seconds 20 >/dev/null
    mv "$CORE.making" "$CORE"
  fi
fi
(cd "$ROOT" && ./leakscope build >/dev/null)
CP="$(ls "$ROOT"/toolkit/target/leakscope-toolkit-*.jar | grep -v -- '-tests.jar$' | head -1):$ROOT/toolkit/target/lib/*"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JFLAGS=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC)   # what ./leakscope strings|core uses

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
median() { tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timeit() { # name, command…  -> median wall ms and median CPU (user+sys) ms of RUNS runs, and the last output
  local name="$1"; shift
  local all="" cpu="" out="" tf; tf="$(mktemp)"
  for _ in $(seq 1 "$RUNS"); do
    out="$(/usr/bin/time -f '%e %U %S' -o "$tf" "$@" 2>/dev/null | tail -1)" || out="FAILED: $*"
    read -r e u s < "$tf"
    all="$all $(awk -v e="$e" 'BEGIN {printf "%d", e * 1000}')"
    cpu="$cpu $(awk -v u="$u" -v s="$s" 'BEGIN {printf "%d", (u + s) * 1000}')"
  done
  rm -f "$tf"
  printf '%-66s wall %6s ms  cpu %6s ms  (wall runs:%s)  -> %s\n' "$name" "$(echo $all | median)" "$(echo $cpu | median)" "$all" "$out"
}

echo "core: $CORE ($(stat -c %s "$CORE") bytes, $(readelf -lW "$CORE" | grep -c ' LOAD ') PT_LOAD)"
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(java -version 2>&1 | head -1)"
echo "uptime before: $(uptime)"
cat "$CORE" > /dev/null   # warm the page cache for everyone alike
echo
echo "== peers (GNU binutils $(strings --version | head -1 | awk '{print $NF}'))"
timeit "strings -a core | wc -l" bash -c "strings -a '$CORE' | wc -l"
timeit "strings -a core | grep -E '$RE' | wc -l" bash -c "strings -a '$CORE' | grep -E '$RE' | wc -l"
timeit "strings -a -el core | wc -l" bash -c "strings -a -el '$CORE' | wc -l"
timeit "gdb: info threads + info registers (open the core)" bash -c "gdb -nx -batch -ex 'info threads' -ex 'info registers' /usr/bin/node '$CORE' | wc -l"
echo
echo "== leakscope, whole process (JVM start included)"
timeit "java (C1) … Main strings core --grep '$RE' --count" "$JAVA" "${JFLAGS[@]}" -cp "$CP" dev.leakscope.cli.Main strings "$CORE" --grep "$RE" --count
timeit "java (default C2) … Main strings core --grep '$RE' --count" "$JAVA" -cp "$CP" dev.leakscope.cli.Main strings "$CORE" --grep "$RE" --count
timeit "./leakscope strings core --grep '$RE' --count" "$ROOT/leakscope" strings "$CORE" --grep "$RE" --count
timeit "./leakscope strings core --count" "$ROOT/leakscope" strings "$CORE" --count
timeit "./leakscope strings core | wc -l" bash -c "'$ROOT/leakscope' strings '$CORE' | wc -l"
timeit "./leakscope core core (info, threads, regions)" bash -c "'$ROOT/leakscope' core '$CORE' | wc -l"
timeit "java -version (JVM start alone)" "$JAVA" "${JFLAGS[@]}" -version
echo
echo "== leakscope in-process (one JVM, $RUNS runs each, after a first cold open)"
"$JAVA" -cp "$CP" "$ROOT/bench/StringsBench.java" "$CORE" "$RUNS"
echo
echo "uptime after: $(uptime)"
