#!/usr/bin/env bash
# The example gateway on http://localhost:8000 in one command: builds passkeyd, starts it on a temporary Unix socket
# with this directory's relying parties (passkeyd.json), and serves the Flask gateway on 127.0.0.1:8000 (PORT=N for
# another port; GATEWAY_DB=FILE keeps users and passkeys across runs). Ctrl-C stops both.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
port=${PORT:-8000}
cd "$root"
bash scripts/install-deps.sh
swift build --product passkeyd
python=$(bash scripts/python-venv.sh)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/passkeyd-example.XXXXXX")
daemon=""
gateway=""
cleanup() {
  for pid in $gateway $daemon; do
    if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" && wait "$pid" || true; fi
  done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The origin the relying parties allow follows the port.
sed "s#http://localhost:8000#http://localhost:$port#g" "$here/passkeyd.json" > "$tmp/passkeyd.json"
.build/debug/passkeyd serve --unix-socket "$tmp/passkeyd.sock" --config "$tmp/passkeyd.json" &
daemon=$!
for _ in $(seq 100); do
  [ -S "$tmp/passkeyd.sock" ] && break
  kill -0 "$daemon" 2>/dev/null || { echo "run.sh: passkeyd did not start" >&2; exit 1; }
  sleep 0.1
done
[ -S "$tmp/passkeyd.sock" ] || { echo "run.sh: passkeyd's socket did not appear" >&2; exit 1; }

echo "run.sh: open http://localhost:$port/ (passkeyd on $tmp/passkeyd.sock)"
PYTHONPATH="$root/clients/python:$here" "$python" "$here/app.py" \
  --passkeyd-socket "$tmp/passkeyd.sock" --database "${GATEWAY_DB:-$tmp/gateway.db}" --port "$port" \
  --relying-party example --relying-party example-uv &
gateway=$!
wait "$gateway"
