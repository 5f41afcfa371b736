#!/usr/bin/env bash
# Regenerates the committed code from Protos/: protobuf-c (C, for the server and the C client), Python (_pb2, its .pyi
# stubs, and the grpcio stubs _pb2_grpc) and Swift for the gRPC listener (SwiftProtobuf messages and grpc-swift-2 stubs,
# in Sources/PasskeyGRPC/Generated). The two Swift protoc plugins are built once from scripts/codegen (a package of its
# own, pinned to the main package's versions; about 80 s the first time), never while the main package builds.
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
"$py" -m grpc_tools.protoc --proto_path=Protos --grpc_python_out="$out/py" Protos/passkeyd/v1/passkeyd.proto
# The stubs sit beside passkeyd_pb2.py inside the package, so they import it relatively.
sed -i 's/^from passkeyd\.v1 import passkeyd_pb2 as /from . import passkeyd_pb2 as /' "$out/py/passkeyd/v1/passkeyd_pb2_grpc.py"
pairs+=("$out/py/passkeyd/v1/passkeyd_pb2.py:clients/python/passkeyd_client/passkeyd_pb2.py")
pairs+=("$out/py/passkeyd/v1/passkeyd_pb2.pyi:clients/python/passkeyd_client/passkeyd_pb2.pyi")
pairs+=("$out/py/passkeyd/v1/passkeyd_pb2_grpc.py:clients/python/passkeyd_client/passkeyd_pb2_grpc.py")

# Swift: the plugins come from scripts/codegen (its .build is ignored by git), built when missing.
plugins=scripts/codegen/.build/release
for product in protoc-gen-swift protoc-gen-grpc-swift-2; do
  if [ ! -x "$plugins/$product" ]; then
    echo "regen-protos: building $product (scripts/codegen)" >&2
    swift build --package-path scripts/codegen -c release --product "$product" >&2
  fi
done
mkdir -p "$out/swift"
swift_protos=(passkeyd/v1/passkeyd.proto grpc/health/v1/health.proto)
"$py" -m grpc_tools.protoc --proto_path=Protos \
  --plugin=protoc-gen-swift="$plugins/protoc-gen-swift" --plugin=protoc-gen-grpc-swift="$plugins/protoc-gen-grpc-swift-2" \
  --swift_out="$out/swift" --swift_opt=Visibility=Internal,FileNaming=PathToUnderscores \
  --grpc-swift_out="$out/swift" --grpc-swift_opt=Visibility=Internal,Server=true,Client=true,FileNaming=PathToUnderscores \
  "${swift_protos[@]/#/Protos/}"
for proto in "${swift_protos[@]}"; do
  base=${proto%.proto}
  base=${base//\//_}
  pairs+=("$out/swift/$base.pb.swift:Sources/PasskeyGRPC/Generated/$base.pb.swift")
  pairs+=("$out/swift/$base.grpc.swift:Sources/PasskeyGRPC/Generated/$base.grpc.swift")
done
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
