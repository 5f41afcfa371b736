"""gRPC next to the framed protocol, one daemon, the same corpus, the same Python load loop: a stock grpcio client
(futures on one channel) and raw pipelined frames on the Unix socket, each keeping DEPTH requests in flight for
SECONDS. Prints JSON: assertions/s and the daemon's CPU per assertion for each, and their ratios.

The loop is Python, so on a small machine it can be what limits the rate; the server CPU per assertion (from
/proc/PID/stat) is the figure that compares the two transports' cost in the server whatever the client's speed.

    python Bench/grpc_load.py CORPUS --grpc-port P --unix-socket S --pid PID [--seconds 5] [--depth 64] [--batch 1]
"""
import argparse
import base64
import json
import os
import socket
import struct
import sys
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "clients", "python"))
import grpc  # noqa: E402
from passkeyd_client import passkeyd_pb2 as pb  # noqa: E402
from passkeyd_client import passkeyd_pb2_grpc  # noqa: E402


def b64(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def corpus_items(path):
    with open(path) as f:
        lines = [json.loads(x) for x in f if x.strip()]
    head, rows = lines[0], lines[1:]
    pol = pb.RelyingPartyPolicy(rp_id=head["rp_id"], origins=[head["origin"]])
    challenge = b64(head["challenge_b64url"])
    return [pb.VerifyAuthenticationRequest(
        policy=pol, challenge=challenge, credential_public_key=b64(r["public_key_cose"]),
        fields=pb.AssertionFields(credential_id=b64(r["credential_id"]), authenticator_data=b64(r["authenticator_data"]),
                                  client_data_json=b64(r["client_data_json"]), signature=b64(r["signature"])))
        for r in rows]


def cpu_ns(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1_000_000_000 // os.sysconf("SC_CLK_TCK")


def measure(pid, seconds, body):
    """Runs body(deadline) -> (assertions, failures); returns the rates and the server's CPU per assertion."""
    before, t0 = cpu_ns(pid), time.monotonic()
    assertions, failures = body(t0 + seconds)
    elapsed, used = time.monotonic() - t0, cpu_ns(pid) - before
    return {"assertions_per_second": assertions / elapsed, "assertions": assertions, "failures": failures,
            "server_cpu_ns_per_assertion": used / max(1, assertions)}


def grpc_load(port, requests, batch, depth):
    stub = passkeyd_pb2_grpc.PasskeydStub(grpc.insecure_channel("127.0.0.1:%d" % port))
    call = stub.VerifyAuthenticationBatch if batch > 1 else stub.VerifyAuthentication
    stub.Health(pb.HealthRequest(), timeout=10)

    def body(deadline):
        # Re-entrant: a call that fails at once runs its callback inside `send`, under the lock.
        lock, done = threading.RLock(), threading.Event()
        state = {"next": 0, "out": 0, "assertions": 0, "failures": 0}

        def send():
            i = state["next"]
            state["next"] += 1
            state["out"] += 1
            call.future(requests[i % len(requests)], timeout=30).add_done_callback(finished)

        def finished(f):
            with lock:
                state["out"] -= 1
                try:
                    r = f.result()
                    results = r.results if batch > 1 else [r]
                    state["assertions"] += len(results)
                    state["failures"] += sum(1 for x in results if x.error_code != pb.ERROR_CODE_NONE)
                except grpc.RpcError as e:
                    state["failures"] += batch
                    state["last_error"] = "%s: %s" % (e.code(), e.details())
                if time.monotonic() < deadline:
                    send()
                elif state["out"] == 0:
                    done.set()

        with lock:
            for _ in range(depth):
                send()
        if not done.wait(deadline - time.monotonic() + 60):
            raise SystemExit("grpc_load: calls still outstanding a minute after the run")
        if state.get("last_error"):
            print("grpc_load: %d failed assertions, last: %s" % (state["failures"], state["last_error"]), file=sys.stderr)
        return state["assertions"], state["failures"]
    return body


def framed_load(sock_path, requests, batch, depth):
    def frame(i, req):
        r = pb.Request(id=i + 1)
        if batch > 1:
            r.verify_authentication_batch.CopyFrom(req)
        else:
            r.verify_authentication.CopyFrom(req)
        body = r.SerializeToString()
        return struct.pack(">BI", 0, len(body)) + body

    encoded = [frame(i, r) for i, r in enumerate(requests)]

    def body(deadline):
        s = socket.socket(socket.AF_UNIX)
        s.settimeout(60)
        s.connect(sock_path)
        buf = b""
        sent = out = assertions = failures = 0
        for _ in range(depth):
            s.sendall(encoded[sent % len(encoded)])
            sent += 1
            out += 1
        while out:
            chunk = s.recv(1 << 16)
            if not chunk:
                raise SystemExit("grpc_load: the daemon closed the connection with %d requests outstanding" % out)
            buf += chunk
            more = []
            while len(buf) >= 5:
                n = struct.unpack(">I", buf[1:5])[0]
                if len(buf) < 5 + n:
                    break
                r = pb.Response()
                r.ParseFromString(buf[5:5 + n])
                buf = buf[5 + n:]
                out -= 1
                results = r.verify_authentication_batch.results if batch > 1 else [r.verify_authentication]
                assertions += len(results)
                failures += sum(1 for x in results if x.error_code != pb.ERROR_CODE_NONE) + (batch if r.HasField("error") else 0)
                if time.monotonic() < deadline:
                    more.append(encoded[sent % len(encoded)])
                    sent += 1
                    out += 1
            if more:
                s.sendall(b"".join(more))
        s.close()
        return assertions, failures
    return body


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--grpc-port", type=int, required=True)
    ap.add_argument("--unix-socket", required=True)
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--depth", type=int, default=64)
    ap.add_argument("--batch", type=int, default=1)
    args = ap.parse_args()
    items = corpus_items(args.corpus)
    if args.batch > 1:
        requests = [pb.VerifyAuthenticationBatchRequest(items=[items[(i + j) % len(items)] for j in range(args.batch)])
                    for i in range(0, len(items), args.batch)]
    else:
        requests = items
    framed = measure(args.pid, args.seconds, framed_load(args.unix_socket, requests, args.batch, args.depth))
    over_grpc = measure(args.pid, args.seconds, grpc_load(args.grpc_port, requests, args.batch, args.depth))
    print(json.dumps({
        "batch": args.batch, "depth": args.depth, "seconds": args.seconds, "grpcio": grpc.__version__,
        "framed": framed, "grpc": over_grpc,
        "rate_ratio": over_grpc["assertions_per_second"] / framed["assertions_per_second"],
        "server_cpu_ratio": over_grpc["server_cpu_ns_per_assertion"] / framed["server_cpu_ns_per_assertion"],
    }))


if __name__ == "__main__":
    main()
