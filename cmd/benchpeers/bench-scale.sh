#!/bin/bash
# Scenario-scale benchmark of the whole CLI: `msgsim run ecommerce-order-flow` at 1,000
# orders/s (the overrides of cmd/msgsim/testdata/scale/ecommerce-1000.sets) for each of
# $HOURS simulated hours (default "1 4"), timed by /usr/bin/time -v: wall and CPU of the
# whole process (decode, build, run, summary, files, plots) and its peak resident memory,
# next to msgsim's own engine-only wall and events/s. The 4 h peak should be within 20% of
# the 1 h one. Installs nothing. Usage: cmd/benchpeers/bench-scale.sh [path/to/msgsim]
set -euo pipefail
cd "$(dirname "$0")/../.."   # the repository root
BIN=${1:-bin/msgsim}
HOURS=${HOURS:-"1 4"}
SETS=cmd/msgsim/testdata/scale/ecommerce-1000.sets
OUT=${OUT:-out/bench}
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "bench-scale: $TIME is missing (Debian package: time)"; exit 1; }
mkdir -p "$OUT"
args=()
while IFS= read -r line; do
  case "$line" in ''|'#'*) continue ;; esac
  args+=(--set "$line")
done < "$SETS"
csv="$OUT/scale.csv"
echo "hours,orders_per_s,process_wall_s,process_cpu_s,peak_rss_mb,engine_wall_s,events,events_per_s" > "$csv"
printf "%-6s %12s %12s %12s %12s %14s %14s\n" hours "wall (s)" "cpu (s)" "peak RSS MB" "engine (s)" events "events/s"
for h in $HOURS; do
  log=$(mktemp)
  "$TIME" -v "$BIN" run ecommerce-order-flow "${args[@]}" --duration "${h}h" \
    -o "$OUT/scale-${h}h" >"$log.out" 2>"$log"
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$log")
  cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {print u+s}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$log")
  eng=$(grep -m1 '^wall ' "$log.out" | sed -E 's/^wall ([0-9.]+)(m?s).*/\1 \2/' | awk '{print ($2=="ms") ? $1/1000 : $1}')
  ev=$(grep -m1 '^wall ' "$log.out" | sed -E 's/.* · ([0-9,]+) events · ([0-9,]+) events\/s.*/\1 \2/' | tr -d ,)
  printf "%-6s %12s %12s %12s %12s %14s %14s\n" "$h" "$wall" "$cpu" "$rss" "$eng" $ev
  echo "$h,1000,$wall,$cpu,$rss,$eng,$(echo $ev | tr ' ' ,)" >> "$csv"
  rm -f "$log" "$log.out"
done
echo "written to $csv"
