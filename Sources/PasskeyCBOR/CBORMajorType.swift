/// The eight CBOR major types (RFC 8949 §3.1).
public enum CBORMajorType: UInt8, Sendable {
    case unsigned = 0, negative = 1, bytes = 2, text = 3, array = 4, map = 5, tag = 6, simple = 7

    /// The major type of an initial byte's top three bits (`major` is 0...7).
    @inlinable @inline(__always)
    init(major: UInt8) {
        switch major & 7 {
        case 0: self = .unsigned
        case 1: self = .negative
        case 2: self = .bytes
        case 3: self = .text
        case 4: self = .array
        case 5: self = .map
        case 6: self = .tag
        default: self = .simple
        }
    }
}
