import PasskeyCrypto
import PasskeyJSON

/// A challenge-signing key: a name (what configuration and logs call it) and a secret of at least 32 bytes. Tokens
/// carry a 4-byte identifier derived from the name, so rotating keys keeps old tokens checkable.
public struct ChallengeKey: Sendable {
    public let name: String
    let identifier: [UInt8]
    let mac: HMACKey

    public init(name: String, secret: [UInt8]) throws(WebAuthnError) {
        guard !name.isEmpty, name.utf8.count <= 64 else {
            throw WebAuthnError(.malformedRequest, "a challenge key needs a name of 1–64 bytes")
        }
        do throws(CryptoError) {
            mac = try HMACKey(secret)
        } catch {
            throw WebAuthnError(.malformedRequest, "challenge key '\(name)': \(error.message)")
        }
        self.name = name
        identifier = Array(ChallengeToken.sha256(Array(name.utf8)).prefix(4))
    }
}

/// The keys that check issued challenges, and the one that mints new ones. Several keys are accepted at once so a
/// rotation keeps tokens minted with the previous key valid until they expire; the set is replaced whole on reload.
public final class ChallengeKeyRing: Sendable {
    public let minting: ChallengeKey
    let byIdentifier: [[UInt8]: ChallengeKey]

    /// `minting` names one of `keys`. Two names whose identifiers collide are refused (rename one).
    public init(keys: [ChallengeKey], minting name: String) throws(WebAuthnError) {
        guard let m = keys.first(where: { $0.name == name }) else {
            throw WebAuthnError(.malformedRequest, "the minting challenge key '\(name)' is not among the configured keys")
        }
        var map: [[UInt8]: ChallengeKey] = [:]
        for k in keys {
            guard map[k.identifier] == nil else {
                throw WebAuthnError(.malformedRequest, "challenge keys '\(map[k.identifier]!.name)' and '\(k.name)' share an identifier; rename one")
            }
            map[k.identifier] = k
        }
        minting = m
        byIdentifier = map
    }

    /// A ring of one random key, made at start when none is configured: tokens it mints are valid for this
    /// process only (lost on restart, not shared with other replicas).
    public static func ephemeral() -> ChallengeKeyRing {
        let key = try! ChallengeKey(name: "ephemeral-" + Hex.encode(SecureRandom.bytes(6)), secret: SecureRandom.bytes(32))
        return try! ChallengeKeyRing(keys: [key], minting: key.name)
    }

    public var names: [String] { byIdentifier.values.map(\.name).sorted() }

    func key(identifier: UnsafeRawBufferPointer) -> ChallengeKey? { byIdentifier[Array(identifier)] }
}
