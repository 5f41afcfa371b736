public import NIOCore

/// What a `passkeyd.v1.Response` payload holds, read from its wire format without decoding the result: the bytes of
/// the result member (to send as the rpc's response message, unchanged), or the request-level error's code and
/// message.
public enum ResponseSlice: Sendable, Equatable {
    /// The `result` member with this field number; `bytes` is its message, encoded as the executor encoded it.
    case result(field: UInt64, bytes: ByteBuffer)
    /// `Response.error`: its `ErrorCode` number and message.
    case error(code: Int, message: String)

    /// `Response.error`.
    static let errorField: UInt64 = 20

    /// Nil when the payload is not a `Response` with a result (the executor always writes one).
    public static func read(_ payload: ByteBuffer) -> ResponseSlice? {
        var reader = payload
        var found: ResponseSlice?
        while reader.readableBytes > 0 {
            guard let key = readVarint(&reader) else { return nil }
            let field = key >> 3
            switch key & 7 {
            case 0:
                guard readVarint(&reader) != nil else { return nil }
            case 2:
                guard let n = readVarint(&reader), n <= UInt64(reader.readableBytes),
                    let body = reader.readSlice(length: Int(n))
                else { return nil }
                if field == errorField {
                    guard let e = readError(body) else { return nil }
                    found = e
                } else if field >= 10 {
                    found = .result(field: field, bytes: body)
                }
            default:
                return nil
            }
        }
        return found
    }

    /// `Error { ErrorCode code = 1; string message = 2; }`.
    static func readError(_ body: ByteBuffer) -> ResponseSlice? {
        var reader = body
        var code = 0
        var message = ""
        while reader.readableBytes > 0 {
            guard let key = readVarint(&reader) else { return nil }
            switch (key >> 3, key & 7) {
            case (1, 0):
                guard let v = readVarint(&reader) else { return nil }
                code = Int(truncatingIfNeeded: Int32(truncatingIfNeeded: v))
            case (2, 2):
                guard let n = readVarint(&reader), n <= UInt64(reader.readableBytes),
                    let s = reader.readString(length: Int(n))
                else { return nil }
                message = s
            case (_, 0):
                guard readVarint(&reader) != nil else { return nil }
            case (_, 2):
                guard let n = readVarint(&reader), n <= UInt64(reader.readableBytes) else { return nil }
                reader.moveReaderIndex(forwardBy: Int(n))
            default:
                return nil
            }
        }
        return .error(code: code, message: message)
    }

    static func readVarint(_ b: inout ByteBuffer) -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while shift < 64 {
            guard let byte: UInt8 = b.readInteger() else { return nil }
            value |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
        return nil
    }
}
