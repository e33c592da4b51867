#!/usr/bin/env bash
# Installs the acr-lint this action was released with, unless that version is already on PATH.
# Inputs (environment): INPUT_VERSION (default: the action's own version, from pyproject.toml).
set -euo pipefail

action_dir="${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/../.." && pwd)}"
version="${INPUT_VERSION:-}"
if [ -z "$version" ]; then
  version="$(sed -n 's/^version = "\(.*\)"$/\1/p' "$action_dir/pyproject.toml" | head -n 1)"
fi
if [ -z "$version" ]; then
  echo "::error title=acr-lint::cannot tell which acr-lint version to install (no version in $action_dir/pyproject.toml)"
  exit 2
fi

if command -v acr-lint >/dev/null 2>&1; then
  installed="$(acr-lint --version | awk '{print $2}')"
  if [ "$installed" = "$version" ]; then
    echo "acr-lint $version is already installed"
    exit 0
  fi
fi

python3 -m pip install --quiet --disable-pip-version-check "acr-lint==$version"
acr-lint --version
