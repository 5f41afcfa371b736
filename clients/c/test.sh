#!/usr/bin/env bash
# End-to-end test of the C client against the real daemon (loopback only).
#   bash clients/c/test.sh
# Environment:
#   PASSKEYD_BIN   the daemon (default: <repo>/.build/debug/passkeyd)
#   PKD_VALGRIND=1 also run `pipeline 50` under valgrind --leak-check=full (one more check)
# Prints "C client: N passed, M failed" last; exits nonzero on any failure.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=${PASSKEYD_BIN:-$repo/.build/debug/passkeyd}
example=$here/passkeyd-example

passed=0
failed=0
daemon_pid=
tmp=$(mktemp -d "${TMPDIR:-/tmp}/passkeyd-c-test.XXXXXX")

stop_daemon() {
  [ -n "$daemon_pid" ] || return 0
  local pid=$daemon_pid
  daemon_pid=
  kill -TERM "$pid" 2>/dev/null || return 0
  local i
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "daemon did not exit 5 s after SIGTERM; sending SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    return 1
  fi
  wait "$pid" 2>/dev/null
  return 0
}
cleanup() {
  stop_daemon >/dev/null 2>&1
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pass() { passed=$((passed + 1)); echo "ok   - $1"; }
fail() { failed=$((failed + 1)); echo "FAIL - $1"; }

summary() {
  echo "C client: $passed passed, $failed failed"
  [ "$failed" = 0 ] && [ "$passed" -gt 0 ]
}

# check NAME EXPECTED_STATUS REGEX -- COMMAND...: runs COMMAND, wants its exit status and a stdout line matching REGEX.
check() {
  local name=$1 want=$2 pattern=$3
  shift 4
  local out rc
  out=$("$@" 2>"$tmp/stderr")
  rc=$?
  if [ "$rc" = "$want" ] && grep -Eq -- "$pattern" <<<"$out"; then
    pass "$name"
  else
    fail "$name (exit $rc, wanted $want; output must match /$pattern/)"
    sed 's/^/    stdout: /' <<<"$out"
    sed 's/^/    stderr: /' "$tmp/stderr"
  fi
}

free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
    return
  fi
  local p i
  for ((i = 0; i < 50; i++)); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return
    fi
  done
  return 1
}

# --- build --------------------------------------------------------------------------------------------------------
if ! make -s -C "$here" >"$tmp/make.log" 2>&1; then
  cat "$tmp/make.log"
  fail "build passkeyd-example"
  summary
  exit 1
fi
pass "build passkeyd-example (-Wall -Wextra -Werror)"

if [ ! -x "$bin" ]; then
  fail "daemon binary $bin not found (set PASSKEYD_BIN or swift build first)"
  summary
  exit 1
fi

# --- start the daemon ---------------------------------------------------------------------------------------------
sock=$tmp/s.sock
port=$(free_port) || { fail "find a free loopback port"; summary; exit 1; }
"$bin" serve --unix-socket "$sock" --tcp-port "$port" --tcp-host 127.0.0.1 >"$tmp/daemon.log" 2>&1 &
daemon_pid=$!

ready=0
for ((i = 0; i < 100; i++)); do # 100 x 0.1 s = 10 s
  if ! kill -0 "$daemon_pid" 2>/dev/null; then
    break
  fi
  if [ -S "$sock" ] && "$example" --unix "$sock" health >/dev/null 2>&1 &&
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    ready=1
    break
  fi
  sleep 0.1
done
if [ "$ready" = 1 ]; then
  pass "daemon accepts on unix:$sock and tcp:127.0.0.1:$port"
else
  fail "daemon ready within 10 s (unix:$sock, tcp:127.0.0.1:$port)"
  sed 's/^/    daemon: /' "$tmp/daemon.log"
  summary
  exit 1
fi

# --- checks -------------------------------------------------------------------------------------------------------
check "unix health" 0 '^status: SERVING$' -- "$example" --unix "$sock" health
check "unix health counts this connection" 0 '^connections: [1-9][0-9]*$' -- "$example" --unix "$sock" health
check "unix health names the challenge store" 0 '^challenge_store: CHALLENGE_STORE_MEMORY$' -- "$example" --unix "$sock" health
check "unix info" 0 '^version: .+' -- "$example" --unix "$sock" info
check "unix info limits" 0 '^max_frame_bytes: [1-9][0-9]*$' -- "$example" --unix "$sock" info
check "unix verify-garbage is rejected" 0 '^error_code: MALFORMED_(AUTHENTICATOR|CLIENT)_DATA \((24|22)\)$' -- \
  "$example" --unix "$sock" verify-garbage
check "unix pipeline 100" 0 '^pipelined 100 requests, all answered$' -- "$example" --unix "$sock" pipeline 100
check "tcp health" 0 '^status: SERVING$' -- "$example" --tcp "127.0.0.1:$port" health
check "tcp pipeline 20" 0 '^pipelined 20 requests, all answered$' -- "$example" --tcp "127.0.0.1:$port" pipeline 20

if [ "${PKD_VALGRIND:-0}" = 1 ]; then
  check "valgrind pipeline 50 (no leaks, no errors)" 0 '^pipelined 50 requests, all answered$' -- \
    valgrind -q --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all --error-exitcode=99 \
    "$example" --unix "$sock" pipeline 50
fi

# The daemon is still alive after all of that.
if kill -0 "$daemon_pid" 2>/dev/null; then
  pass "daemon still running after the checks"
else
  fail "daemon still running after the checks"
  sed 's/^/    daemon: /' "$tmp/daemon.log"
fi

# --- stop ---------------------------------------------------------------------------------------------------------
if stop_daemon; then
  pass "daemon exits within 5 s of SIGTERM"
else
  fail "daemon exits within 5 s of SIGTERM"
  sed 's/^/    daemon: /' "$tmp/daemon.log"
fi

summary
