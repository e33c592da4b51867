#!/usr/bin/env bash
# Runs two acr-lint binaries over the same inputs and compares their SARIF, JSON, pretty and
# GitHub reports and exit codes byte for byte:
# `scripts/compare-outputs.sh [--each-file] REF_BINARY [NEW_BINARY [DIRECTORY...]]`
# (NEW_BINARY defaults to target/debug/acr-lint). Inputs: ../shared/bench/synthetic,
# ../shared/corpus, ../shared/bicep (each skipped with a note when absent), every directory
# under testdata/ and the DIRECTORYs given (such as the Bicep share of the benchmark corpus),
# each scanned with the default rules and again with every rule and undecided results shown.
# With --each-file, also every file under testdata/ alone, as a pre-commit hook passes it (JSON,
# exit code and standard error). Run from the repository root. Exits 1 and prints the
# differences when anything differs.
set -uo pipefail
each_file=0
if [ "${1:-}" = --each-file ]; then
  each_file=1
  shift
fi
ref=$(realpath "${1:?usage: $0 [--each-file] REF_BINARY [NEW_BINARY]}")
new=$(realpath "${2:-target/debug/acr-lint}")
shift $(($# < 2 ? $# : 2))
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

targets=()
for shared in ../shared/bench/synthetic ../shared/corpus ../shared/bicep; do
  if [ -d "$shared" ]; then targets+=("$shared"); else echo "skipped $shared: not present"; fi
done
while IFS= read -r dir; do targets+=("$dir"); done < <(find testdata -mindepth 2 -maxdepth 2 -type d | sort)
targets+=("$@")

# Masks fields that depend on the run rather than the inputs (none are expected: checked below).
mask() {
  sed -E -e 's/"(elapsed|duration|time|startTimeUtc|endTimeUtc)[A-Za-z]*": *[^,}]*/"\1": MASKED/g' \
    -e 's/ in [0-9.]+ (ms|s)\.$/ in MASKED./' "$1"
}

differences=0
compare() { # label side-a side-b
  if ! diff -u <(mask "$2") <(mask "$3") >"$out/diff" 2>&1; then
    echo "DIFFERENT: $1"
    head -40 "$out/diff"
    differences=$((differences + 1))
  fi
}
run() { # binary side target options...
  local binary=$1 side=$2 target=$3
  shift 3
  # As users run them: JSON alone; pretty, which counts the not-applicable results without
  # showing where they are (a scan without JSON frees the texts only those results point
  # into); reports that neither show nor count them (a scan for those alone records none).
  "$binary" "$target" "$@" -f "json=$out/$side.json" >/dev/null 2>"$out/$side.stderr"
  echo $? >"$out/$side.code"
  "$binary" "$target" "$@" -f "pretty=$out/$side.pretty" >/dev/null 2>>"$out/$side.stderr"
  echo $? >>"$out/$side.code"
  "$binary" "$target" "$@" -f "sarif=$out/$side.sarif" -f "github=$out/$side.github" \
    >/dev/null 2>>"$out/$side.stderr"
  echo $? >>"$out/$side.code"
}
for target in "${targets[@]}"; do
  for mode in default all; do
    options=()
    [ "$mode" = all ] && options=(--select ALL --show-unknown)
    run "$ref" ref "$target" "${options[@]}"
    run "$new" new "$target" "${options[@]}"
    for kind in sarif json pretty github code stderr; do
      compare "$target ($mode) $kind" "$out/ref.$kind" "$out/new.$kind"
    done
  done
done
echo "${#targets[@]} inputs compared twice each; $differences difference(s)"

if [ "$each_file" = 1 ]; then
  files=0
  while IFS= read -r -d '' file; do
    files=$((files + 1))
    for side in ref new; do
      binary=$ref
      [ "$side" = new ] && binary=$new
      "$binary" "$file" -f json >"$out/$side.json" 2>"$out/$side.stderr"
      echo $? >"$out/$side.code"
    done
    for kind in json code stderr; do
      compare "$file (alone) $kind" "$out/ref.$kind" "$out/new.$kind"
    done
  done < <(find testdata -type f -print0 | sort -z)
  echo "$files files of testdata/ compared alone; $differences difference(s) in all"
fi
[ "$differences" -eq 0 ]
