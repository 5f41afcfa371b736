/// A few lines of protobuf encoding, enough to build a `passkeyd.v1.Request` for the wire stage (field numbers from
/// Protos/passkeyd/v1/passkeyd.proto), and to read one varint field back out of a `Response`.
struct ProtobufWriter {
    private(set) var bytes: [UInt8] = []

    mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func field(_ number: Int, varint v: UInt64) {
        varint(UInt64(number) << 3)
        varint(v)
    }

    mutating func field(_ number: Int, bytes b: [UInt8]) {
        varint(UInt64(number) << 3 | 2)
        varint(UInt64(b.count))
        bytes += b
    }

    mutating func field(_ number: Int, string s: String) { field(number, bytes: Array(s.utf8)) }

    mutating func field(_ number: Int, message: (inout ProtobufWriter) -> Void) {
        var inner = ProtobufWriter()
        message(&inner)
        field(number, bytes: inner.bytes)
    }
}

enum WireRequest {
    /// `Request{id, verify_authentication{policy, challenge, credential_public_key, stored_sign_count, fields}}`.
    /// The policy is inline (rp_id + origins) unless `relyingPartyName` names a configured one.
    /// With `responseJSON`, the assertion travels as the browser's JSON text (`response_json`) instead of fields.
    static func verifyAuthentication(_ f: Fixtures, relyingPartyName: String? = nil, responseJSON: Bool = false) -> [UInt8] {
        var w = ProtobufWriter()
        w.field(1, varint: 7)  // id
        w.field(11) { item in  // verify_authentication
            item.field(1) { policy in
                if let relyingPartyName {
                    policy.field(1, string: relyingPartyName)
                } else {
                    policy.field(2, string: Fixtures.rpID)
                    policy.field(3, string: Fixtures.origin)
                }
            }
            item.field(2, bytes: f.challenge)
            item.field(3, bytes: f.cosePublicKey)
            item.field(4, varint: 0)  // stored_sign_count (0 is the proto3 default and is simply absent on the wire)
            if responseJSON {
                item.field(8, bytes: f.assertion.json)  // response_json
            } else {
                item.field(7) { fields in  // AssertionFields
                    fields.field(1, bytes: f.assertion.credentialID)
                    fields.field(2, bytes: f.assertion.authenticatorData)
                    fields.field(3, bytes: f.assertion.clientDataJSON)
                    fields.field(4, bytes: f.assertion.signature)
                }
            }
        }
        return w.bytes
    }

    /// The first varint field `number` inside the length-delimited field `path` of a message (0 when absent, as
    /// proto3 encodes zero), or nil when the bytes do not parse.
    static func varint(in message: UnsafeRawBufferPointer, path: [Int], field number: Int) -> UInt64? {
        var range = 0..<message.count
        for step in path {
            guard let inner = find(message, in: range, field: step, wireType: 2) else { return nil }
            range = inner
        }
        guard let at = find(message, in: range, field: number, wireType: 0) else { return 0 }
        var p = at.lowerBound
        return readVarint(message, &p)
    }

    private static func readVarint(_ b: UnsafeRawBufferPointer, _ p: inout Int) -> UInt64? {
        var v: UInt64 = 0
        var shift: UInt64 = 0
        while p < b.count, shift < 64 {
            let byte = b[p]
            p += 1
            v |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return v }
            shift += 7
        }
        return nil
    }

    /// Range of the payload of field `number` (length-delimited: the bytes; varint: from the value's first byte).
    private static func find(_ b: UnsafeRawBufferPointer, in range: Range<Int>, field number: Int, wireType: UInt64) -> Range<Int>? {
        var p = range.lowerBound
        while p < range.upperBound {
            guard let key = readVarint(b, &p) else { return nil }
            let type = key & 7
            let start = p
            switch type {
            case 0: guard readVarint(b, &p) != nil else { return nil }
            case 1: p += 8
            case 5: p += 4
            case 2:
                guard let n = readVarint(b, &p) else { return nil }
                if Int(key >> 3) == number, type == wireType { return p..<(p + Int(n)) }
                p += Int(n)
                continue
            default: return nil
            }
            if Int(key >> 3) == number, type == wireType { return start..<p }
        }
        return nil
    }
}
