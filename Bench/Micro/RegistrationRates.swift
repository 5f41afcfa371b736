// Registrations per second per attestation format, in process, one thread: the same generated registrations that
// `Bench/peer/py_webauthn_registration_rate.py` verifies with py_webauthn (written with --save-corpus).
import PasskeyCOSE
import PasskeyCrypto
import PasskeyJSON
import PasskeySoftAuthenticator
import PasskeyWebAuthn

#if canImport(Glibc)
    import Glibc
#endif

struct RegistrationCase {
    let format: String
    let label: String
    let registrations: [SoftRegistration]
    /// The signatures the statement itself needs (the attestation signature; SafetyNet's JWS), not the chain's.
    let statementSignatures: Int
    /// The signature algorithm the row is measured in units of: the statement's (P-256 when it has none).
    let unit: VerifyUnit
    /// Whether one leaf certificate serves every credential (batch attestation) or each device has its own.
    let sharedLeaf: Bool
}

enum VerifyUnit: String { case p256 = "P-256", rsa2048 = "RSA-2048" }

/// Microseconds per signature verification of a short message with a ready key (SignatureVerifier, as the statement
/// checks use it), for the units of the registration table.
@MainActor func signatureVerifyMicroseconds(_ unit: VerifyUnit, seconds: Double) throws -> Double {
    let key: PrivateKey = try unit == .p256 ? .generateEC(.p256) : .generateRSA(bits: 2048)
    let scheme: SignatureScheme = unit == .p256 ? .ecdsa(.sha256) : .rsaPKCS1v15(.sha256)
    let message = SoftRandom.bytes(200)
    let signature = try key.sign(message, scheme: scheme)
    let publicKey = key.publicKey
    let verifier = SignatureVerifier()
    let clock = ContinuousClock()
    let start = clock.now
    let deadline = start + .milliseconds(Int(seconds * 1000))
    var n = 0
    repeat {
        for _ in 0..<64 {
            guard verifier.verify(signature: signature, message: message, key: publicKey, scheme: scheme) == .valid else {
                throw SoftError("\(unit.rawValue) verification failed")
            }
            n += 1
        }
    } while clock.now < deadline
    return microseconds(clock.now - start) / Double(n)
}

/// Microseconds per `Certificate(der:)` (d2i_X509 and passkeyd's checks) of a P-256 attestation leaf, uncached.
@MainActor func certificateParseMicroseconds(_ der: [UInt8], seconds: Double) throws -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    let deadline = start + .milliseconds(Int(seconds * 1000))
    var n = 0
    repeat {
        for _ in 0..<64 {
            _ = try Certificate(der: der)
            n += 1
        }
    } while clock.now < deadline
    return microseconds(clock.now - start) / Double(n)
}

func microseconds(_ d: Duration) -> Double {
    Double(d.components.seconds) * 1e6 + Double(d.components.attoseconds) * 1e-12
}

@MainActor func runRegistrationRates(seconds: Double, perFormat: Int, jsonPath: String?, corpusPath: String?) throws {
    let rpId = "bench.passkeyd.test", origin = "https://bench.passkeyd.test"
    let challenge = SoftRandom.bytes(32)
    let now = WallClock.now()
    // One root per run; formats with a chain get an intermediate under it, as vendors do.
    let root = try TestCA(name: "passkeyd Bench Root", notBefore: now - 86_400, notAfter: now + 365 * 86_400)
    let intermediate = try root.intermediate(name: "passkeyd Bench Attestation CA")
    // TPM manufacturers' CAs are RSA: the second tpm row has an RSA-2048 intermediate, so every signature is RSA.
    let rsaIntermediate = try root.intermediate(name: "passkeyd Bench TPM CA", key: try PrivateKey.generateRSA(bits: 2048))
    let aik = try PrivateKey.generateRSA(bits: 2048)
    let safetyNetSigner = try intermediate.issueSafetyNetSigner(algorithm: .rs256)
    let batch = try intermediate.issueAttestation()

    func make(
        _ label: String, _ format: String, algorithm: COSEAlgorithm = .es256, statementSignatures: Int = 1,
        unit: VerifyUnit = .p256, sharedLeaf: Bool = false, _ attestation: () throws -> SoftAttestation
    ) throws -> RegistrationCase {
        var regs: [SoftRegistration] = []
        for _ in 0..<perFormat {
            let auth = try SoftAuthenticator(algorithm: algorithm)
            regs.append(try auth.register(rpId: rpId, origin: origin, challenge: challenge, attestation: try attestation()))
        }
        return RegistrationCase(
            format: format, label: label, registrations: regs, statementSignatures: statementSignatures, unit: unit,
            sharedLeaf: sharedLeaf)
    }
    // REGISTRATION_ONLY=<label prefix> keeps only the matching rows (to profile one format at a time).
    let only = getenv("REGISTRATION_ONLY").map { String(cString: $0) }
    let allCases: [RegistrationCase] = [
        try make("none", "none", statementSignatures: 0) { .none },
        try make("packed, self attestation", "packed") { .packedSelf },
        try make("packed, x5c (leaf + intermediate)", "packed") { .packed(try intermediate.issueAttestation()) },
        try make("packed, x5c, one batch leaf for every credential (+ intermediate)", "packed", sharedLeaf: true) { .packed(batch) },
        try make("fido-u2f", "fido-u2f") { .fidoU2F(try root.issueAttestation()) },
        try make("tpm (RSA-2048 credential, RS256 AIK + intermediate)", "tpm", algorithm: .rs256, unit: .rsa2048) {
            .tpm(issuer: intermediate, aik: aik, algorithm: .rs256)
        },
        try make("tpm (RSA-2048 credential, RS256 AIK + RSA-2048 intermediate)", "tpm", algorithm: .rs256, unit: .rsa2048) {
            .tpm(issuer: rsaIntermediate, aik: aik, algorithm: .rs256)
        },
        try make("android-key (leaf + intermediate + root, as devices send it)", "android-key") {
            var o = AndroidKeyAttestationOptions()
            o.chainRoot = root.root
            return .androidKey(ca: intermediate, options: o)
        },
        try make("apple (leaf + intermediate)", "apple", statementSignatures: 0) { .apple(ca: intermediate) },
        try make("android-safetynet (JWS, RS256 leaf + intermediate)", "android-safetynet", unit: .rsa2048, sharedLeaf: true) {
            .safetyNet(signer: safetyNetSigner, options: SafetyNetAttestationOptions(timestampMs: now * 1000))
        },
    ]

    let cases = allCases.filter { only == nil || $0.label.hasPrefix(only!) }

    /// Mode verify with the run's root as the format's root: every chain is validated (and reported trusted).
    func relyingParty(_ format: String, _ cache: VerifiedChainCache) throws -> RelyingParty {
        var p = Policy()
        p.attestation.formatRoots.replace(format, with: [root.root], chainCache: cache)
        return try RelyingParty(id: rpId, origins: [origin], policy: p)
    }

    let verifyUs = [
        VerifyUnit.p256: try signatureVerifyMicroseconds(.p256, seconds: seconds),
        VerifyUnit.rsa2048: try signatureVerifyMicroseconds(.rsa2048, seconds: seconds),
    ]
    print("registrations per second, in process, one thread (\(perFormat) distinct credentials per format, \(seconds) s each)")
    let parseUs = try certificateParseMicroseconds(batch.chain[0].derBytes, seconds: seconds)
    print("signature verify, ready key: P-256 \(tenths(verifyUs[.p256]!)) µs, RSA-2048 \(tenths(verifyUs[.rsa2048]!)) µs; "
          + "parsing a P-256 leaf (d2i_X509, uncached) \(tenths(parseUs)) µs = \(tenths(parseUs / verifyUs[.p256]!)) P-256 verifies")
    print("cold: no cache helps; new leaf: intermediates cached (chain and parsed), every leaf new; same chain: everything cached")
    print("| format | registrations/s (default) | cold /s | new leaf /s | same chain /s | µs (default) | × verify (default) | signatures cold → new leaf → same chain | attestation type | trusted |")
    print("|---|---:|---:|---:|---:|---:|---:|---|---|---|")

    enum Mode { case cold, newLeaf, sameChain }
    /// One timed loop: registrations per second and certificate signatures per registration (the chain cache's
    /// counter). cold: no chain cache, the parsed-certificate cache emptied before each registration; new leaf: the
    /// intermediates' chain entry and parsed intermediates stay, the leaf is met as new (its path entry and parsed
    /// form dropped before each registration, as a per-device certificate is seen once); same chain: both caches warm.
    func measure(_ c: RegistrationCase, _ mode: Mode) throws -> (rate: Double, certificateSignatures: Double) {
        let cache = mode == .cold ? VerifiedChainCache(maximumEntries: 0) : VerifiedChainCache()
        let rp = try relyingParty(c.format, cache)
        let verifier = WebAuthnVerifier(keyCache: KeyCache(capacity: 0))
        let parsed = ParsedCertificateCache.shared
        // One verification of each first (it must succeed: a benchmark of failures measures nothing); it also warms
        // the caches and gives each registration's leaf.
        var leaves: [[UInt8]] = []
        for reg in c.registrations {
            let r = try verifier.verifyRegistration(responseJSON: reg.json, challenge: challenge, relyingParty: rp)
            leaves.append(r.attestationCertificates.first ?? [])
        }
        let before = cache.statistics
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + .milliseconds(Int(seconds * 1000))
        var n = 0
        repeat {
            for (reg, leaf) in zip(c.registrations, leaves) {
                switch mode {
                case .cold: parsed.removeAll()
                case .newLeaf:
                    cache.removePaths()
                    parsed.remove(der: leaf)
                case .sameChain: break
                }
                _ = try verifier.verifyRegistration(responseJSON: reg.json, challenge: challenge, relyingParty: rp)
                n += 1
            }
        } while clock.now < deadline
        let rate = Double(n) / (microseconds(clock.now - start) / 1e6)
        let signatures = cache.statistics.certificateSignatures - before.certificateSignatures
        return (rate, Double(signatures) / Double(n))
    }

    var w = JSONWriter()
    w.beginArray()
    for c in cases {
        let first = try WebAuthnVerifier(keyCache: KeyCache(capacity: 0)).verifyRegistration(
            responseJSON: c.registrations[0].json, challenge: challenge, relyingParty: try relyingParty(c.format, VerifiedChainCache()))
        let cold = try measure(c, .cold)
        let newLeaf = try measure(c, .newLeaf)
        let sameChain = try measure(c, .sameChain)
        // What a deployment meets: a batch leaf repeats (same chain); a per-device leaf is new under a known CA.
        let typical = c.sharedLeaf ? sameChain : newLeaf
        let us = 1e6 / typical.rate
        let unitUs = verifyUs[c.unit]!
        func signatures(_ m: (rate: Double, certificateSignatures: Double)) -> String {
            tenths(Double(c.statementSignatures) + m.certificateSignatures)
        }
        print("| \(c.label) | \(Int(typical.rate)) | \(Int(cold.rate)) | \(Int(newLeaf.rate)) | \(Int(sameChain.rate)) | \(tenths(us)) | "
              + "\(tenths(us / unitUs)) \(c.unit.rawValue) | \(signatures(cold)) → \(signatures(newLeaf)) → \(signatures(sameChain)) | "
              + "\(first.attestationType.rawValue) | \(first.attestationTrusted) |")
        w.beginObject()
        w.member("format", c.format)
        w.member("label", c.label)
        w.member("registrations_per_second", Int64(typical.rate.rounded()))
        w.member("cold_per_second", Int64(cold.rate.rounded()))
        w.member("new_leaf_per_second", Int64(newLeaf.rate.rounded()))
        w.member("same_chain_per_second", Int64(sameChain.rate.rounded()))
        w.member("shared_leaf", c.sharedLeaf)
        w.member("nanoseconds_per_registration", Int64((us * 1000).rounded()))
        w.member("unit", c.unit.rawValue)
        w.member("unit_verify_nanoseconds", Int64((unitUs * 1000).rounded()))
        w.member("p256_leaf_parse_nanoseconds", Int64((parseUs * 1000).rounded()))
        w.member("p256_verify_nanoseconds", Int64((verifyUs[.p256]! * 1000).rounded()))
        w.member("statement_signatures", Int64(c.statementSignatures))
        w.member("certificate_signatures_per_1000_cold", Int64((cold.certificateSignatures * 1000).rounded()))
        w.member("certificate_signatures_per_1000_new_leaf", Int64((newLeaf.certificateSignatures * 1000).rounded()))
        w.member("certificate_signatures_per_1000_same_chain", Int64((sameChain.certificateSignatures * 1000).rounded()))
        w.member("attestation_type", first.attestationType.rawValue)
        w.member("trusted", first.attestationTrusted)
        w.endObject()
    }
    w.endArray()
    if let jsonPath { try writeText(w.text + "\n", to: jsonPath) }
    if let corpusPath {
        // JSON lines: {label, fmt, rp_id, origin, challenge_b64url, root_pem, response}. SafetyNet registrations are
        // made again now: py_webauthn allows a timestamp only 10 s old (passkeyd's default window is 60 s).
        var lines = ""
        let fresh = WallClock.now()
        for c in cases {
            let regs = try c.format == "android-safetynet"
                ? (0..<c.registrations.count).map { _ in
                    try SoftAuthenticator(algorithm: .es256).register(
                        rpId: rpId, origin: origin, challenge: challenge,
                        attestation: .safetyNet(signer: safetyNetSigner, options: SafetyNetAttestationOptions(timestampMs: fresh * 1000)))
                }
                : c.registrations
            for reg in regs {
                var l = JSONWriter()
                l.beginObject()
                l.member("label", c.label)
                l.member("fmt", c.format)
                l.member("rp_id", rpId)
                l.member("origin", origin)
                l.member("challenge_b64url", Base64URL.encode(challenge))
                l.member("root_pem", root.root.pemString)
                l.member("response", String(decoding: reg.json, as: UTF8.self))
                l.endObject()
                lines += l.text + "\n"
            }
        }
        try writeText(lines, to: corpusPath)
    }
}

func tenths(_ x: Double) -> String {
    let t = Int((x * 10).rounded())
    return "\(t / 10).\(abs(t % 10))"
}

func writeText(_ text: String, to path: String) throws {
    guard let f = fopen(path, "w") else { throw SoftError("cannot write \(path)") }
    fputs(text, f)
    fclose(f)
}
