import PasskeyCrypto
import PasskeyJSON
/// The ceremony type a `clientDataJSON` must carry.
enum CeremonyType {
    case create
    case get

    var expected: StaticString {
        switch self {
        case .create: "webauthn.create"
        case .get: "webauthn.get"
        }
    }
}

/// How a ceremony's challenge is checked.
enum ChallengeCheck {
    /// Equal (constant time) to the bytes the relying party sent and kept.
    case bytes(UnsafeRawBufferPointer)
    /// A token this service minted (`ChallengeKeyRing.mint`): checked against the keys, the ceremony, the relying
    /// party and the context at `nowMs`; the checked token comes back for the replay store.
    case issued(ChallengeKeyRing, context: UnsafeRawBufferPointer, nowMs: Int64, hasher: SignatureVerifier)
}

/// §7.1 steps 5–10 and §7.2 steps 8–14: parse `clientDataJSON` strictly and check type, challenge, origin and the
/// cross-origin policy. The reader is the caller's reusable scratch, so this allocates nothing unless it fails.
/// With an issued challenge, returns the token as checked.
@discardableResult
func verifyClientData(
    _ json: UnsafeRawBufferPointer, type: CeremonyType, challenge check: ChallengeCheck, relyingParty rp: RelyingParty,
    reader: inout JSONReader
) throws(WebAuthnError) -> IssuedChallenge? {
    // Step 5 / 8: the relying party runs UTF-8 decode on clientDataJSON, which strips one leading byte-order mark.
    // The hash (step 11 / 20) stays over the bytes as received: the caller hashes `json`, not what is parsed here.
    var text = json
    if text.count >= 3, text[0] == 0xEF, text[1] == 0xBB, text[2] == 0xBF {
        text = UnsafeRawBufferPointer(rebasing: text[3...])
    }
    let root: JSONReader.Value
    do {
        root = try reader.parse(text)
    } catch {
        throw WebAuthnError(.malformedClientData, "clientDataJSON is not strict JSON: \(error)")
    }
    guard reader.kind(root) == .object else {
        throw WebAuthnError(.malformedClientData, "clientDataJSON is not a JSON object")
    }

    // type
    guard let typeValue = reader.member(root, "type"), reader.kind(typeValue) == .string else {
        throw WebAuthnError(.malformedClientData, "clientDataJSON has no string member 'type'")
    }
    guard reader.string(typeValue, equals: type.expected) else {
        throw WebAuthnError(
            .clientDataTypeMismatch,
            "clientDataJSON.type is '\(clipped(reader.string(typeValue)))', expected '\(type.expected)'")
    }

    // challenge: base64url of the expected bytes, compared in constant time after a strict decode (no padding, canonical
    // trailing bits), so a second spelling of the same bytes is refused too.
    guard let challengeValue = reader.member(root, "challenge"), let encoded = reader.rawStringBytes(challengeValue) else {
        throw WebAuthnError(.malformedClientData, "clientDataJSON has no string member 'challenge'")
    }
    var issued: IssuedChallenge? = nil
    let outcome: Result<Void, WebAuthnError> = withUnsafeTemporaryAllocation(
        byteCount: max(1, Base64URL.maximumDecodedCount(encodedCount: encoded.count)), alignment: 1
    ) { tmp in
        // Escapes are never produced by a browser for base64url text; a challenge with escapes does not match.
        let decoded: UnsafeRawBufferPointer? =
            !reader.hasEscapes(challengeValue)
            ? Base64URL.decode(encoded, into: tmp).map { UnsafeRawBufferPointer(rebasing: tmp[0..<$0]) } : nil
        switch check {
        case let .bytes(challenge):
            guard let decoded, constantTimeEqual(decoded, challenge) else {
                return .failure(
                    WebAuthnError(
                        .challengeMismatch,
                        "clientDataJSON.challenge (\(encoded.count) characters) does not encode the expected \(challenge.count)-byte challenge"))
            }
            return .success(())
        case let .issued(keys, context, nowMs, hasher):
            guard let decoded else {
                return .failure(WebAuthnError(.challengeForged, "clientDataJSON.challenge is not canonical base64url"))
            }
            do throws(WebAuthnError) {
                issued = try keys.check(
                    token: decoded, ceremony: type == .create ? .registration : .authentication, rpID: rp.id, context: context,
                    nowMs: nowMs, hasher: hasher)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
    }
    try outcome.get()

    // origin: exact match against the allowed list.
    guard let originValue = reader.member(root, "origin"), reader.kind(originValue) == .string else {
        throw WebAuthnError(.malformedClientData, "clientDataJSON has no string member 'origin'")
    }
    // Messages name the value that failed, never the configured lists (a gateway may relay messages to clients).
    guard rp.originBytes.contains(where: { o in o.withUnsafeBytes { reader.string(originValue, equals: $0) } }) else {
        throw WebAuthnError(
            .originMismatch, "origin '\(clipped(reader.string(originValue)))' is not an allowed origin of this relying party")
    }

    // crossOrigin / topOrigin.
    var crossOrigin = false
    if let c = reader.member(root, "crossOrigin") {
        guard let b = reader.bool(c) else {
            throw WebAuthnError(.malformedClientData, "clientDataJSON.crossOrigin is not a boolean")
        }
        crossOrigin = b
    }
    let top = reader.member(root, "topOrigin")
    if let top, reader.kind(top) != .string {
        throw WebAuthnError(.malformedClientData, "clientDataJSON.topOrigin is not a string")
    }
    if crossOrigin || top != nil {
        guard rp.policy.allowCrossOrigin else {
            throw WebAuthnError(
                .crossOriginNotAllowed,
                "the ceremony ran in a cross-origin context (crossOrigin: \(crossOrigin)"
                    + (top.map { ", topOrigin: '\(clipped(reader.string($0)))'" } ?? "")
                    + ") and the policy does not allow cross-origin ceremonies")
        }
        if let top {
            guard rp.topOriginBytes.contains(where: { o in o.withUnsafeBytes { reader.string(top, equals: $0) } }) else {
                throw WebAuthnError(
                    .topOriginMismatch,
                    "topOrigin '\(clipped(reader.string(top)))' is not an allowed top origin of this relying party")
            }
        } else if !rp.topOriginBytes.isEmpty {
            // Fail closed: with a top-origin allow-list, a cross-origin ceremony must say which page embedded it.
            throw WebAuthnError(
                .topOriginMismatch,
                "crossOrigin is true but clientDataJSON has no topOrigin, and this relying party allows only listed top origins")
        }
    }
    return issued
}

/// Keeps attacker-chosen strings in messages short.
func clipped(_ s: String?, _ limit: Int = 120) -> String {
    guard let s else { return "" }
    return s.count <= limit ? s : String(s.prefix(limit)) + "…"
}

@_spi(Benchmarks)
extension WebAuthnVerifier {
    /// The assertion's client data checks alone (§7.2 steps 8–14), on the verifier's reusable reader: for the stage
    /// benchmarks (`Bench/Stages`), which time this step apart from the rest of the ceremony.
    public func verifyAssertionClientData(
        _ json: UnsafeRawBufferPointer, challenge: UnsafeRawBufferPointer, relyingParty rp: RelyingParty
    ) throws(WebAuthnError) {
        try verifyClientData(json, type: .get, challenge: .bytes(challenge), relyingParty: rp, reader: &clientDataReader)
    }
}
