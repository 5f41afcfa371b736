#!/usr/bin/env bash
# Creates (once) the project's Python venv with the pinned PyPI tools and prints its python's path.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=clients/python/.venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" >&2
fi
if ! "$venv/bin/python" -c "import grpc_tools, grpc_health.v1.health_pb2_grpc, google.protobuf, pytest, cryptography, webauthn" 2>/dev/null; then
  "$venv/bin/pip" install -q -r clients/python/requirements-dev.txt >&2
fi
echo "$venv/bin/python"
