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
