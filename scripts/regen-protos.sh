#!/usr/bin/env bash
# Regenerates the committed code from Protos/: protobuf-c (C, for the server and the C client) and Python (_pb2 and
# its .pyi stubs).
#   scripts/regen-protos.sh          rewrite the generated files
#   scripts/regen-protos.sh --check  fail if the committed files differ from what the .proto generates (CI)
set -euo pipefail
cd "$(dirname "$0")/.."
check=0
[ "${1:-}" = "--check" ] && check=1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
protoc-c --proto_path=Protos --c_out="$out" Protos/passkeyd/v1/passkeyd.proto
pairs=(
  "$out/passkeyd/v1/passkeyd.pb-c.c:Sources/CPasskeyProto/passkeyd.pb-c.c"
  "$out/passkeyd/v1/passkeyd.pb-c.h:Sources/CPasskeyProto/include/passkeyd/v1/passkeyd.pb-c.h"
)
py=$(bash scripts/python-venv.sh)
mkdir -p "$out/py"
# --pyi_out: type stubs for the messages, so the client's own code is checked against them (mypy --strict).
"$py" -m grpc_tools.protoc --proto_path=Protos --python_out="$out/py" --pyi_out="$out/py" Protos/passkeyd/v1/passkeyd.proto
pairs+=("$out/py/passkeyd/v1/passkeyd_pb2.py:clients/python/passkeyd_client/passkeyd_pb2.py")
pairs+=("$out/py/passkeyd/v1/passkeyd_pb2.pyi:clients/python/passkeyd_client/passkeyd_pb2.pyi")
status=0
for pair in "${pairs[@]}"; do
  src=${pair%%:*}
  dst=${pair#*:}
  if [ "$check" = 1 ]; then
    if ! cmp -s "$src" "$dst"; then
      echo "regen-protos: $dst is stale; run scripts/regen-protos.sh" >&2
      status=1
    fi
  else
    mkdir -p "$(dirname "$dst")"
    cp "$src" "$dst"
  fi
done
[ "$check" = 1 ] && [ $status = 0 ] && echo "regen-protos: generated code is up to date"
exit $status
