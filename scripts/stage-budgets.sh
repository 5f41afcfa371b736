#!/usr/bin/env bash
# The malloc budgets of the hot path (Bench/Stages): runs every stage benchmark in release mode and compares its malloc
# counts (all, OpenSSL's own, ours) with the committed Thresholds/*.p90.json, exactly (no tolerance). Any change fails:
# a regression must be fixed, an intended change re-committed with
#   cd Bench/Stages && swift package --allow-writing-to-package-directory benchmark thresholds update \
#       --metric mallocCountTotal --metric mallocsOwn --metric mallocsOpenSSL
# `make test` runs this; the first build of the Stages package (ordo-one/benchmark) takes a few minutes.
set -euo pipefail
cd "$(dirname "$0")/../Bench/Stages"
swift package benchmark thresholds check --no-progress "$@"
