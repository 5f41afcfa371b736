import PasskeyCOSE
import PasskeyWebAuthn
import PasskeyWire

/// The executor `passkeyd verify` and `passkeyd options` run their one request on: the server's, with default
/// limits, ephemeral challenge keys and no named relying parties.
enum InProcessExecutor {
    /// `attestation` is what relying parties start from (a verify request's `attestation_roots`, which the wire
    /// does not carry).
    static func make(attestation: AttestationPolicy = AttestationPolicy()) -> WireExecutor {
        let registry = RelyingPartyRegistry(inlineCapacity: 1)
        registry.replaceAttestationDefaults(attestation)
        return WireExecutor(
            registry: registry, keyCache: KeyCache(capacity: 16),
            description: ServerDescription(version: PasskeydVersion.string, limits: WireLimits()))
    }
}
