#!/usr/bin/env python3
"""Every target declares exactly the modules its sources import.

`swift build --explicit-target-dependency-import-check error` (which `make test` also passes) only refuses an import of
a target that is not among the importer's dependencies at all, direct or transitive, and looks at no product of another
package. This check is the strict half: each module a target's sources import (this package's targets and other
packages' products alike) must be one of its direct dependencies, and each direct dependency must be imported by at
least one of its sources. The toolchain's own modules (Glibc, Foundation, Testing, ...) are not declared and not
checked.

Usage: scripts/check-imports.py [PACKAGE_DIR]   (default: the repository root). Exit 1 with one line per problem.
"""
import json
import os
import re
import subprocess
import sys

# Modules of the toolchain and the platform, never declared in Package.swift.
SYSTEM = {
    "Swift", "_Concurrency", "_StringProcessing", "Glibc", "Musl", "Darwin", "WinSDK", "Android", "Bionic",
    "Foundation", "FoundationEssentials", "FoundationNetworking", "Dispatch", "Synchronization", "Testing",
    "XCTest", "os", "CoreFoundation", "PackageDescription",
}

IMPORT = re.compile(
    r"^\s*(?:@[A-Za-z_]+(?:\([^)]*\))?\s+)*"
    r"(?:(?:public|package|internal|fileprivate|private)\s+)?"
    r"import\s+(?:(?:typealias|struct|class|enum|protocol|let|var|func)\s+)?"
    r"([A-Za-z_][A-Za-z0-9_]*)"
)


def imports_of(path):
    found = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = IMPORT.match(line)
            if m:
                found.add(m.group(1))
    return found


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
    described = subprocess.run(
        [os.environ.get("SWIFT", "swift"), "package", "--package-path", root, "describe", "--type", "json"],
        check=True, capture_output=True, text=True,
    ).stdout
    package = json.loads(described[described.index("{"):])
    problems = []
    checked = 0
    for target in package["targets"]:
        if target["module_type"] not in ("SwiftTarget",):
            continue  # C and system-library targets import nothing Swift
        declared = set(target.get("target_dependencies", [])) | set(target.get("product_dependencies", []))
        imported = set()
        base = os.path.join(root, target["path"])
        for source in target["sources"]:
            if source.endswith(".swift"):
                imported |= imports_of(os.path.join(base, source))
        imported -= SYSTEM
        checked += 1
        for name in sorted(imported - declared):
            problems.append(f"{target['name']}: imports {name} without declaring it")
        for name in sorted(declared - imported):
            problems.append(f"{target['name']}: declares {name} but no source imports it")
    for p in problems:
        print(p)
    if problems:
        print(f"check-imports: {len(problems)} problem(s) in {checked} targets (Package.swift must list exactly what each target imports)")
        return 1
    print(f"check-imports: {checked} targets import exactly what they declare")
    return 0


if __name__ == "__main__":
    sys.exit(main())
