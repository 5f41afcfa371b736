"""The Unix socket's file mode and peer-UID allow-list against a client that really runs as another UID."""
import os
import subprocess

import pytest
from conftest import frame, pb, read_response

OTHER_UID = 65534  # nobody

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run a client as another UID")

# Runs as OTHER_UID with the system Python and no imports beyond the standard library; prints what happened.
CLIENT = r"""
import errno, socket, sys
req = bytes.fromhex(sys.argv[2])
s = socket.socket(socket.AF_UNIX)
s.settimeout(10)
try:
    s.connect(sys.argv[1])
except PermissionError:
    print("EACCES"); sys.exit(0)
except OSError as e:
    print("CONNECT-ERROR", errno.errorcode.get(e.errno, e.errno)); sys.exit(0)
try:
    s.sendall(req)
    data = s.recv(65536)
except OSError as e:
    print("CLOSED", errno.errorcode.get(e.errno, e.errno)); sys.exit(0)
print("SERVED" if data else "CLOSED")
"""


def as_other_uid(sock_path):
    req = frame(pb.Request(id=1, health=pb.HealthRequest())).hex()
    p = subprocess.run(["/usr/bin/python3", "-I", "-c", CLIENT, sock_path, req], user=OTHER_UID, group=OTHER_UID,
                       extra_groups=[], capture_output=True, text=True, timeout=30)
    assert p.returncode == 0, p.stderr
    return p.stdout.strip()


@pytest.fixture
def reachable(daemon_factory):
    """Starts daemons whose directory the other UID may traverse (mkdtemp makes it 0700)."""
    def make(*args):
        d = daemon_factory(*args)
        os.chmod(d.dir, 0o711)
        return d
    return make


def served_as_root(d):
    s = d.connect()
    s.sendall(frame(pb.Request(id=2, health=pb.HealthRequest())))
    return read_response(s).id == 2


def test_mode_600_keeps_other_uid_out(reachable):
    d = reachable("--socket-mode", "600")
    assert as_other_uid(d.sock) == "EACCES"
    assert served_as_root(d)


def test_allow_list_refuses_other_uid(reachable):
    d = reachable("--socket-mode", "666", "--allowed-peer-uids", str(os.getuid()))
    assert as_other_uid(d.sock).startswith("CLOSED")  # connected (mode 666), closed unanswered (not allowed)
    assert served_as_root(d)
    assert "refused a Unix-socket peer" in d.logs() and "uid=%d" % OTHER_UID in d.logs()


def test_allow_list_admits_other_uid(reachable):
    d = reachable("--socket-mode", "666", "--allowed-peer-uids", "%d,%d" % (os.getuid(), OTHER_UID))
    assert as_other_uid(d.sock) == "SERVED"
    assert served_as_root(d)
