"""`make bench`: the project's published figures, measured side by side in one run on the same keys and assertions.

1. OpenSSL's raw EVP verify rate for the corpus keys (the ceiling), one core.
2. passkeyd's in-process verify rate (full §7.2 verification, no IPC), one core.
3. End to end over the Unix socket: single and batch RPCs, with the server's batching on and off.
4. The peer: py_webauthn's verify_authentication_response on the same assertions, in process, one core.
5. Hostile inputs: worst-case inputs next to benign ones of the same size through the same parsers (the ratio shows
   that no parser's work grows faster than its input).
6. Registrations per attestation format, in process, one core, next to py_webauthn on the same registrations (the
   chains end at the run's test root, given to both as that format's root).
7. Issued challenges over the Unix socket, in the same run: challenge checking off (expected bytes), the embedded
   replay store, and Redis (a redis-server started here on a Unix socket), single and batch RPCs, as ratios to the
   first; and Redis round trips per assertion (from the daemon's metrics: writes per SET). `--issued-only` runs this
   section alone (Bench/results/issued.json).
8. gRPC next to the framed protocol on one daemon (--grpc-port): a stock grpcio client and raw pipelined frames driven
   by the same Python loop on the same corpus (Bench/grpc_load.py), single and batch RPCs; assertions/s and server CPU
   per assertion, gRPC / framed.
9. The server's share: server CPU per assertion above the raw verify time (single and batch RPCs), the daemon's
   reads, writes, epoll_waits and context switches per request (perf stat, when perf can attach), and throughput
   with 1 and 2 server threads (batch RPCs) with the scaling efficiency.

Each is printed as assertions/s and as a ratio to the ceiling; end-to-end runs also as server CPU per assertion
against the raw verify time. Results go to Bench/results/ (JSON and Markdown).
"""
import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
REL = os.path.join(ROOT, ".build", "release")
# Credentials in the corpus; the issued-challenge runs mint the same number, so every mode has the same key-cache
# working set.
CREDENTIALS = 256


def run(cmd, **kw):
    print("+ " + " ".join(cmd), flush=True)
    return subprocess.run(cmd, check=True, **kw)


def start_daemon(sock, *extra):
    if os.path.exists(sock):
        os.unlink(sock)
    proc = subprocess.Popen([os.path.join(REL, "passkeyd"), "serve", "--unix-socket", sock, "--log-level", "warning", *extra])
    for _ in range(300):
        if os.path.exists(sock):
            break
        time.sleep(0.02)
    time.sleep(0.1)
    return proc


def stop_daemon(proc):
    proc.send_signal(signal.SIGTERM)
    proc.wait(15)


def load(sock, pid, out, corpus, seconds, connections, depth, batch):
    run([os.path.join(REL, "passkey-bench"), "--unix-socket", sock, "--corpus", corpus, "--connections", str(connections),
         "--depth", str(depth), "--batch", str(batch), "--duration", str(seconds), "--server-pid", str(pid),
         "--json", out], stdout=subprocess.DEVNULL)
    with open(out) as f:
        return json.load(f)


def metric(port, name):
    import urllib.request
    text = urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=5).read().decode()
    return sum(float(l.rsplit(" ", 1)[1]) for l in text.splitlines() if l.startswith(name + " ") or l.startswith(name + "{"))


def free_port():
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def issued_challenges(tmp, corpus, secs):
    """Section 7: the same load shapes with challenge checking off, the embedded store and Redis."""
    import base64
    import shutil
    redis_bin = shutil.which("redis-server")
    keys = os.path.join(tmp, "challenge-keys.json")
    with open(keys, "w") as f:
        json.dump({"mint": "bench", "keys": {"bench": base64.b64encode(os.urandom(32)).decode()}}, f)
    os.chmod(keys, 0o600)
    sock = os.path.join(tmp, "issued.sock")
    redis_sock = os.path.join(tmp, "redis.sock")
    redis = None
    if redis_bin:
        redis = subprocess.Popen([redis_bin, "--port", "0", "--unixsocket", redis_sock, "--unixsocketperm", "700", "--save", "",
                                  "--appendonly", "no", "--dir", tmp], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            if os.path.exists(redis_sock):
                break
            time.sleep(0.02)
    modes = [("expected bytes (no challenge check)", [], False), ("issued, embedded store", ["--challenge-keys-file", keys], True)]
    if redis:
        modes.append(("issued, Redis store (Unix socket)",
                      ["--challenge-keys-file", keys, "--challenge-store", "redis", "--redis-url", "unix://" + redis_sock], True))
    runs = []
    try:
        for label, extra, issued in modes:
            port = free_port()
            proc = start_daemon(sock, "--metrics-port", str(port), *extra)
            try:
                time.sleep(0.3)  # Redis connections are made at start
                for batch, conns, depth in ((1, 2, 8), (32, 2, 4)):
                    out = os.path.join(tmp, "issued-%d-%d.json" % (len(runs), batch))
                    before = (metric(port, "passkeyd_challenge_store_round_trips_total"), metric(port, "passkeyd_challenge_store_commands_total"))
                    cmd = [os.path.join(REL, "passkey-bench"), "--unix-socket", sock, "--connections", str(conns), "--depth", str(depth),
                           "--batch", str(batch), "--duration", str(secs), "--server-pid", str(proc.pid), "--json", out]
                    cmd += ["--issued-challenges", keys, "--credentials", str(CREDENTIALS)] if issued else ["--corpus", corpus]
                    run(cmd, stdout=subprocess.DEVNULL)
                    with open(out) as f:
                        r = json.load(f)
                    trips = metric(port, "passkeyd_challenge_store_round_trips_total") - before[0]
                    sets = metric(port, "passkeyd_challenge_store_commands_total") - before[1]
                    r["mode"] = label
                    r["redis_round_trips_per_assertion"] = trips / sets if sets else None
                    runs.append(r)
            finally:
                stop_daemon(proc)
    finally:
        if redis:
            redis.terminate()
            redis.wait(10)
    return runs


def issued_table(issued, cores):
    """Section 7's table: each mode as a ratio to expected bytes with the same RPC shape."""
    lines = ["| issued challenges, over the Unix socket (%d cores shared with the load tool) | RPCs | assertions/s | ratio to expected bytes | server CPU µs/assertion | Redis round trips per assertion | errors |" % cores,
             "|---|---|---:|---:|---:|---:|---:|"]
    base = {r["batch"]: r["assertions_per_second"] for r in issued if r["mode"].startswith("expected")}
    for r in issued:
        cpu = r.get("server_cpu_ns_per_assertion")
        trips = r.get("redis_round_trips_per_assertion")
        lines.append("| %s | %s | %d | %.3f | %s | %s | %d |" % (
            r["mode"], "single" if r["batch"] == 1 else "batch of %d" % r["batch"], r["assertions_per_second"],
            r["assertions_per_second"] / base[r["batch"]] if base.get(r["batch"]) else 0,
            "%.1f" % (cpu / 1000) if cpu else "", "%.3f" % trips if trips is not None else "", r.get("errors", 0)))
    return lines

# ---- Load tool (issue 12, round 2): its own CPU, open-loop latency at 70 % of the maximum, a million credentials. ----
# The rotation corpus is cached here (the tool writes a .gitignore of its own into it).
LOADTOOL_CACHE = os.path.join(ROOT, "Bench", ".cache")
ROTATION = 1_000_000
LATENCY_TARGET_US = 2000.0
RSS_TARGET_MIB = 300.0


def tool_cpu_note(r):
    """The load tool's own CPU per assertion, for the end-to-end rows."""
    c = r.get("client_cpu_ns_per_assertion")
    if not c:
        return ""
    return "; load tool CPU %.1f µs/assertion (%s runner%s)" % (
        c / 1000, r.get("runner", "async"),
        ", %.2f writes/request" % r["client_writes_per_request"] if r.get("client_writes_per_request") is not None else "")


def bench_tool(out, *args):
    run([os.path.join(REL, "passkey-bench"), *args, "--json", out], stdout=subprocess.DEVNULL)
    with open(out) as f:
        return json.load(f)


def loadtool_runs(tmp, corpus, secs, quick):
    """Side by side in one run: the event-loop runner and the task-per-request one (closed loop, then open loop at
    70 % of the loop runner's closed-loop maximum), then, on a fresh daemon with its default key cache, the 256-key
    corpus (hot) next to a rotation of 1,000,000 distinct ES256 credentials, with the daemon's peak RSS (VmHWM)."""
    runs = {"rotation_credentials": ROTATION}
    t0 = time.time()
    run([os.path.join(REL, "passkey-bench"), "--rotation", str(ROTATION), "--cache-dir", LOADTOOL_CACHE], stdout=subprocess.DEVNULL)
    runs["rotation_prepare_seconds"] = time.time() - t0
    sock = os.path.join(tmp, "loadtool.sock")
    proc = start_daemon(sock)
    try:
        common = ["--unix-socket", sock, "--server-pid", str(proc.pid), "--corpus", corpus]
        for runner in ("loop", "async"):
            runs["closed_" + runner] = bench_tool(os.path.join(tmp, "lt-closed-%s.json" % runner), *common, "--runner", runner,
                                                  "--connections", "2", "--depth", "8", "--duration", str(secs))
        rate = 0.7 * runs["closed_loop"]["assertions_per_second"]
        runs["open_rate"] = rate
        for runner in ("loop", "async"):
            runs["open_" + runner] = bench_tool(os.path.join(tmp, "lt-open-%s.json" % runner), *common, "--runner", runner,
                                                "--connections", "2", "--depth", "64", "--rate", "%.0f" % rate,
                                                "--duration", str(secs))
    finally:
        stop_daemon(proc)
    proc = start_daemon(sock)
    try:
        base = ["--unix-socket", sock, "--server-pid", str(proc.pid), "--connections", "2", "--depth", "8", "--duration", str(secs)]
        runs["hot"] = bench_tool(os.path.join(tmp, "lt-hot.json"), *base, "--corpus", corpus)
        runs["rotation"] = bench_tool(os.path.join(tmp, "lt-rotation.json"), *base, "--rotation", str(ROTATION),
                                      "--cache-dir", LOADTOOL_CACHE)
        with open("/proc/%d/status" % proc.pid) as f:
            hwm = [l for l in f if l.startswith("VmHWM:")]
        runs["daemon_vmhwm_kib"] = int(hwm[0].split()[1]) if hwm else None
    finally:
        stop_daemon(proc)
    return runs


def loadtool_table(lt, raw, cores):
    """The load tool's rows: every figure a ratio to a same-run reference (raw: OpenSSL's verifies/s, or None)."""
    raw_us = 1e6 / raw if raw else None

    def cpu(r, key):
        v = r.get(key)
        return "%.1f" % (v / 1000) if v else "–"

    lines = ["| load tool, over the Unix socket (%d cores shared by tool and daemon; box shared with other builds) | assertions/s | ratio | server CPU µs/assertion (× raw verify) | tool CPU µs/assertion | p50 / p99 / p99.9 ms | note |" % cores,
             "|---|---:|---:|---:|---:|---:|---|"]

    def row(label, r, ratio, note):
        p = r.get("latency_us", {})
        sc = r.get("server_cpu_ns_per_assertion")
        lines.append("| %s | %d | %s | %s | %s | %.2f / %.2f / %.2f | %s |" % (
            label, r["assertions_per_second"], ratio,
            ("%.1f (%.2f×)" % (sc / 1000, sc / 1000 / raw_us) if raw_us else "%.1f" % (sc / 1000)) if sc else "–",
            cpu(r, "client_cpu_ns_per_assertion"),
            p.get("p50", 0) / 1000, p.get("p99", 0) / 1000, p.get("p99_9", 0) / 1000, note))

    cl, ca = lt["closed_loop"], lt["closed_async"]
    row("closed loop, single RPCs, 2 × 8, event-loop runner", cl, "1.000 (max)", "%.2f writes/request" % cl.get("client_writes_per_request", 0))
    row("closed loop, single RPCs, 2 × 8, task-per-request runner (before)", ca,
        "%.3f of loop" % (ca["assertions_per_second"] / cl["assertions_per_second"]),
        "tool CPU %.2f× the loop runner's" % (ca["client_cpu_ns_per_assertion"] / max(1, cl["client_cpu_ns_per_assertion"])))
    for runner, what in (("loop", "event-loop runner"), ("async", "task-per-request runner (before)")):
        o = lt["open_" + runner]
        p99 = o["latency_us"]["p99"]
        sched = o.get("schedule", {})
        row("open loop at 70 %% of the max (%d/s), 2 × ≤64, %s, latency from the scheduled send" % (lt["open_rate"], what), o,
            "p99 / 2 ms = %.2f" % (p99 / LATENCY_TARGET_US),
            "%s; send lag p99 %.2f ms; %d late starts%s" % (
                "target met" if p99 <= LATENCY_TARGET_US else "target NOT met", o["send_lag_us"]["p99"] / 1000,
                sched.get("late_starts", 0), ", fell behind" if sched.get("fell_behind") else ""))
    hot, rot = lt["hot"], lt["rotation"]
    row("hot keys: 256 credentials (fit the key cache), closed loop 2 × 8", hot, "1.000", "")
    hwm = lt.get("daemon_vmhwm_kib")
    row("%s distinct ES256 credentials in rotation (every request a new key), default key cache" % format(lt["rotation_credentials"], ","),
        rot, "%.3f of hot (target ≥ 0.9)" % (rot["assertions_per_second"] / hot["assertions_per_second"]),
        "per server CPU (less disturbed by other load): %s of hot; daemon VmHWM %s MiB = %s of the 300 MiB target; %d of the corpus sent in the run (%.2f rotations); corpus ready in %.0f s (cached in Bench/.cache)" % (
            "%.3f" % (hot["server_cpu_ns_per_assertion"] / rot["server_cpu_ns_per_assertion"])
            if hot.get("server_cpu_ns_per_assertion") and rot.get("server_cpu_ns_per_assertion") else "?",
            "%.0f" % (hwm / 1024) if hwm else "?", "%.2f×" % (hwm / 1024 / RSS_TARGET_MIB) if hwm else "?",
            rot["requests"], rot["requests"] / lt["rotation_credentials"], lt["rotation_prepare_seconds"]))
    return lines


def registration_table(registrations, reg_peer):
    """Registrations/s per attestation format next to py_webauthn's, with the chain cache's effect: cold (a cache of 0
    entries), new leaf (intermediates cached, every leaf new: per-device certificates), same chain (batch certificates);
    the default column is new leaf for per-device formats and same chain for batch ones. Time per registration is in
    units of the same run's signature verify with a ready key (P-256 or RSA-2048, the statement's algorithm);
    signatures = the statement's + the certificates' (counted by the cache), cold → new leaf → same chain."""
    lines = ["| registration, attestation format | passkeyd/s | py_webauthn %s/s | passkeyd / peer | cold /s | new leaf /s "
             "| same chain /s | µs per registration | × signature verify | signatures cold → new leaf → same chain |"
             % reg_peer["version"],
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    peer_by_label = {f["label"]: f for f in reg_peer["formats"]}
    for r in registrations:
        p = peer_by_label.get(r["label"], {})
        prate = p.get("registrations_per_second", 0)
        note = "%.2f" % (r["registrations_per_second"] / prate) if prate else "peer failed: %s" % p.get("error", "?")
        us = r["nanoseconds_per_registration"] / 1000
        unit_us = r["unit_verify_nanoseconds"] / 1000
        sigs = " → ".join("%g" % round(r["statement_signatures"] + r["certificate_signatures_per_1000_" + k] / 1000, 2)
                          for k in ("cold", "new_leaf", "same_chain"))
        lines.append("| %s (%s%s%s) | %d | %d | %s | %d | %d | %d | %.1f | %.2f × %s (%.1f µs) | %s |" % (
            r["label"], r["attestation_type"], ", trusted" if r["trusted"] else "",
            ", default = same chain" if r["shared_leaf"] else ", default = new leaf",
            r["registrations_per_second"], prate, note, r["cold_per_second"], r["new_leaf_per_second"],
            r["same_chain_per_second"], us, us / unit_us, r["unit"], unit_us, sigs))
    if registrations:
        r = registrations[0]
        lines.append("")
        lines.append("Same run: parsing one P-256 attestation leaf (d2i_X509, uncached) %.1f µs = %.2f P-256 verifies (%.1f µs)" % (
            r["p256_leaf_parse_nanoseconds"] / 1000, r["p256_leaf_parse_nanoseconds"] / r["p256_verify_nanoseconds"],
            r["p256_verify_nanoseconds"] / 1000))
    return lines


# Section 9 (issue 12, the server's share): server CPU above the raw verify per assertion, the syscalls and wake-ups
# per request (perf stat on the daemon, when perf can attach), and throughput with 1 and 2 server threads.
SYSCALLS = ("read", "readv", "recvfrom", "recvmsg", "write", "writev", "sendmsg", "epoll_wait", "epoll_pwait")


def perf_counts(pid, seconds):
    """Syscalls and context switches of process `pid` over `seconds` (perf stat), or None without a usable perf."""
    import shutil
    perf = shutil.which("perf")
    if not perf:
        return None
    events = ["syscalls:sys_enter_" + n for n in SYSCALLS] + ["context-switches"]
    try:
        out = subprocess.run([perf, "stat", "-x", ",", "-e", ",".join(events), "-p", str(pid), "--", "sleep", str(seconds)],
                             capture_output=True, text=True, timeout=seconds + 30).stderr
    except (OSError, subprocess.TimeoutExpired):
        return None
    counts = {}
    for line in out.splitlines():
        f = line.split(",")
        if len(f) > 2 and f[0].strip().isdigit():
            counts[f[2].replace("syscalls:sys_enter_", "")] = int(f[0])
    return counts or None


def server_share(tmp, corpus, secs):
    """The daemon alone under the usual load shapes, with its syscalls counted, then with --threads 1 and 2 (batch RPCs
    of 32 on 2 connections x depth 4, where the load tool costs least)."""
    import threading
    sock = os.path.join(tmp, "share.sock")
    shapes = []
    proc = start_daemon(sock)
    try:
        for batch, conns, depth in ((1, 2, 8), (32, 2, 4)):
            counted = {}
            window = max(1, secs - 2)

            def count(pid=proc.pid, window=window, counted=counted):
                time.sleep(1)  # the load tool starts and warms up
                c = perf_counts(pid, window)
                if c:
                    counted.update(c, _seconds=window)
            t = threading.Thread(target=count)
            t.start()
            r = load(sock, proc.pid, os.path.join(tmp, "share-%d.json" % batch), corpus, secs, conns, depth, batch)
            t.join()
            r["syscalls"] = counted or None
            shapes.append(r)
    finally:
        stop_daemon(proc)
    threads = []
    for n in (1, 2):
        proc = start_daemon(sock, "--threads", str(n))
        try:
            r = load(sock, proc.pid, os.path.join(tmp, "threads-%d.json" % n), corpus, secs, 2, 4, 32)
            r["server_threads"] = n
            threads.append(r)
        finally:
            stop_daemon(proc)
    return {"shapes": shapes, "threads": threads}


def server_share_lines(share, raw, peer_rate, cores):
    """Section 9's tables: ratios to the raw verify time of the same run, and 2-thread / (2 × 1-thread)."""
    raw_us = 1e6 / raw
    lines = ["| server's share, over the Unix socket (%d cores shared with the load tool) | assertions/s | server CPU µs/assertion | ratio to raw verify (%.1f µs) | above raw verify, µs | per server core / py_webauthn | load tool CPU µs/assertion |" % (cores, raw_us),
             "|---|---:|---:|---:|---:|---:|---:|"]
    for r in share["shapes"]:
        cpu = r.get("server_cpu_ns_per_assertion") or 0
        client = r.get("client_cpu_ns_per_assertion")
        lines.append("| %s | %d | %.1f | %.3f | %.1f | %.2f | %s |" % (
            "single RPCs, 2 connections × depth 8" if r["batch"] == 1 else "batch RPCs of %d, 2 connections × depth 4" % r["batch"],
            r["assertions_per_second"], cpu / 1000, cpu / 1000 / raw_us, cpu / 1000 - raw_us,
            (1e9 / cpu) / peer_rate if cpu else 0, "%.1f" % (client / 1000) if client else ""))
    counted = [r for r in share["shapes"] if r.get("syscalls")]
    if counted:
        lines += ["", "| per request (perf stat on the daemon) | reads | writes | epoll_wait | context switches |", "|---|---:|---:|---:|---:|"]
        for r in counted:
            c = r["syscalls"]
            # perf counted for part of the run: the requests answered in that span, at the run's rate.
            requests = r["assertions_per_second"] / r["batch"] * c["_seconds"]
            per = lambda *names: sum(c.get(n, 0) for n in names) / requests if requests else 0
            lines.append("| %s | %.2f | %.2f | %.2f | %.2f |" % (
                "single RPC" if r["batch"] == 1 else "batch RPC of %d" % r["batch"],
                per("read", "readv", "recvfrom", "recvmsg"), per("write", "writev", "sendmsg"),
                per("epoll_wait", "epoll_pwait"), per("context-switches")))
    t = {r["server_threads"]: r for r in share["threads"]}
    if 1 in t and 2 in t:
        lines += ["", "| server threads, batch RPCs of 32 | assertions/s | server CPU µs/assertion | scaling efficiency: 2-thread / (2 × 1-thread) |",
                  "|---|---:|---:|---:|"]
        for n in (1, 2):
            lines.append("| %d | %d | %.1f | %s |" % (n, t[n]["assertions_per_second"], (t[n].get("server_cpu_ns_per_assertion") or 0) / 1000,
                                                    "%.3f" % (t[2]["assertions_per_second"] / (2 * t[1]["assertions_per_second"])) if n == 2 else ""))
        lines.append("(%d cores in all, shared with the load tool: 2 server threads cannot have 2 cores to themselves here.)" % cores)
    return lines


def cold_key_rows(tmp, quick, micro):
    """Cold keys (issue 12): the second ceiling (ECDSA_verify on the EC_KEY, the call the library makes), the cold and
    hot ES256 ratios against the faster of the two ceilings, and per-algorithm cold rows from the route table
    (`passkey-microbench --key-routes`, its own run: ratios there are to that algorithm's faster hot ceiling)."""
    raw = micro["raw_openssl_verifies_per_second"]
    direct = micro.get("raw_ecdsa_verify_direct_per_second", 0)
    ceiling = max(raw, direct)
    which = "ECDSA_verify" if direct > raw else "EVP_PKEY_verify"
    rows = [
        ("OpenSSL raw ECDSA_verify on the EC_KEY, P-256 (1 core) — second ceiling, the call passkeyd makes", direct,
         "%.3f" % (direct / raw), ""),
        ("passkeyd in process, cached key, against the faster ceiling (%s)" % which, micro["passkeyd_cached_per_second"],
         "%.3f" % (micro["passkeyd_cached_per_second"] / ceiling), "target ≥ 0.92 for cold; hot for reference"),
        ("passkeyd in process, key built per call, against the faster ceiling (%s)" % which,
         micro["passkeyd_uncached_per_second"], "%.3f" % (micro["passkeyd_uncached_per_second"] / ceiling), "target ≥ 0.92"),
    ]
    routes_json = os.path.join(tmp, "key-routes.json")
    run([os.path.join(REL, "passkey-microbench"), "--key-routes", "--seconds", "0.1" if quick else "0.3",
         "--rounds", "3", "--key-memory", "20000", "--json", routes_json], stdout=subprocess.DEVNULL)
    routes = json.load(open(routes_json))
    best = {}
    for c in routes["ceilings"]:
        best[c["algorithm"]] = min(best.get(c["algorithm"], 1e18), c["hot_ns"])
    for r in routes["routes"]:
        if not r["in_use"] or r["route"].startswith("PublicKey.ec"):
            continue
        rows.append(("%s in process, key built per call: %s (route table, 1 core)" % (r["algorithm"], r["route"]),
                     1e9 / r["cold_ns"], "%.3f" % (best[r["algorithm"]] / r["cold_ns"]),
                     "of that algorithm's faster hot verify in the same run"))
    for r in routes["routes"]:
        if r["route"].startswith("PublicKey.ec"):
            rows.append(("%s in process, PublicKey.ec + verify per call (route table, 1 core)" % r["algorithm"],
                         1e9 / r["cold_ns"], "%.3f" % (best[r["algorithm"]] / r["cold_ns"]),
                         "of that algorithm's faster hot verify in the same run"))
    return rows, routes


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="about 4 minutes in all")
    ap.add_argument("--python", default=sys.executable, help="python of the venv with webauthn and matplotlib")
    ap.add_argument("--issued-only", action="store_true", help="section 7 alone (issued challenges: off / embedded / Redis)")
    ap.add_argument("--loadtool-only", action="store_true",
                    help="the load tool's rows alone (its CPU, open-loop latency at 70 %%, the 1,000,000-credential rotation)")
    args = ap.parse_args()
    secs = 5 if args.quick else 15
    rounds = 3 if args.quick else 5
    outdir = os.path.join(ROOT, "Bench", "results")
    os.makedirs(outdir, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="passkeyd-bench-")
    corpus = os.path.join(tmp, "corpus.jsonl")
    run([os.path.join(REL, "passkey-bench"), "--credentials", str(CREDENTIALS), "--save-corpus", corpus], stdout=subprocess.DEVNULL)
    if args.loadtool_only:
        lt = loadtool_runs(tmp, corpus, secs, args.quick)
        table = "\n".join(loadtool_table(lt, None, os.cpu_count()))
        print()
        print(table)
        with open(os.path.join(outdir, "loadtool.json"), "w") as f:
            json.dump({"when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "load_tool": lt}, f, indent=1)
        with open(os.path.join(outdir, "loadtool.md"), "w") as f:
            f.write(table + "\n")
        return
    if args.issued_only:
        issued = issued_challenges(tmp, corpus, secs)
        table = "\n".join(issued_table(issued, os.cpu_count()))
        print()
        print(table)
        with open(os.path.join(outdir, "issued.json"), "w") as f:
            json.dump({"when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "issued_challenges": issued}, f, indent=1)
        return

    micro_json = os.path.join(tmp, "micro.json")
    run([os.path.join(REL, "passkey-microbench"), "--seconds", "1", "--rounds", str(rounds), "--credentials", "64",
         "--json", micro_json], stdout=subprocess.DEVNULL)
    micro = json.load(open(micro_json))
    raw = micro["raw_openssl_verifies_per_second"]

    hostile_json = os.path.join(tmp, "hostile.json")
    run([os.path.join(REL, "passkey-microbench"), "--hostile", "--seconds", "0.3" if args.quick else "1",
         "--json", hostile_json], stdout=subprocess.DEVNULL)
    hostile = json.load(open(hostile_json))

    reg_json = os.path.join(tmp, "registrations.json")
    reg_corpus = os.path.join(tmp, "registrations.jsonl")
    run([os.path.join(REL, "passkey-microbench"), "--registrations", "--seconds", "0.5" if args.quick else "2",
         "--credentials", "8", "--json", reg_json, "--save-corpus", reg_corpus], stdout=subprocess.DEVNULL)
    registrations = json.load(open(reg_json))
    reg_peer = json.loads(subprocess.run([args.python, os.path.join(ROOT, "Bench", "peer", "py_webauthn_registration_rate.py"),
                                          reg_corpus, "--seconds", "0.5" if args.quick else "2"],
                                         check=True, capture_output=True, text=True).stdout)

    sock = os.path.join(tmp, "passkeyd.sock")
    e2e = []
    for batching in ("on", "off"):
        proc = start_daemon(sock, "--batching", batching)
        try:
            for batch, conns, depth in ((1, 2, 8), (32, 2, 4)):
                r = load(sock, proc.pid, os.path.join(tmp, "e2e-%s-%d.json" % (batching, batch)), corpus, secs, conns, depth, batch)
                r["server_batching"] = batching
                e2e.append(r)
        finally:
            stop_daemon(proc)

    share = server_share(tmp, corpus, secs)

    issued = issued_challenges(tmp, corpus, secs)

    loadtool = loadtool_runs(tmp, corpus, secs, args.quick)

    # gRPC vs frames, same daemon, same Python load loop (grpcio is in the project venv, not the bench one).
    project_python = subprocess.run(["bash", os.path.join(ROOT, "scripts", "python-venv.sh")], check=True,
                                    capture_output=True, text=True).stdout.strip()
    project_python = os.path.join(ROOT, project_python)  # printed relative to the repository
    grpc_port = free_port()
    proc = start_daemon(sock, "--grpc-port", str(grpc_port))
    grpc_rows = []
    try:
        for batch, depth in ((1, 64), (32, 8)):
            out = subprocess.run([project_python, os.path.join(ROOT, "Bench", "grpc_load.py"), corpus,
                                  "--grpc-port", str(grpc_port), "--unix-socket", sock, "--pid", str(proc.pid),
                                  "--seconds", str(3 if args.quick else 10), "--batch", str(batch), "--depth", str(depth)],
                                 check=True, capture_output=True, text=True).stdout
            grpc_rows.append(json.loads(out))
    finally:
        stop_daemon(proc)

    peer = json.loads(subprocess.run([args.python, os.path.join(ROOT, "Bench", "peer", "py_webauthn_rate.py"), corpus,
                                      "--seconds", "3"], check=True, capture_output=True, text=True).stdout)

    cores = os.cpu_count()
    raw_us = 1e6 / raw
    rows = [
        ("OpenSSL raw EVP_PKEY_verify, P-256, digest ready (1 core) — the ceiling", raw, "1.000", ""),
        ("passkeyd in process, full §7.2 ES256 verification, cached key (1 core)",
         micro["passkeyd_cached_per_second"], "%.3f" % (micro["passkeyd_cached_per_second"] / raw), ""),
        ("passkeyd in process, key built per call (1 core)",
         micro["passkeyd_uncached_per_second"], "%.3f" % (micro["passkeyd_uncached_per_second"] / raw), ""),
    ]
    cold_rows, key_routes = cold_key_rows(tmp, args.quick, micro)
    rows += cold_rows
    for r in e2e:
        label = "passkeyd over the Unix socket, %s, server batching %s (%d cores shared with the load tool)" % (
            "single RPCs" if r["batch"] == 1 else "batch RPCs of %d" % r["batch"], r["server_batching"], cores)
        cpu = r.get("server_cpu_ns_per_assertion")
        cpu_note = "server CPU %.1f µs/assertion = %.2f× raw verify time" % (cpu / 1000, cpu / 1000 / raw_us) if cpu else ""
        cpu_note += tool_cpu_note(r)
        rows.append((label, r["assertions_per_second"], "%.3f of %d× ceiling" % (r["assertions_per_second"] / (raw * cores), cores), cpu_note))
    rows.append(("py_webauthn %s verify_authentication_response, in process (1 core)" % peer["version"],
                 peer["verifications_per_second"], "%.3f" % (peer["verifications_per_second"] / raw),
                 "failures %d" % peer["failures"]))

    lines = ["| measurement | assertions/s | ratio to ceiling | note |", "|---|---:|---:|---|"]
    for label, rate, ratio, note in rows:
        lines.append("| %s | %d | %s | %s |" % (label, round(rate), ratio, note))
    best_single = max(r["assertions_per_second"] for r in e2e if r["batch"] == 1 and r["server_batching"] == "on")
    single_on = next(r for r in e2e if r["batch"] == 1 and r["server_batching"] == "on")
    per_core_e2e = 1e9 / single_on["server_cpu_ns_per_assertion"] if single_on.get("server_cpu_ns_per_assertion") else best_single / cores
    lines.append("")
    lines.append("passkeyd end to end per server core (single RPCs, from server CPU time): %d assertions/s = %.2f× py_webauthn in process"
                 % (per_core_e2e, per_core_e2e / peer["verifications_per_second"]))
    lines.append("")
    lines += server_share_lines(share, raw, peer["verifications_per_second"], cores)
    lines.append("")
    lines.append("| gRPC vs framed, same daemon and Python load loop (grpcio %s) | framed assertions/s | gRPC assertions/s | gRPC / framed | server CPU µs/assertion framed → gRPC |"
                 % (grpc_rows[0]["grpcio"] if grpc_rows else "?"))
    lines.append("|---|---:|---:|---:|---|")
    for g in grpc_rows:
        lines.append("| %s, %d in flight | %d | %d | %.2f | %.1f → %.1f (%.2f×) |" % (
            "single RPCs" if g["batch"] == 1 else "batch RPCs of %d" % g["batch"], g["depth"],
            g["framed"]["assertions_per_second"], g["grpc"]["assertions_per_second"], g["rate_ratio"],
            g["framed"]["server_cpu_ns_per_assertion"] / 1000, g["grpc"]["server_cpu_ns_per_assertion"] / 1000,
            g["server_cpu_ratio"]))
    lines.append("")
    lines.append("| hostile vs benign input of the same size | bytes | benign µs | hostile µs | ratio |")
    lines.append("|---|---:|---:|---:|---:|")
    for h in hostile:
        lines.append("| %s | %d | %.1f | %.1f | %.2f |" % (h["input"], h["bytes"], h["benign_ns"] / 1000, h["hostile_ns"] / 1000,
                                                        h["hostile_ns"] / h["benign_ns"]))
    lines.append("")
    lines += registration_table(registrations, reg_peer)
    lines.append("")
    lines += issued_table(issued, cores)
    lines.append("")
    lines += loadtool_table(loadtool, raw, cores)
    header = "passkeyd bench — %s, %s, %d cores, %s" % (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), platform.machine(), cores,
                                                      "quick" if args.quick else "full")
    table = "\n".join([header, ""] + lines)
    print()
    print(table)
    result = {"when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "cores": cores, "micro": micro, "end_to_end": e2e,
              "peer": peer, "hostile": hostile, "issued_challenges": issued,
              "registrations": registrations, "registration_peer": reg_peer, "grpc": grpc_rows, "server_share": share, "quick": args.quick,
              "key_routes": key_routes, "load_tool": loadtool}
    with open(os.path.join(outdir, "latest.json"), "w") as f:
        json.dump(result, f, indent=1)
    with open(os.path.join(outdir, "latest.md"), "w") as f:
        f.write(table + "\n")
    print("\nwritten: Bench/results/latest.json, Bench/results/latest.md")


if __name__ == "__main__":
    main()
