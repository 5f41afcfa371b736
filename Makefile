# passkeyd — the two commands a new machine needs are `make bench` (the main job for now: build in release mode and
# print ES256 assertion verifications per second next to OpenSSL's raw verify rate) and `make test` (the whole suite).
SWIFT ?= swift

.PHONY: deps build release test bench run clean

deps:
	@bash scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test

# In-process micro-benchmark: ES256 assertions/s vs OpenSSL's raw P-256 verify rate, same keys, same run.
bench: release
	$(SWIFT) run -c release passkey-microbench

# Verify one request file: make run REQUEST=path/to/request.json
run: release
	$(SWIFT) run -c release passkeyd verify $(REQUEST)

clean:
	rm -rf .build
