# passkeyd — the two commands a new machine needs are `make bench` (the main job for now: build in release mode and
# print ES256 assertion verifications per second next to OpenSSL's raw verify rate) and `make test` (the whole suite).
SWIFT ?= swift

.PHONY: deps build release test bench run clean protos

deps:
	@bash scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# Everything CI runs: Swift unit and integration tests, generated-code freshness, the daemon end to end (pytest over
# real sockets), the Python client against the daemon, and the C client against the daemon.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test
	bash scripts/regen-protos.sh --check
	$$(bash scripts/python-venv.sh) -m pytest -q Tests/e2e clients/python/tests
	bash clients/c/test.sh

# Regenerate the committed protobuf code (C and Python) from Protos/.
protos: deps
	bash scripts/regen-protos.sh

# In-process micro-benchmark: ES256 assertions/s vs OpenSSL's raw P-256 verify rate, same keys, same run.
bench: release
	$(SWIFT) run -c release passkey-microbench

# Verify one request file: make run REQUEST=path/to/request.json
run: release
	$(SWIFT) run -c release passkeyd verify $(REQUEST)

clean:
	rm -rf .build
