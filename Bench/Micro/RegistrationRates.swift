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
}

@MainActor func runRegistrationRates(seconds: Double, perFormat: Int, jsonPath: String?, corpusPath: String?) throws {
    let rpId = "bench.passkeyd.test", origin = "https://bench.passkeyd.test"
    let challenge = SoftRandom.bytes(32)
    let now = WallClock.now()
    // One root per run; formats with a chain get an intermediate under it, as vendors do.
    let root = try TestCA(name: "passkeyd Bench Root", notBefore: now - 86_400, notAfter: now + 365 * 86_400)
    let intermediate = try root.intermediate(name: "passkeyd Bench Attestation CA")
    let aik = try PrivateKey.generateRSA(bits: 2048)
    let safetyNetSigner = try intermediate.issueSafetyNetSigner(algorithm: .rs256)

    func make(_ label: String, _ format: String, algorithm: COSEAlgorithm = .es256, _ attestation: () throws -> SoftAttestation)
        throws -> RegistrationCase
    {
        var regs: [SoftRegistration] = []
        for _ in 0..<perFormat {
            let auth = try SoftAuthenticator(algorithm: algorithm)
            regs.append(try auth.register(rpId: rpId, origin: origin, challenge: challenge, attestation: try attestation()))
        }
        return RegistrationCase(format: format, label: label, registrations: regs)
    }
    let cases: [RegistrationCase] = [
        try make("none", "none") { .none },
        try make("packed, self attestation", "packed") { .packedSelf },
        try make("packed, x5c (leaf + intermediate)", "packed") { .packed(try intermediate.issueAttestation()) },
        try make("fido-u2f", "fido-u2f") { .fidoU2F(try root.issueAttestation()) },
        try make("tpm (RSA-2048 credential, RS256 AIK + intermediate)", "tpm", algorithm: .rs256) {
            .tpm(issuer: intermediate, aik: aik, algorithm: .rs256)
        },
        try make("android-key (leaf + intermediate + root, as devices send it)", "android-key") {
            var o = AndroidKeyAttestationOptions()
            o.chainRoot = root.root
            return .androidKey(ca: intermediate, options: o)
        },
        try make("apple (leaf + intermediate)", "apple") { .apple(ca: intermediate) },
        try make("android-safetynet (JWS, RS256 leaf + intermediate)", "android-safetynet") {
            .safetyNet(signer: safetyNetSigner, options: SafetyNetAttestationOptions(timestampMs: now * 1000))
        },
    ]

    /// Mode verify with the run's root as the format's root: every chain is validated (and reported trusted).
    func relyingParty(_ format: String) throws -> RelyingParty {
        var p = Policy()
        p.attestation.formatRoots.replace(format, with: [root.root])
        return try RelyingParty(id: rpId, origins: [origin], policy: p)
    }

    print("registrations per second, in process, one thread (\(perFormat) distinct credentials per format, \(seconds) s each)")
    print("| format | registrations/s | attestation type | trusted |")
    print("|---|---:|---|---|")
    var w = JSONWriter()
    w.beginArray()
    for c in cases {
        let rp = try relyingParty(c.format)
        let verifier = WebAuthnVerifier(keyCache: KeyCache(capacity: 0))
        // One verification first: it must succeed (a benchmark of failures measures nothing).
        let first = try verifier.verifyRegistration(responseJSON: c.registrations[0].json, challenge: challenge, relyingParty: rp)
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + .milliseconds(Int(seconds * 1000))
        var n = 0
        repeat {
            for reg in c.registrations {
                _ = try verifier.verifyRegistration(responseJSON: reg.json, challenge: challenge, relyingParty: rp)
                n += 1
            }
        } while clock.now < deadline
        let elapsed = clock.now - start
        let rate = Double(n) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        print("| \(c.label) | \(Int(rate)) | \(first.attestationType.rawValue) | \(first.attestationTrusted) |")
        w.beginObject()
        w.member("format", c.format)
        w.member("label", c.label)
        w.member("registrations_per_second", Int64(rate.rounded()))
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

func writeText(_ text: String, to path: String) throws {
    guard let f = fopen(path, "w") else { throw SoftError("cannot write \(path)") }
    fputs(text, f)
    fclose(f)
}
