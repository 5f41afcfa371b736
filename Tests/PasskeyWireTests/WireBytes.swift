// Protobuf wire format written by hand, for requests no client would build: the tests need exact control of every
// field (empty ones, repeated ones, unknown ones, wrong wire types).
import PasskeyProtocol
import PasskeyCOSE
import PasskeySoftAuthenticator
import PasskeyWire

struct WireBytes {
    var bytes: [UInt8] = []

    init() {}
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    static func varint(_ v: UInt64) -> [UInt8] {
        var v = v
        var out: [UInt8] = []
        while v >= 0x80 {
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
        return out
    }

    static func key(_ field: Int, _ wireType: UInt64) -> [UInt8] { varint(UInt64(field) << 3 | wireType) }

    mutating func varint(_ field: Int, _ v: UInt64) {
        bytes += Self.key(field, 0) + Self.varint(v)
    }

    mutating func zigzag(_ field: Int, _ v: Int64) {
        varint(field, UInt64(bitPattern: (v << 1) ^ (v >> 63)))
    }

    mutating func bytes(_ field: Int, _ b: [UInt8]) {
        bytes += Self.key(field, 2) + Self.varint(UInt64(b.count)) + b
    }

    mutating func string(_ field: Int, _ s: String) { bytes(field, Array(s.utf8)) }

    mutating func message(_ field: Int, _ m: WireBytes) { bytes(field, m.bytes) }

    func withPayload<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes(body)
    }
}

/// Field numbers of passkeyd.v1 (Protos/passkeyd/v1/passkeyd.proto).
enum F {
    // Request
    static let id = 1, deadline = 2
    static let verifyRegistration = 10, verifyAuthentication = 11, authBatch = 12, regBatch = 13, health = 14, serverInfo = 15
    // batches
    static let items = 1
    // VerifyAuthenticationRequest
    static let policy = 1, challenge = 2, publicKey = 3, signCount = 4, storedBE = 5, storedID = 6, fields = 7, responseJSON = 8
    // VerifyRegistrationRequest
    static let regChallenge = 2, regFields = 3, regResponseJSON = 4
    // RelyingPartyPolicy
    static let relyingParty = 1, rpID = 2, origins = 3, android = 4, algorithms = 7, topOrigins = 9, trustAnchors = 14
    // AssertionFields / AttestationFields
    static let credentialID = 1, authenticatorData = 2, clientDataJSON = 3, signature = 4
    static let attClientDataJSON = 2, attestationObject = 3, transports = 4
}

enum Requests {
    static let rpID = "example.com"
    static let origin = "https://example.com"

    static func request(id: UInt64, method: Int, _ body: WireBytes, deadline: UInt64? = nil) -> WireBytes {
        var r = WireBytes()
        r.varint(F.id, id)
        if let deadline { r.varint(F.deadline, deadline) }
        r.message(method, body)
        return r
    }

    static func inlinePolicy() -> WireBytes {
        var p = WireBytes()
        p.string(F.rpID, rpID)
        p.string(F.origins, origin)
        return p
    }

    /// A real assertion item with raw fields and an inline policy.
    /// `expected`: the challenge the item claims (a different one than signed makes it fail).
    static func assertionItem(_ auth: SoftAuthenticator, challenge: [UInt8], json: Bool = false, expected: [UInt8]? = nil) throws -> WireBytes {
        let a = try auth.assert(rpId: rpID, origin: origin, challenge: challenge)
        var item = WireBytes()
        item.message(F.policy, inlinePolicy())
        item.bytes(F.challenge, expected ?? challenge)
        item.bytes(F.publicKey, auth.cosePublicKey)
        if json {
            item.bytes(F.responseJSON, a.json)
        } else {
            var f = WireBytes()
            f.bytes(F.credentialID, a.credentialID)
            f.bytes(F.authenticatorData, a.authenticatorData)
            f.bytes(F.clientDataJSON, a.clientDataJSON)
            f.bytes(F.signature, a.signature)
            item.message(F.fields, f)
        }
        return item
    }

    /// A registration item with raw fields and an inline policy.
    static func registrationItem(_ r: SoftRegistration, challenge: [UInt8], policy: WireBytes = inlinePolicy()) -> WireBytes {
        var item = WireBytes()
        item.message(F.policy, policy)
        item.bytes(F.regChallenge, challenge)
        var f = WireBytes()
        f.bytes(F.credentialID, r.credentialID)
        f.bytes(F.attClientDataJSON, r.clientDataJSON)
        f.bytes(F.attestationObject, r.attestationObject)
        for t in r.transports { f.string(F.transports, t) }
        item.message(F.regFields, f)
        return item
    }

    /// A batch of as many copies of the items (cycled) as fit in `maxPayload`, at most `maxItems`.
    static func batch(id: UInt64, method: Int, items: [WireBytes], maxPayload: Int = 1 << 20, maxItems: Int = 4096) -> (WireBytes, Int) {
        var body = WireBytes()
        var n = 0
        while n < maxItems {
            let item = items[n % items.count]
            let next = body.bytes.count + 1 + WireBytes.varint(UInt64(item.bytes.count)).count + item.bytes.count
            // id (up to 11 bytes), method key and length (up to 6).
            guard next + 17 <= maxPayload else { break }
            body.message(F.items, item)
            n += 1
        }
        return (request(id: id, method: method, body), n)
    }

    static func executor(limits: WireLimits = WireLimits(), budget: UnpackBudget = .default, registry: RelyingPartyRegistry = RelyingPartyRegistry()) -> WireExecutor {
        WireExecutor(
            registry: registry, keyCache: KeyCache(capacity: 4096),
            description: ServerDescription(version: "test", limits: limits), unpackBudget: budget)
    }
}
