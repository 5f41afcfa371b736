import PasskeyCOSE
import PasskeyCrypto
import PasskeySoftAuthenticator
import PasskeyWebAuthn

/// The inputs every stage runs on: one ES256 credential, its registration (packed attestation with a certificate) and
/// one assertion, made once before anything is timed. The byte arrays live as long as the process, so the raw views
/// handed to the stages stay valid.
final class Fixtures {
    static let rpID = "bench.passkeyd.test"
    static let origin = "https://bench.passkeyd.test"

    let relyingParty: RelyingParty
    let challenge: [UInt8]
    let cosePublicKey: [UInt8]
    let assertion: SoftAssertion
    let registration: SoftRegistration
    /// A key built from `cosePublicKey`, for the signature stage.
    let publicKey: PublicKey

    init() throws {
        relyingParty = try RelyingParty(id: Self.rpID, origins: [Self.origin])
        challenge = SoftRandom.bytes(32)
        let authenticator = try SoftAuthenticator(algorithm: .es256, signCount: 41)
        let ca = try TestCA()
        let identity = try ca.issueAttestation(algorithm: .es256)
        registration = try authenticator.register(
            rpId: Self.rpID, origin: Self.origin, challenge: challenge, attestation: .packed(identity))
        assertion = try authenticator.assert(rpId: Self.rpID, origin: Self.origin, challenge: challenge)
        cosePublicKey = authenticator.cosePublicKey
        publicKey = authenticator.privateKey.publicKey
    }
}

/// Keeps a `[UInt8]`'s bytes at a stable address for the life of the process (views into arrays are only valid inside
/// `withUnsafeBytes`; the stages want plain views they can reuse in a loop).
struct Pinned {
    let view: UnsafeRawBufferPointer

    init(_ bytes: [UInt8]) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, bytes.count), alignment: 16)
        bytes.withUnsafeBytes { buffer.copyMemory(from: $0) }
        view = UnsafeRawBufferPointer(rebasing: buffer[0..<bytes.count])
    }
}
