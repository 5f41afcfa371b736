#!/usr/bin/env python3
"""Soak test for passkeyd: sustained, mixed load for --minutes, a report line every 5 s, and a memory verdict.

Every 5 s it prints the requests answered per second, their p99 latency and the daemon's RSS (from /proc). After a
warm-up it remembers the RSS; at the end it exits 1 if the RSS grew by more than --max-growth-mb since then (a leak),
or if any request was unanswered or answered wrongly. Loopback only; every loop is bounded in time.

    python3 Bench/soak.py --minutes 2                      # starts its own daemon (release build if present)
    python3 Bench/soak.py --minutes 10 --bin .build/release/passkeyd
    python3 Bench/soak.py --attach /tmp/passkeyd.sock --pid 1234   # an already running daemon

The load, per worker process (--workers): one connection pipelining --window requests, mostly single assertions
over --keys distinct credentials (so the key cache works), with batches of 32, failing signatures, health checks,
and a fresh connection every --reconnect-every requests (connection churn).
"""
import argparse
import json
import multiprocessing as mp
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "clients", "python"))
sys.path.insert(0, os.path.join(ROOT, "Tests", "e2e"))


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        return int(f.read().split("VmRSS:")[1].split()[0])


def worker(sock_path, window, keys, reconnect_every, stop_at, out, seed):
    from conftest import Authenticator, auth_request, frame, pb, read_response  # noqa: E402
    import random
    rnd = random.Random(seed)
    challenge = os.urandom(32)
    auths = [Authenticator() for _ in range(keys)]
    # Pre-built requests (signing in Python is the slow part): singles, failing ones and batches.
    singles = [auth_request(a, challenge, 0, count=1) for a in auths for _ in range(2)]
    failing = []
    for a in auths[:8]:
        r = auth_request(a, challenge, 0, count=1)
        sig = r.verify_authentication.fields.signature
        r.verify_authentication.fields.signature = sig[:-1] + bytes([sig[-1] ^ 1])
        failing.append(r)
    batches = [pb.Request(verify_authentication_batch=pb.VerifyAuthenticationBatchRequest(
        items=[rnd.choice(singles).verify_authentication for _ in range(32)])) for _ in range(8)]
    health = pb.Request(health=pb.HealthRequest())

    def connect():
        s = socket.socket(socket.AF_UNIX)
        s.settimeout(30)
        s.connect(sock_path)
        return s

    def take(r, pending):
        t, want = pending.pop(r.id)
        good = {
            "ok": lambda: r.verify_authentication.error_code == pb.ERROR_CODE_NONE,
            "fail": lambda: r.verify_authentication.error_code in (pb.BAD_SIGNATURE, pb.MALFORMED_SIGNATURE),
            "batch": lambda: len(r.verify_authentication_batch.results) == 32
            and all(i.error_code == pb.ERROR_CODE_NONE for i in r.verify_authentication_batch.results),
            "health": lambda: r.health.status == pb.HealthResponse.SERVING,
        }[want]()
        return good, 1, time.perf_counter() - t

    s = connect()
    rid = 0
    pending = {}
    done = 0
    errors = 0
    lat = []
    last_report = time.time()
    since_reconnect = 0
    while True:
        now = time.time()
        finishing = now >= stop_at
        if not finishing:
            while len(pending) < window:
                rid += 1
                x = rnd.random()
                if x < 0.80:
                    req, want = rnd.choice(singles), "ok"
                elif x < 0.90:
                    req, want = rnd.choice(failing), "fail"
                elif x < 0.97:
                    req, want = rnd.choice(batches), "batch"
                else:
                    req, want = health, "health"
                req.id = rid
                s.sendall(frame(req))
                pending[rid] = (time.perf_counter(), want)
        if not pending:
            break
        ok, n, l = take(read_response(s), pending)
        done += n
        errors += 0 if ok else 1
        lat.append(l)
        since_reconnect += 1
        if since_reconnect >= reconnect_every and not finishing:
            # Connection churn: drain this connection (every answer checked), then open a fresh one.
            while pending:
                ok, n, l = take(read_response(s), pending)
                done += n
                errors += 0 if ok else 1
                lat.append(l)
            s.close()
            s = connect()
            since_reconnect = 0
        if now - last_report >= 1.0:
            out.put((done, errors, lat))
            done, errors, lat = 0, 0, []
            last_report = now
        if time.time() > stop_at + 60:
            errors += len(pending)  # unanswered
            break
    out.put((done, errors, lat))
    out.put(None)


def p99(xs):
    if not xs:
        return 0.0
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * 0.99))]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=2.0)
    ap.add_argument("--bin", help="passkeyd binary (default: .build/release, .build-harden/release, then debug)")
    ap.add_argument("--attach", metavar="SOCKET", help="use a running daemon at this Unix socket (needs --pid)")
    ap.add_argument("--pid", type=int, help="the running daemon's pid (with --attach)")
    ap.add_argument("--workers", type=int, default=max(1, min(4, os.cpu_count() or 1)))
    ap.add_argument("--window", type=int, default=32, help="requests in flight per worker")
    ap.add_argument("--keys", type=int, default=64, help="distinct credentials per worker")
    ap.add_argument("--reconnect-every", type=int, default=5000)
    ap.add_argument("--warmup-seconds", type=float, default=None, help="default: 25%% of the run, at most 60 s")
    ap.add_argument("--max-growth-mb", type=float, default=32.0, help="RSS growth after warm-up that fails the run")
    ap.add_argument("--interval", type=float, default=5.0)
    args = ap.parse_args()

    duration = args.minutes * 60
    warmup = args.warmup_seconds if args.warmup_seconds is not None else min(60.0, duration * 0.25)
    daemon = None
    if args.attach:
        if not args.pid:
            ap.error("--attach needs --pid (for the RSS)")
        sock_path, pid = args.attach, args.pid
    else:
        binary = args.bin
        if not binary:
            for cand in (".build/release/passkeyd", ".build-harden/release/passkeyd", ".build/debug/passkeyd",
                         ".build-harden/debug/passkeyd"):
                if os.path.exists(os.path.join(ROOT, cand)):
                    binary = os.path.join(ROOT, cand)
                    break
        if not binary:
            sys.exit("no passkeyd binary found; build one or pass --bin")
        tmp = tempfile.mkdtemp(prefix="pkd-soak-")
        sock_path = os.path.join(tmp, "passkeyd.sock")
        log = open(os.path.join(tmp, "passkeyd.log"), "w")
        daemon = subprocess.Popen([binary, "serve", "--unix-socket", sock_path], stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + 15
        while not os.path.exists(sock_path):
            if time.time() > deadline or daemon.poll() is not None:
                daemon.kill()
                sys.exit("passkeyd did not start; see " + log.name)
            time.sleep(0.05)
        pid = daemon.pid
        print("daemon: %s (pid %d, log %s)" % (binary, pid, log.name), flush=True)

    start = time.time()
    stop_at = start + duration
    out = mp.Queue()
    procs = [mp.Process(target=worker, args=(sock_path, args.window, args.keys, args.reconnect_every, stop_at, out, i),
                        daemon=True) for i in range(args.workers)]
    for p in procs:
        p.start()
    print("soak: %.1f min, %d workers x window %d, warm-up %.0f s, RSS growth limit %.0f MiB"
          % (args.minutes, args.workers, args.window, warmup, args.max_growth_mb), flush=True)
    print("%8s %12s %10s %10s" % ("t (s)", "req/s", "p99 (ms)", "RSS (MiB)"), flush=True)
    finished = 0
    total = total_errors = 0
    win_done, win_lat = 0, []
    win_start = time.time()
    samples = []
    baseline = None
    all_p99 = []
    while finished < len(procs):
        try:
            m = out.get(timeout=1.0)
        except Exception:
            m = False
        if m is None:
            finished += 1
        elif m:
            d, e, lat = m
            total += d
            total_errors += e
            win_done += d
            win_lat.extend(lat)
        now = time.time()
        if now - win_start >= args.interval or finished == len(procs):
            try:
                rss = rss_kb(pid) / 1024
            except (FileNotFoundError, ProcessLookupError):
                print("the daemon died", flush=True)
                sys.exit(1)
            rate = win_done / max(1e-9, now - win_start)
            q = p99(win_lat) * 1000
            t = now - start
            samples.append((t, rss))
            if t >= warmup and baseline is None:
                baseline = rss
            if baseline is not None and rate > 0:
                all_p99.append(q)
            print("%8.0f %12.0f %10.2f %10.1f" % (t, rate, q, rss), flush=True)
            win_done, win_lat, win_start = 0, [], now
        if now > stop_at + 120:
            print("workers did not finish", flush=True)
            break
    for p in procs:
        p.join(10)
    elapsed = time.time() - start
    final = samples[-1][1] if samples else 0.0
    peak_after = max((r for t, r in samples if t >= warmup), default=final)
    growth = (peak_after - baseline) if baseline is not None else 0.0
    summary = {"seconds": round(elapsed, 1), "requests": total, "errors": total_errors,
               "mean_rps": round(total / max(elapsed, 1e-9)), "worst_window_p99_ms": round(max(all_p99, default=0), 2),
               "rss_after_warmup_mib": baseline, "rss_peak_after_warmup_mib": peak_after, "rss_final_mib": final,
               "rss_growth_mib": round(growth, 1), "max_growth_mib": args.max_growth_mb}
    print("summary " + json.dumps(summary), flush=True)
    if daemon is not None:
        daemon.send_signal(signal.SIGTERM)
        try:
            daemon.wait(15)
        except subprocess.TimeoutExpired:
            daemon.kill()
    ok = baseline is not None and growth <= args.max_growth_mb and total_errors == 0 and total > 0
    if not ok:
        print("FAIL: " + ("RSS grew %.1f MiB after warm-up (limit %.0f)" % (growth, args.max_growth_mb)
                          if growth > args.max_growth_mb else "%d errors / %d requests" % (total_errors, total)), flush=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
