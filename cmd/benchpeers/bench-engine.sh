#!/bin/bash
# The engine benchmarks (sim: the hold model and its variants, burst of ties) and the M/M/c
# station, each run $COUNT times (default 10), summarised as fastest, median and slowest
# ns per op with the events/s of the fastest. On a machine shared with other work a run can
# only be slowed down, so the fastest run is the best estimate of what the code does and
# the median of what to expect; both are printed. Raw output: $OUT/engine.txt.
# Installs nothing. Usage: cmd/benchpeers/bench-engine.sh
set -euo pipefail
cd "$(dirname "$0")/../.."   # the repository root
GO=${GO:-go}
COUNT=${COUNT:-10}
OUT=${OUT:-out/bench}
mkdir -p "$OUT"
raw="$OUT/engine.txt"
"$GO" test -run '^$' -bench 'Engine|MMc' -benchmem -count="$COUNT" ./sim/ ./models/service/ > "$raw"
awk '
/^Benchmark/ {
	name = $1; sub(/-[0-9]+$/, "", name)
	if (!(name in n)) order[++names] = name
	v = $3 + 0; i = ++n[name]; ns[name, i] = v
	for (f = 4; f < NF; f++) if ($(f+1) == "events/s") ev[name, i] = $f
	for (f = 4; f < NF; f++) if ($(f+1) == "allocs/op") al[name] = $f
}
END {
	printf "%-28s %5s %12s %12s %12s %16s %10s\n", "benchmark", "runs", "fastest ns", "median ns", "slowest ns", "events/s (fastest)", "allocs/op"
	for (k = 1; k <= names; k++) {
		name = order[k]; m = n[name]
		for (i = 1; i <= m; i++) s[i] = ns[name, i]
		# insertion sort of the m values, keeping the events/s of the fastest
		best = 1
		for (i = 1; i <= m; i++) if (ns[name, i] < ns[name, best]) best = i
		for (i = 2; i <= m; i++) { x = s[i]; j = i - 1; while (j >= 1 && s[j] > x) { s[j+1] = s[j]; j-- }; s[j+1] = x }
		med = (m % 2) ? s[(m+1)/2] : (s[m/2] + s[m/2+1]) / 2
		printf "%-28s %5d %12.1f %12.1f %12.1f %16s %10s\n", name, m, s[1], med, s[m], ev[name, best], al[name]
	}
}' "$raw"
echo "raw output: $raw"
