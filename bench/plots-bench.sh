#!/usr/bin/env bash
# Figures, the HTML report and redaction, on real artifacts of the example app, with peers measured in the same run:
#   - Redact.text over every string of a kernel core (GNU strings -a output) vs GNU sed -E applying the same
#     main masks (URL passwords, JWTs, sk_live_ keys, bearer tokens, e-mails) to the same file;
#   - the memory figure's PNG (Java2D, headless) and the whole HTML report vs headless chromium loading that
#     report and drawing its plots with the bundled plotly.js (--screenshot).
# usage: bench/plots-bench.sh [WORKDIR]   (default target/bench-plots; makes a core and a 60 s run if missing)
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
W="$(readlink -f "${1:-$ROOT/target/bench-plots}")"; mkdir -p "$W"
cd "$ROOT"
[[ -f toolkit/target/leakscope-toolkit-0.1.0-SNAPSHOT.jar ]] || mvn -B -q -DskipTests package
CP="toolkit/target/leakscope-toolkit-0.1.0-SNAPSHOT.jar:$(ls toolkit/target/lib/*.jar | tr '\n' ':')"
[[ -f "$W/leak.core" ]] || examples/make-artifacts.sh core kernel "$W/leak.core" --seconds 10 >/dev/null
[[ -d "$W/run" ]] || examples/make-artifacts.sh run "$W/run" --mode leak --seconds 60 --trace-gc -- --block-every 7 --block-ms 150 >/dev/null
echo "== $(date -u +%FT%TZ)  $(uptime)"
echo "== $(nproc) cores; java $(java -version 2>&1 | head -1); $(sed --version | head -1); $(chromium --version 2>/dev/null | grep -o 'Chromium [0-9.]*')"
/usr/bin/time -f "strings -a: %e s" strings -a "$W/leak.core" > "$W/strings.txt"
javac -d "$W/classes" -cp "$CP" bench/plots/PlotsBench.java
java -Xmx2g -cp "$W/classes:$CP" PlotsBench "$W/strings.txt" "$W/run" "$W/report.html"
cat > "$W/masks.sed" <<'SED'
s#([A-Za-z][A-Za-z0-9+.-]{1,20}://[^ :/@]{0,128}:)[^ @/]{1,256}@#\1****@#g
s#(eyJ[A-Za-z0-9_-]{5,})\.eyJ[A-Za-z0-9_-]{5,}(\.[A-Za-z0-9_-]*)?#\1.****#g
s#(sk|pk|rk)_(live|test)_[A-Za-z0-9]{6,}#\1_\2_****#g
s#(Bearer|Basic) +([A-Za-z0-9._~+/-]{1,3})[A-Za-z0-9._~+/-]{9,}=*#\1 \2****#g
s#([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})#\1****@\2#g
SED
for r in 1 2 3; do
  /usr/bin/time -f "sed -E (5 masks) run $r: %e s" env LC_ALL=C sed -E -f "$W/masks.sed" "$W/strings.txt" > "$W/strings.sed.txt"
done
P="$(mktemp -d)"
for r in 1 2 3; do
  /usr/bin/time -f "chromium --screenshot of the report run $r: %e s" chromium --headless --no-sandbox --disable-gpu \
    --disable-background-networking --no-first-run --disable-component-update --disable-sync --user-data-dir="$P" \
    --virtual-time-budget=10000 --window-size=1200,4000 --screenshot="$W/report.png" "file://$W/report.html" 2>/dev/null >/dev/null
done
rm -rf "$P"
echo "strings changed by sed: $(diff "$W/strings.txt" "$W/strings.sed.txt" | grep -c '^<' || true)"
