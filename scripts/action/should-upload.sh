#!/usr/bin/env bash
# Decides whether the SARIF can be uploaded to code scanning: not when the input says no, not
# when the file is missing, and not on a pull request from a fork, whose token cannot write
# security events. Writes the step output `upload=true|false`.
# Inputs (environment): INPUT_UPLOAD, INPUT_SARIF_FILE, GITHUB_EVENT_NAME, GITHUB_EVENT_PATH,
# GITHUB_REPOSITORY, GITHUB_OUTPUT.
set -euo pipefail

decide() {
  if [ "${INPUT_UPLOAD:-true}" != "true" ]; then
    echo false
    return
  fi
  if [ ! -s "${INPUT_SARIF_FILE:-acr-lint.sarif}" ]; then
    echo "::notice title=acr-lint::no SARIF file was written; nothing to upload to code scanning" >&2
    echo false
    return
  fi
  case "${GITHUB_EVENT_NAME:-}" in
    pull_request | pull_request_review | pull_request_review_comment)
      local head
      head="$(python3 -c 'import json, sys
event = json.load(open(sys.argv[1]))
repo = ((event.get("pull_request") or {}).get("head") or {}).get("repo") or {}
print(repo.get("full_name") or "")' "${GITHUB_EVENT_PATH:-/dev/null}" 2>/dev/null || true)"
      if [ -n "$head" ] && [ "$head" != "${GITHUB_REPOSITORY:-}" ]; then
        echo "::notice title=acr-lint::pull request from the fork $head: its token cannot upload SARIF to code scanning, so the upload is skipped; the annotations and the job summary show the findings" >&2
        echo false
        return
      fi
      ;;
  esac
  echo true
}

upload="$(decide)"
echo "upload=$upload"
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  echo "upload=$upload" >> "$GITHUB_OUTPUT"
fi
