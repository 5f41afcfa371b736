import Foundation
import PasskeyCrypto
import PasskeyJSON
import PasskeySoftAuthenticator
import PasskeyWebAuthn
import Testing

/// The published vendor roots (DefaultRoots.swift) and how they reach the trust decision.
@Suite struct AttestationRootsTests {
    let challenge = SoftRandom.bytes(32)
    static let time: Int64 = 1_700_000_000

    /// (format, SHA-256 fingerprint) rows of the table in docs/attestation-roots.md.
    static func documentedFingerprints() throws -> [String: Set<String>] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/attestation-roots.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        var out: [String: Set<String>] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " `")) }
            guard cells.count >= 4 else { continue }
            let format = cells[0]
            guard let fingerprint = cells.first(where: { $0.count == 95 && $0.filter { $0 == ":" }.count == 31 }) else { continue }
            out[format, default: []].insert(fingerprint)
        }
        return out
    }

    static func fingerprint(_ c: Certificate) -> String {
        Hex.encode(sha256(c.derBytes)).uppercased().enumerated().map { ($0.offset > 0 && $0.offset % 2 == 0 ? ":" : "") + String($0.element) }
            .joined()
    }

    @Test func everyEmbeddedRootParsesAndMatchesItsDocumentedFingerprint() throws {
        let documented = try Self.documentedFingerprints()
        #expect(Set(documented.keys) == ["apple", "android-key", "android-safetynet"])
        let defaults = FormatRoots.defaults
        #expect(Set(defaults.byFormat.keys) == Set(documented.keys))
        for (format, fingerprints) in documented {
            let certificates = defaults.anchors(for: format)?.certificates ?? []
            #expect(Set(certificates.map(Self.fingerprint)) == fingerprints, "\(format)")
            for c in certificates {
                #expect(c.basicConstraintsCA == true, "\(format) root is a CA")
                #expect(c.subjectAttributes.map(\.1) == c.issuerAttributes.map(\.1), "\(format) root is self-issued")
            }
        }
        // The roots are the vendors' (spot checks of the subjects).
        #expect(defaults.anchors(for: "apple")?.certificates.first?.subjectCommonName == "Apple WebAuthn Root CA")
        #expect(defaults.anchors(for: "android-safetynet")?.certificates.first?.subjectCommonName == "GTS Root R1")
        #expect(defaults.anchors(for: "android-key")?.certificates.contains { $0.subjectCommonName == "Key Attestation CA1" } == true)
    }

    /// Each format's generated registration, chained to `root`.
    func registration(_ format: String, root: TestCA) throws -> SoftRegistration {
        let auth = try KeyBank.authenticator(.es256)
        let attestation: SoftAttestation
        switch format {
        case "apple": attestation = .apple(ca: try root.intermediate(name: "anon CA"))
        case "android-key": attestation = .androidKey(ca: try root.intermediate(name: "android intermediate"))
        default:
            let signer = try root.intermediate(name: "GTS-like").issueSafetyNetSigner()
            attestation = .safetyNet(signer: signer, options: SafetyNetAttestationOptions(timestampMs: Self.time * 1000))
        }
        return try auth.register(rpId: rpId, origin: origin, challenge: challenge, attestation: attestation)
    }

    func verify(_ reg: SoftRegistration, _ configure: (inout Policy) -> Void) throws -> VerifiedRegistration {
        let rp = try makeRP {
            $0.verificationTime = Self.time
            configure(&$0)
        }
        return try WebAuthnVerifier().verifyRegistration(responseJSON: reg.json, challenge: challenge, relyingParty: rp)
    }

    @Test(arguments: ["apple", "android-key", "android-safetynet"])
    func defaultRootsDecideTrust(_ format: String) throws {
        let reg = try registration(format, root: SharedCA.ca)
        // Mode verify (the default without anchors): verified, not trusted by the vendor roots.
        let r = try verify(reg) { _ in }
        #expect(r.format == format)
        #expect(r.attestationTrusted == false)
        // Mode trusted with the defaults: a chain to a test root is refused.
        expectCode(.untrustedAttestation) { _ = try verify(reg) { $0.attestation.mode = .trusted } }
        // The format's roots replaced by the test root: trusted, from the format roots.
        let trusted = try verify(reg) {
            $0.attestation.mode = .trusted
            $0.attestation.formatRoots.replace(format, with: [SharedCA.ca.root])
        }
        #expect(trusted.attestationTrusted)
        #expect(trusted.attestationTrustSource == "format_roots")
        // Another format's roots do not anchor this one.
        let other = format == "apple" ? "android-key" : "apple"
        expectCode(.untrustedAttestation) {
            _ = try verify(reg) {
                $0.attestation.mode = .trusted
                $0.attestation.formatRoots.replace(other, with: [SharedCA.ca.root])
            }
        }
        // Extending the defaults with the test root also works; another test root does not.
        #expect(try verify(reg) {
            $0.attestation.mode = .trusted
            $0.attestation.formatRoots.extend(format, with: [SharedCA.ca.root])
        }.attestationTrusted)
        expectCode(.untrustedAttestation) {
            _ = try verify(reg) {
                $0.attestation.mode = .trusted
                $0.attestation.formatRoots.replace(format, with: [SharedCA.otherCA.root])
            }
        }
    }
}
