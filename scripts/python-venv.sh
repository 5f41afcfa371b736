#!/usr/bin/env bash
# Creates (once) the project's Python venv with the pinned PyPI tools and prints its python's path.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=clients/python/.venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" >&2
fi
# Installs again whenever requirements-dev.txt changed since the last install (a copy of it is the stamp), so an
# added or re-pinned tool reaches every existing venv without anyone listing its imports here.
stamp="$venv/requirements-dev.installed"
if ! cmp -s clients/python/requirements-dev.txt "$stamp"; then
  "$venv/bin/pip" install -q -r clients/python/requirements-dev.txt >&2
  cp clients/python/requirements-dev.txt "$stamp"
fi
echo "$venv/bin/python"
