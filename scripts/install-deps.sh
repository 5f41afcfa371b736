#!/usr/bin/env bash
# Installs the Debian packages passkeyd builds against, when they are missing. Safe to run repeatedly.
#   libssl-dev           OpenSSL 3 libcrypto (the only crypto library passkeyd uses)
#   pkg-config           how SwiftPM finds it
#   libprotobuf-c-dev    protobuf-c runtime (the wire codec)
#   protobuf-c-compiler  protoc-c, to regenerate Protos/ code (scripts/regen-protos.sh)
#   redis-server         the shared replay store the end-to-end tests start on loopback (Tests/e2e/test_redis.py);
#                        the daemon itself needs no Redis library (its RESP client is Swift on SwiftNIO)
set -euo pipefail
packages=(libssl-dev pkg-config libprotobuf-c-dev protobuf-c-compiler redis-server)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
