#!/usr/bin/env bash
# Runs a command N times and prints the best and median wall time, the CPU time of the best run
# and the largest peak RSS: `scripts/measure.sh 5 target/release/acr-lint PATH -f sarif=/tmp/o.sarif`
set -euo pipefail
runs=$1
shift
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for _ in $(seq "$runs"); do
  /usr/bin/time -f '%e %U %S %M' -o "$log" -a "$@" >/dev/null 2>&1 || true
done
grep -E '^[0-9.]+ [0-9.]+ [0-9.]+ [0-9]+$' "$log" | sort -n | awk -v runs="$runs" '
  { wall[NR] = $1; cpu[NR] = $2 + $3; if ($4 > rss) rss = $4 }
  END {
    printf "runs %d  best %.3f s  median %.3f s  cpu(best) %.2f s  peak RSS %.0f MB\n",
      runs, wall[1], wall[int((NR + 1) / 2)], cpu[1], rss / 1024
  }'
