/// The facts of a `Request` read straight from its protobuf wire format, before anything is unpacked: its id, its
/// deadline, its method and, for a batch, how many items it holds.
///
/// One linear pass over the top level (and over the batch message, whose items are skipped by their length). It never
/// reads past the buffer and allocates nothing, so a transport can refuse a request — too many items, draining,
/// overloaded — with the request's own id while the frame costs nothing but this scan.
public struct RequestPrescan: Sendable, Equatable {
    /// `Request.id` (field 1); 0 when absent.
    public var id: UInt64 = 0
    /// `Request.deadline_ms` (field 2); 0 when absent.
    public var deadlineMs: UInt32 = 0
    /// The method of the last method field (10–17) seen, as protobuf keeps the last member of a oneof; `.unknown`
    /// when there is none.
    public var method: WireMethod = .unknown
    /// Verification items that unpacking would build: 1 per single-verification field, the `items` of every batch
    /// field (protobuf keeps only the last oneof member, but unpacks every one it meets). For a well-formed request:
    /// 1 for a single verification, the batch's item count, 0 for `health` and `server_info`.
    public var itemCount = 0

    public init() {}

    /// Field numbers of `passkeyd.v1.Request` (Protos/passkeyd/v1/passkeyd.proto).
    enum Field {
        static let id: UInt64 = 1
        static let deadlineMs: UInt64 = 2
        static let verifyRegistration: UInt64 = 10
        static let verifyAuthentication: UInt64 = 11
        static let verifyAuthenticationBatch: UInt64 = 12
        static let verifyRegistrationBatch: UInt64 = 13
        static let health: UInt64 = 14
        static let serverInfo: UInt64 = 15
        static let generateRegistrationOptions: UInt64 = 16
        static let generateAuthenticationOptions: UInt64 = 17
        /// `items` in both batch messages.
        static let batchItems: UInt64 = 1
    }

    /// The prescan of a frame payload, or nil when it is not protobuf wire format at the top level or inside a batch
    /// message (a truncated or overlong varint, a length past the end, a group or an undefined wire type). Nil only
    /// for payloads that protobuf-c refuses too; the converse does not hold (nested members are not looked at).
    public static func scan(_ payload: UnsafeRawBufferPointer) -> RequestPrescan? {
        var out = RequestPrescan()
        var items = 0
        var reader = WireReader(payload)
        while !reader.atEnd {
            guard let (field, value) = reader.next() else { return nil }
            switch (field, value) {
            case let (Field.id, .varint(v)):
                out.id = v
            case let (Field.deadlineMs, .varint(v)):
                out.deadlineMs = UInt32(truncatingIfNeeded: v)
            case (Field.verifyRegistration, .lengthDelimited):
                out.method = .verifyRegistration
                items += 1
            case (Field.verifyAuthentication, .lengthDelimited):
                out.method = .verifyAuthentication
                items += 1
            case let (Field.verifyAuthenticationBatch, .lengthDelimited(body)):
                out.method = .verifyAuthenticationBatch
                guard let n = batchItems(body) else { return nil }
                items += n
            case let (Field.verifyRegistrationBatch, .lengthDelimited(body)):
                out.method = .verifyRegistrationBatch
                guard let n = batchItems(body) else { return nil }
                items += n
            case (Field.health, .lengthDelimited):
                out.method = .health
            case (Field.serverInfo, .lengthDelimited):
                out.method = .serverInfo
            case (Field.generateRegistrationOptions, .lengthDelimited):
                out.method = .generateRegistrationOptions
                items += 1
            case (Field.generateAuthenticationOptions, .lengthDelimited):
                out.method = .generateAuthenticationOptions
                items += 1
            default:
                // Unknown fields, and known ones with the wrong wire type (protobuf-c refuses those when unpacking).
                break
            }
        }
        out.itemCount = items
        return out
    }

    /// `items` (field 1, length-delimited) in a batch message; nil when the message is not wire format.
    static func batchItems(_ body: UnsafeRawBufferPointer) -> Int? {
        var n = 0
        var reader = WireReader(body)
        while !reader.atEnd {
            guard let (field, value) = reader.next() else { return nil }
            if field == Field.batchItems, case .lengthDelimited = value { n += 1 }
        }
        return n
    }
}

/// A forward-only reader of protobuf wire format over borrowed bytes: each step is one field, its number and its
/// value; nil (and no further progress) at the first byte that cannot be wire format. For reading a few fields of a
/// message without unpacking it (the request prescan here, the response id in the client).
public struct WireReader {
    public enum Value {
        case varint(UInt64)
        case fixed64
        case lengthDelimited(UnsafeRawBufferPointer)
        case fixed32
    }

    private let bytes: UnsafeRawBufferPointer
    private var offset = 0

    public init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    public var atEnd: Bool { offset >= bytes.count }

    /// The next field, or nil when the bytes are not wire format from here on.
    public mutating func next() -> (field: UInt64, value: Value)? {
        guard let key = varint() else { return nil }
        let field = key >> 3
        switch key & 7 {
        case 0:
            guard let v = varint() else { return nil }
            return (field, .varint(v))
        case 1:
            guard bytes.count - offset >= 8 else { return nil }
            offset += 8
            return (field, .fixed64)
        case 2:
            guard let length = varint(), length <= UInt64(bytes.count - offset) else { return nil }
            let start = offset
            offset += Int(length)
            return (field, .lengthDelimited(UnsafeRawBufferPointer(rebasing: bytes[start..<offset])))
        case 5:
            guard bytes.count - offset >= 4 else { return nil }
            offset += 4
            return (field, .fixed32)
        default:
            // 3 and 4 are groups (protobuf-c refuses them), 6 and 7 are not defined.
            return nil
        }
    }

    /// A base-128 varint of at most 10 bytes; nil when it runs past the end or is longer.
    private mutating func varint() -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var i = offset
        while i < bytes.count, shift < 70 {
            let b = bytes[i]
            i += 1
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 {
                offset = i
                return result
            }
            shift += 7
        }
        return nil
    }
}
