# passkeyd — the two commands a new machine needs: `make run` (the daemon on its default Unix socket) and `make test`
# (the whole suite, what CI runs). `make bench` prints in-process ES256 verifications/s next to OpenSSL's raw rate.
SWIFT ?= swift
# Every build refuses a target that imports a module outside its dependencies (scripts/check-imports.py, run by
# `make test`, holds each target to its direct ones).
SWIFT_BUILD_FLAGS ?= --explicit-target-dependency-import-check error

.PHONY: deps build release test bench bench-full run example clean protos

deps:
	@bash scripts/install-deps.sh

build: deps
	$(SWIFT) build $(SWIFT_BUILD_FLAGS)

release: deps
	$(SWIFT) build -c release $(SWIFT_BUILD_FLAGS)

# Everything CI runs: Swift unit and integration tests, declared dependencies (each target imports exactly what it
# declares; the clients link no engine module and no libcrypto), generated-code freshness, the hot path's malloc budgets
# (Bench/Stages thresholds, exact), every libFuzzer target for 45 s
# (scripts/fuzz.sh long HOURS for soaks), the daemon end to end (pytest over real sockets: limits, faults, signals,
# TLS), a real browser (headless chromium, its virtual authenticator) through the example gateway to the daemon, the
# Python client against the daemon, and the C client against the daemon.
test: deps
	$(SWIFT) build --build-tests $(SWIFT_BUILD_FLAGS)
	$(SWIFT) test $(SWIFT_BUILD_FLAGS)
	python3 scripts/check-imports.py
	SWIFT=$(SWIFT) bash scripts/check-client-links.sh
	bash scripts/regen-protos.sh --check
	bash scripts/fuzz.sh ci
	bash scripts/stage-budgets.sh
	$$(bash scripts/python-venv.sh) -m pytest -q Tests/e2e
	REQUIRE_BROWSER_TESTS=1 $$(bash scripts/python-venv.sh) -m pytest -q Tests/browser
	$$(bash scripts/python-venv.sh) -m pytest -q clients/python/tests
	bash clients/c/test.sh

# Regenerate the committed protobuf code (C, Python and its grpcio stubs, Swift for the gRPC listener) from Protos/.
protos: deps
	bash scripts/regen-protos.sh

# The published figures side by side, same keys and assertions, one run (about 4 minutes after the release builds; the
# first run also makes the 1,000,000-credential corpus, ~40 s, kept in Bench/.cache): OpenSSL's raw verify rate, cold
# and cached keys per algorithm, passkeyd over the Unix socket (single/batch RPCs, batching on/off, server share,
# 1 vs 2 threads), the load tool's own CPU, open loop at 70 %, a million credentials, registrations, py_webauthn.
bench: deps
	bash Bench/bench.sh --quick

bench-full: deps
	bash Bench/bench.sh

# The daemon on its default Unix socket (/run/passkeyd/passkeyd.sock, or $XDG_RUNTIME_DIR/passkeyd.sock); extra
# options through ARGS, e.g. make run ARGS="--tcp-port 7800 --metrics-port 9464".
run: release
	mkdir -p /run/passkeyd 2>/dev/null || true
	.build/release/passkeyd serve $(ARGS)

# The example gateway (examples/gateway-python) with the daemon, on http://localhost:8000 (PORT=N for another).
example: deps
	bash examples/gateway-python/run.sh

clean:
	rm -rf .build
