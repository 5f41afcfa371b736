import PasskeyCrypto

/// Which ceremony a challenge was issued for.
public enum CeremonyKind: UInt8, Sendable, Hashable {
    case registration = 0
    case authentication = 1
}

/// What an issued challenge is bound to: the ceremony, the relying party, a context the gateway chooses (a session
/// id, a user handle — any bytes, up to 1 KiB) and, for authentication, whether the login was usernameless (empty
/// allowCredentials: the response must then carry the user handle).
public struct ChallengeBinding: Sendable, Hashable {
    public var ceremony: CeremonyKind
    public var rpID: String
    public var context: [UInt8]
    public var discoverable: Bool

    public static let maximumContextBytes = 1024

    public init(ceremony: CeremonyKind, rpID: String, context: [UInt8], discoverable: Bool = false) {
        self.ceremony = ceremony
        self.rpID = rpID
        self.context = context
        self.discoverable = discoverable
    }
}

/// A challenge the service minted, as checked: what the replay store must record (once) and until when.
public struct IssuedChallenge: Sendable, Hashable {
    /// The token, exactly the challenge bytes the browser signs over.
    public let token: [UInt8]
    /// Unique per token: the key id and the nonce (what a replay record is keyed by).
    public let replayKey: [UInt8]
    /// Unix milliseconds after which the token is refused; a replay record must live at least until then.
    public let expiresAtMs: Int64
    public let ceremony: CeremonyKind
    public let discoverable: Bool
    /// The key that minted it.
    public let keyName: String
}

/// The token format, version 1 (66 bytes; base64url in `clientDataJSON.challenge`):
///
///     version(1)=0x01 | key id(4) | flags(1): bit0 authentication, bit1 discoverable | expires at, Unix ms(8, BE)
///     | binding tag(4) | nonce(16) | MAC(32)
///
/// binding tag = SHA-256(len(rpID) || rpID || context)[0..4]; MAC = HMAC-SHA-256(key, "passkeyd challenge v1" ||
/// every byte before it || SHA-256(len(rpID) || rpID || context)). The clear binding tag only lets a token bound to
/// another context be told apart from a forged one; the MAC covers the whole binding.
enum ChallengeToken {
    static let version: UInt8 = 0x01
    static let count = 66
    static let macOffset = 34
    static let label = Array("passkeyd challenge v1".utf8)

    static func sha256(_ b: [UInt8]) -> [UInt8] {
        let v = SignatureVerifier()
        var out = [UInt8](repeating: 0, count: 32)
        b.withUnsafeBytes { i in out.withUnsafeMutableBytes { v.sha256(i, into: $0) } }
        return out
    }

    /// SHA-256(len(rpID) as 2 bytes || rpID || context), with `hasher` (a per-thread SignatureVerifier).
    static func bindingHash(rpID: String, context: UnsafeRawBufferPointer, hasher: SignatureVerifier) -> [UInt8] {
        var prefix = Array(rpID.utf8)
        prefix.insert(contentsOf: [UInt8(truncatingIfNeeded: prefix.count >> 8), UInt8(truncatingIfNeeded: prefix.count)], at: 0)
        var out = [UInt8](repeating: 0, count: 32)
        prefix.withUnsafeBytes { p in out.withUnsafeMutableBytes { hasher.digest(.sha256, p, context, into: $0) } }
        return out
    }

    static func mac(key: ChallengeKey, body: UnsafeRawBufferPointer, bindingHash: [UInt8]) -> [UInt8] {
        var tag = [UInt8](repeating: 0, count: 32)
        label.withUnsafeBytes { l in
            bindingHash.withUnsafeBytes { b in
                tag.withUnsafeMutableBytes { key.mac.authenticate([l, body, b], into: $0) }
            }
        }
        return tag
    }
}

extension ChallengeKeyRing {
    /// Mints a challenge for `binding`, valid for `lifetimeMs` from `nowMs` (Unix milliseconds).
    public func mint(_ binding: ChallengeBinding, lifetimeMs: Int64, nowMs: Int64) throws(WebAuthnError) -> IssuedChallenge {
        guard binding.context.count <= ChallengeBinding.maximumContextBytes else {
            throw WebAuthnError(.fieldTooLarge, "challenge context is \(binding.context.count) bytes; at most \(ChallengeBinding.maximumContextBytes) are accepted")
        }
        guard (1...86_400_000).contains(lifetimeMs) else {
            throw WebAuthnError(.malformedRequest, "a challenge lifetime must be 1 ms to 24 h, not \(lifetimeMs) ms")
        }
        let hasher = SignatureVerifier()
        let bindingHash = binding.context.withUnsafeBytes { ChallengeToken.bindingHash(rpID: binding.rpID, context: $0, hasher: hasher) }
        let expires = nowMs + lifetimeMs
        var token: [UInt8] = [ChallengeToken.version]
        token += minting.identifier
        token.append((binding.ceremony == .authentication ? 1 : 0) | (binding.discoverable ? 2 : 0))
        for shift in stride(from: 56, through: 0, by: -8) { token.append(UInt8(truncatingIfNeeded: expires >> Int64(shift))) }
        token += bindingHash.prefix(4)
        token += SecureRandom.bytes(16)
        let mac = token.withUnsafeBytes { ChallengeToken.mac(key: minting, body: $0, bindingHash: bindingHash) }
        token += mac
        return IssuedChallenge(
            token: token, replayKey: Array(token[1..<5] + token[18..<34]), expiresAtMs: expires, ceremony: binding.ceremony,
            discoverable: binding.discoverable, keyName: minting.name)
    }

    /// Checks a token against what the verification expects (ceremony, RP ID, context) at `nowMs`: forged (unknown
    /// key, wrong length or version, bad MAC), bound to another RP or context, expired, or issued for the other
    /// ceremony — each its own code. Does not consume it: the caller records `replayKey` once the ceremony passed.
    func check(
        token: UnsafeRawBufferPointer, ceremony: CeremonyKind, rpID: String, context: UnsafeRawBufferPointer, nowMs: Int64,
        hasher: SignatureVerifier
    ) throws(WebAuthnError) -> IssuedChallenge {
        guard token.count == ChallengeToken.count, token[0] == ChallengeToken.version else {
            throw WebAuthnError(.challengeForged, "the challenge is not a token this service issued (\(token.count) bytes)")
        }
        guard let key = key(identifier: UnsafeRawBufferPointer(rebasing: token[1..<5])) else {
            throw WebAuthnError(.challengeForged, "the challenge names a key this service does not hold")
        }
        let bindingHash = ChallengeToken.bindingHash(rpID: rpID, context: context, hasher: hasher)
        let expected = ChallengeToken.mac(
            key: key, body: UnsafeRawBufferPointer(rebasing: token[0..<ChallengeToken.macOffset]), bindingHash: bindingHash)
        let macValid = expected.withUnsafeBytes {
            ConstantTime.equal($0, UnsafeRawBufferPointer(rebasing: token[ChallengeToken.macOffset...]))
        }
        guard macValid else {
            // The clear tag tells a token bound elsewhere (another context or relying party) from a forged one.
            if !bindingHash.prefix(4).elementsEqual(token[14..<18]) {
                throw WebAuthnError(.challengeRebound, "the challenge was issued for another context or relying party")
            }
            throw WebAuthnError(.challengeForged, "the challenge's authenticator does not verify")
        }
        var expires: Int64 = 0
        for i in 6..<14 { expires = expires << 8 | Int64(token[i]) }
        guard nowMs <= expires else {
            throw WebAuthnError(.challengeExpired, "the challenge expired \((nowMs - expires) / 1000) s ago")
        }
        let flags = token[5]
        let issuedFor: CeremonyKind = flags & 1 == 1 ? .authentication : .registration
        guard issuedFor == ceremony else {
            throw WebAuthnError(
                .challengeWrongCeremony,
                "the challenge was issued for \(issuedFor == .registration ? "a registration" : "an authentication"), not this \(ceremony == .registration ? "registration" : "authentication")")
        }
        return IssuedChallenge(
            token: Array(token), replayKey: Array(token[1..<5]) + Array(token[18..<34]), expiresAtMs: expires,
            ceremony: issuedFor, discoverable: flags & 2 == 2, keyName: key.name)
    }
}
