#!/usr/bin/env bash
# Validates acr-lint's SARIF with Microsoft's SARIF multitool: a plain run for GitHub code scanning
# (Gh) and GitHub Advanced Security (Ghas), and a run in an Azure Pipelines build for those and
# Advanced Security for Azure DevOps (Ado), which needs the build's identity. Fails on any error
# or warning the validator reports.
# Usage: validate-sarif.sh [ACR_LINT] (default: acr-lint on PATH).
set -euo pipefail
cd "$(dirname "$0")/../.."

acr_lint="${1:-acr-lint}"
multitool=scripts/ci/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Exit 1 (findings) is expected; anything above is not.
scan() {
  local status=0
  "$acr_lint" testdata -f "sarif=$1" -f concise >/dev/null || status=$?
  if [ "$status" -gt 1 ]; then
    echo "acr-lint exited with $status" >&2
    exit 1
  fi
}

(unset TF_BUILD; scan "$work/plain.sarif")
TF_BUILD=True \
  SYSTEM_COLLECTIONURI=https://dev.azure.com/contoso/ \
  SYSTEM_TEAMPROJECT=infra \
  SYSTEM_TEAMPROJECTID=6d4b1c2e-0f3a-4b5c-8d9e-0a1b2c3d4e5f \
  SYSTEM_DEFINITIONID=12 \
  BUILD_DEFINITIONNAME=acr-lint \
  SYSTEM_PHASEID=3dc8fd7e-4368-5a92-293e-d53cefc8c4c3 \
  SYSTEM_PHASENAME=Job \
  BUILD_SOURCEBRANCH=refs/heads/main \
  BUILD_BUILDID=345 \
  scan "$work/pipelines.sarif"

failed=0
for run in "plain Gh;Ghas" "pipelines Gh;Ghas;Ado"; do
  sarif="$work/${run% *}.sarif"
  kinds="${run#* }"
  "$multitool" validate --rule-kind "$kinds" --log ForceOverwrite \
    -o "$work/validation.sarif" "$sarif" >/dev/null
  problems="$(python3 -c 'import json, sys
results = json.load(open(sys.argv[1]))["runs"][0].get("results", [])
for r in results:
    if r.get("level", "warning") in ("error", "warning"):
        print(r["ruleId"], r["message"].get("text", r["message"].get("id", "")))' "$work/validation.sarif")"
  if [ -n "$problems" ]; then
    echo "$(basename "$sarif"): the SARIF multitool reports:" >&2
    echo "$problems" >&2
    failed=1
  else
    echo "$(basename "$sarif"): valid for $kinds"
  fi
done
exit "$failed"
