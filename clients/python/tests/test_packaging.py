"""The package as a user gets it: `pip install ./clients/python` works and imports on its own, with its type
information, and the package passes `mypy --strict`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]  # clients/python


def test_pip_install_and_import_from_the_install():
    with tempfile.TemporaryDirectory(prefix="pkd-pip-") as tmp:
        src = Path(tmp) / "src"
        # A copy, so that the build leaves nothing in the source tree.
        shutil.copytree(PACKAGE, src, ignore=shutil.ignore_patterns(".venv", "__pycache__", "tests", ".mypy_cache",
                                                                    "build", "*.egg-info"))
        target = Path(tmp) / "site"
        # The venv's setuptools builds it (no download); --no-deps: protobuf comes from the venv.
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                        "--target", str(target), str(src)], check=True, timeout=300)
        installed = target / "passkeyd_client"
        assert {"py.typed", "passkeyd_pb2.pyi", "results.py", "client.py", "aio.py"} <= {p.name for p in installed.iterdir()}
        probe = ("import passkeyd_client, sys; "
                 "assert passkeyd_client.__file__.startswith(sys.argv[1]), passkeyd_client.__file__; "
                 "print(passkeyd_client.ErrorCode.from_number(64), passkeyd_client.Client.__name__)")
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        out = subprocess.run([sys.executable, "-c", probe, str(target)], cwd=tmp, env={**env, "PYTHONPATH": str(target)},
                             check=True, capture_output=True, text=True, timeout=60).stdout
        assert out.split() == ["bad_signature", "Client"]


def test_mypy_strict():
    with tempfile.TemporaryDirectory(prefix="pkd-mypy-") as cache:  # nothing left in the tree
        r = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--cache-dir", cache, "-p", "passkeyd_client"],
                           cwd=PACKAGE, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
