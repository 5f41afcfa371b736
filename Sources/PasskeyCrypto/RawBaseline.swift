internal import CPasskeyOpenSSL

/// The ceiling the engine is measured against: OpenSSL's bare verify rate.
public enum RawBaseline {
    /// openssl-speed-style: for each (key, digest, signature) triple, EVP_PKEY_verify with an
    /// EVP_PKEY_CTX created and verify-initialised once per key beforehand; loops until
    /// `seconds` elapsed; returns verifies per second (single thread) and how many verifies
    /// did not return 1.
    public static func ecdsaVerifyRate(keys: [PublicKey], digests: [[UInt8]], signatures: [[UInt8]],
                                       seconds: Double) -> (perSecond: Double, failures: Int) {
        precondition(!keys.isEmpty && keys.count == digests.count && keys.count == signatures.count,
                     "keys, digests and signatures must be non-empty and of equal length")
        let contexts = keys.map { key -> OpaquePointer? in
            guard let ctx = EVP_PKEY_CTX_new_from_pkey(nil, key.pkey, nil) else { return nil }
            guard EVP_PKEY_verify_init(ctx) == 1 else {
                EVP_PKEY_CTX_free(ctx)
                return nil
            }
            return ctx
        }
        defer {
            for ctx in contexts { EVP_PKEY_CTX_free(ctx) }
            OpenSSLErrors.clear()
        }
        let inputs = zip(digests, signatures).map { RawInput(digest: $0, signature: $1) }
        defer { for input in inputs { input.deallocate() } }

        let clock = ContinuousClock()
        let start = clock.now
        let budget = Duration.nanoseconds(Int64(max(seconds, 0) * 1e9))
        var count = 0
        var failures = 0
        var elapsed = Duration.zero
        repeat {
            for i in inputs.indices {
                guard let ctx = contexts[i] else {
                    failures += 1
                    continue
                }
                let input = inputs[i]
                if EVP_PKEY_verify(ctx, UnsafeRawBufferPointer(input.signature).bytePointer, input.signature.count,
                                   UnsafeRawBufferPointer(input.digest).bytePointer, input.digest.count) != 1 {
                    failures += 1
                }
            }
            count += inputs.count
            elapsed = start.duration(to: clock.now)
        } while elapsed < budget
        let secondsElapsed = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return (secondsElapsed > 0 ? Double(count) / secondsElapsed : 0, failures)
    }
}

extension RawBaseline {
    /// The second ceiling: `ECDSA_verify` on each key's EC_KEY (what `SignatureVerifier` calls for ECDSA; the default
    /// provider runs the same function under `EVP_PKEY_verify`, so this is that rate without the provider dispatch).
    /// Same inputs and loop as `ecdsaVerifyRate`; keys that are not EC count as failures.
    public static func ecdsaDirectVerifyRate(keys: [PublicKey], digests: [[UInt8]], signatures: [[UInt8]],
                                             seconds: Double) -> (perSecond: Double, failures: Int) {
        precondition(!keys.isEmpty && keys.count == digests.count && keys.count == signatures.count,
                     "keys, digests and signatures must be non-empty and of equal length")
        let inputs = zip(digests, signatures).map { RawInput(digest: $0, signature: $1) }
        defer {
            for input in inputs { input.deallocate() }
            OpenSSLErrors.clear()
        }
        let clock = ContinuousClock()
        let start = clock.now
        let budget = Duration.nanoseconds(Int64(max(seconds, 0) * 1e9))
        var count = 0
        var failures = 0
        var elapsed = Duration.zero
        repeat {
            for i in inputs.indices {
                guard let ecKey = keys[i].ecKey else {
                    failures += 1
                    continue
                }
                let input = inputs[i]
                if passkey_ecdsa_verify(UnsafeRawBufferPointer(input.digest).bytePointer, input.digest.count,
                                        UnsafeRawBufferPointer(input.signature).bytePointer, input.signature.count, ecKey) != 1 {
                    failures += 1
                }
            }
            count += inputs.count
            elapsed = start.duration(to: clock.now)
        } while elapsed < budget
        let secondsElapsed = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return (secondsElapsed > 0 ? Double(count) / secondsElapsed : 0, failures)
    }
}

/// One input copied into its own heap block, so the timed loop touches only raw memory.
private struct RawInput {
    let digest: UnsafeMutableRawBufferPointer
    let signature: UnsafeMutableRawBufferPointer

    init(digest: [UInt8], signature: [UInt8]) {
        self.digest = Self.copy(digest)
        self.signature = Self.copy(signature)
    }

    func deallocate() {
        digest.deallocate()
        signature.deallocate()
    }

    private static func copy(_ bytes: [UInt8]) -> UnsafeMutableRawBufferPointer {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 16)
        bytes.withUnsafeBytes { buffer.copyMemory(from: $0) }
        return buffer
    }
}
