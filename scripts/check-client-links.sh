#!/usr/bin/env bash
# The clients link the protocol, not the engine: the built `passkeyctl` (PasskeyClient + PasskeyRequests +
# PasskeyProtocol + PasskeyJSON) must not load libcrypto and must hold no symbol of an engine module. Part of
# `make test`, after the build (so this only links what is already compiled: a few seconds).
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}

"$SWIFT" build --product passkeyctl --explicit-target-dependency-import-check error >/dev/null
binary="$("$SWIFT" build --show-bin-path)/passkeyctl"
[ -x "$binary" ] || { echo "check-client-links: $binary was not built" >&2; exit 1; }

symbols=$(mktemp)
trap 'rm -f "$symbols"' EXIT
nm "$binary" >"$symbols"

status=0
if ldd "$binary" | grep -E 'lib(crypto|ssl)\.so'; then
    echo "check-client-links: passkeyctl loads OpenSSL (above); a client must not link the engine" >&2
    status=1
fi
# Swift mangles a module name as its length and the name ($s15PasskeyWebAuthn...); the engine's modules, the server
# codec and swift-crypto's BoringSSL must not appear. The protocol and the client must (or this check proves nothing).
engine='15PasskeyWebAuthn|11PasskeyCOSE|13PasskeyCrypto|12PasskeyMLDSA|15PasskeyMetadata|22PasskeyAttestationData|11PasskeyCBOR|11PasskeyWire|CCryptoBoringSSL|EVP_'
if grep -E "$engine" "$symbols" >/dev/null; then
    grep -E "$engine" "$symbols" | head -5 || true
    echo "check-client-links: passkeyctl holds engine symbols (first ones above)" >&2
    status=1
fi
for module in 15PasskeyProtocol 13PasskeyClient; do
    if ! grep -q "$module" "$symbols"; then
        echo "check-client-links: no $module symbol in passkeyctl: the check looks at the wrong binary" >&2
        status=1
    fi
done
[ "$status" = 0 ] && echo "check-client-links: passkeyctl links the protocol and the client only (no libcrypto, no engine module)"
exit "$status"
