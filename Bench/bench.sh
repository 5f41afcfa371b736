#!/usr/bin/env bash
# make bench: build in release mode, prepare the benchmark venv (py_webauthn, matplotlib), run Bench/bench.py.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build -c release --product passkeyd --explicit-target-dependency-import-check error
swift build -c release --product passkey-bench --explicit-target-dependency-import-check error
swift build -c release --product passkey-microbench --explicit-target-dependency-import-check error
venv=Bench/.venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c "import webauthn, matplotlib" 2>/dev/null || "$venv/bin/pip" install -q -r Bench/requirements.txt
exec "$venv/bin/python" Bench/bench.py --python "$venv/bin/python" "$@"
