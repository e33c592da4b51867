#!/usr/bin/env bash
# Builds the Python wheel from the tree, installs it offline into a fresh virtual environment and
# runs the installed acr-lint on testdata/. Prints the installed binary's path on the last line.
set -euo pipefail
cd "$(dirname "$0")/../.."

wheels=target/wheels
venv=target/wheel-venv
rm -rf "$wheels" "$venv"
python3 -m maturin build --release --locked --out "$wheels" >&2
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-index \
  --find-links "$wheels" acr-lint >&2

installed="$venv/bin/acr-lint"
expected="acr-lint $(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)"
actual="$("$installed" --version)"
if [ "$actual" != "$expected" ]; then
  echo "the wheel installs '$actual', expected '$expected'" >&2
  exit 1
fi

status=0
report="$("$installed" testdata -f concise 2>/dev/null)" || status=$?
if [ "$status" -ne 1 ] || ! grep -q "error\[ACR001\]" <<< "$report"; then
  echo "the installed acr-lint did not report testdata/ (exit $status)" >&2
  exit 1
fi
echo "wheel: $(ls "$wheels") installs $actual and reports testdata/" >&2
echo "$installed"
