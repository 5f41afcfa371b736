import PasskeyCOSE
import PasskeyCrypto
import PasskeySoftAuthenticator
import PasskeyWebAuthn
import Synchronization
import Testing

let rpId = "example.com"
let origin = "https://example.com"

func makeRP(_ configure: (inout Policy) -> Void = { _ in }, origins: [String] = [origin]) throws -> RelyingParty {
    var policy = Policy()
    configure(&policy)
    return try RelyingParty(id: rpId, origins: origins, policy: policy)
}

/// Every algorithm with its default-policy standing.
let allAlgorithms: [COSEAlgorithm] = [
    .es256, .es384, .es512, .es256k, .esp256, .esp384, .esp512, .eddsa, .ed25519, .ed448, .ps256, .ps384, .ps512,
    .rs256, .rs384, .rs512, .mldsa65, .mldsa87,
]

/// One key per algorithm, generated once per test process (RSA generation is slow); each call gets a fresh credential id.
enum KeyBank {
    private static let keys = Mutex<[COSEAlgorithm: SoftAuthenticator.CredentialPrivateKey]>([:])

    static func authenticator(_ alg: COSEAlgorithm) throws -> SoftAuthenticator {
        let key = try keys.withLock { (keys) throws -> SoftAuthenticator.CredentialPrivateKey in
            if let k = keys[alg] { return k }
            let k = try SoftAuthenticator(algorithm: alg).credentialPrivateKey
            keys[alg] = k
            return k
        }
        if let k = key.mldsaKey {
            return SoftAuthenticator(algorithm: alg, mldsaKey: k, credentialID: SoftRandom.bytes(16), aaguid: SoftRandom.bytes(16))
        }
        return SoftAuthenticator(algorithm: alg, privateKey: key.openSSLKey!, credentialID: SoftRandom.bytes(16), aaguid: SoftRandom.bytes(16))
    }
}

/// Expects `body` to throw a WebAuthnError with `code`, and returns it for further checks.
@discardableResult
func expectCode(
    _ code: WebAuthnError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) -> WebAuthnError? {
    do {
        try body()
        Issue.record("expected \(code.rawValue), but the ceremony was accepted", sourceLocation: sourceLocation)
        return nil
    } catch let e as WebAuthnError {
        #expect(e.code == code, "expected \(code.rawValue), got \(e)", sourceLocation: sourceLocation)
        #expect(!e.message.isEmpty, sourceLocation: sourceLocation)
        return e
    } catch {
        Issue.record("unexpected error type \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// Verifies a SoftAssertion through the raw-bytes API.
func verify(
    _ a: SoftAssertion, _ auth: SoftAuthenticator, challenge: [UInt8], rp: RelyingParty, storedCount: UInt32 = 0,
    storedBE: Bool? = nil, verifier: WebAuthnVerifier = WebAuthnVerifier()
) throws -> VerifiedAuthentication {
    try verifier.verifyAuthentication(
        credentialID: a.credentialID, authenticatorData: a.authenticatorData, clientDataJSON: a.clientDataJSON,
        signature: a.signature, challenge: challenge,
        credential: StoredCredential(id: auth.credentialID, publicKey: auth.cosePublicKey, signCount: storedCount, backupEligible: storedBE),
        relyingParty: rp)
}

/// Re-signs an assertion after its authenticator data or client data were changed, so only the intended check fails.
func resign(_ a: SoftAssertion, _ auth: SoftAuthenticator) throws -> SoftAssertion {
    var b = a
    b.signature = try auth.sign(a.authenticatorData + sha256(a.clientDataJSON))
    return b
}

func sha256(_ b: [UInt8]) -> [UInt8] {
    let v = SignatureVerifier()
    var out = [UInt8](repeating: 0, count: 32)
    b.withUnsafeBytes { i in out.withUnsafeMutableBytes { v.sha256(i, into: $0) } }
    return out
}
