"""The docs a new user follows: the generated settings table is current and every relative link resolves."""
import os
import re
import subprocess
import sys

from conftest import BIN, ROOT

PAGES = ["README.md", "SECURITY.md", "Protos/README.md", "clients/python/README.md"] + [
    os.path.join("docs", p) for p in sorted(os.listdir(os.path.join(ROOT, "docs"))) if p.endswith(".md")
]


def test_configuration_table_is_generated_from_the_daemon():
    r = subprocess.run([sys.executable, os.path.join(ROOT, "docs", "gen_configuration.py"), "--passkeyd", BIN, "--check"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    page = open(os.path.join(ROOT, "docs", "configuration.md"), encoding="utf-8").read()
    help_text = subprocess.run([BIN, "serve", "--help"], capture_output=True, text=True, timeout=60, check=True).stdout
    flags = re.findall(r"^  (--[a-z0-9-]+) ", help_text, re.M)
    assert len(flags) > 20 and all(f"`{f}`" in page for f in flags)


def test_relative_links_resolve():
    broken = []
    for page in PAGES:
        path = os.path.join(ROOT, page)
        text = open(path, encoding="utf-8").read()
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            file = target.split("#", 1)[0]
            if not os.path.exists(os.path.normpath(os.path.join(os.path.dirname(path), file))):
                broken.append(f"{page}: {target}")
    assert not broken, broken
