#!/usr/bin/env bash
# Runs acr-lint as the action does: annotations on standard output, SARIF to a file, the markdown
# summary appended to the job summary. Exits with acr-lint's exit code, which it also records as
# the step output `exit-code`.
# Inputs (environment): INPUT_PATHS (whitespace-separated, default "."), INPUT_ARGS (extra
# arguments, split on whitespace), INPUT_FAIL_ON, INPUT_SARIF_FILE.
set -uo pipefail

read -r -a paths <<< "${INPUT_PATHS:-.}"
read -r -a extra <<< "${INPUT_ARGS:-}"
sarif_file="${INPUT_SARIF_FILE:-acr-lint.sarif}"
summary="$(mktemp)"
trap 'rm -f "$summary"' EXIT

arguments=(-f github -f "sarif=$sarif_file" -f "markdown=$summary")
if [ -n "${INPUT_FAIL_ON:-}" ]; then
  arguments+=(--fail-on "$INPUT_FAIL_ON")
fi

acr-lint "${arguments[@]}" "${extra[@]}" -- "${paths[@]}"
status=$?

if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -s "$summary" ]; then
  cat "$summary" >> "$GITHUB_STEP_SUMMARY"
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "exit-code=$status"
    echo "sarif-file=$sarif_file"
  } >> "$GITHUB_OUTPUT"
fi
exit "$status"
