/// Reads `Response.id` (field 1, varint) from an encoded payload without unpacking it, so the event loop can route a
/// response to its caller and leave the full decode to the caller's thread.
enum ResponseID {
    /// The id (0 when absent), or nil when the payload is not well-formed protobuf at the top level. Only the top level
    /// is walked: the result sub-message is skipped by its length.
    static func scan(_ p: UnsafeRawBufferPointer) -> UInt64? {
        var i = 0
        var id: UInt64 = 0
        while i < p.count {
            guard let tag = varint(p, &i) else { return nil }
            let field = tag >> 3
            switch tag & 7 {
            case 0:
                guard let v = varint(p, &i) else { return nil }
                if field == 1 { id = v }
            case 1:
                i += 8
            case 2:
                guard let len = varint(p, &i), len <= UInt64(p.count - i) else { return nil }
                i += Int(len)
            case 5:
                i += 4
            default:
                return nil
            }
            guard i <= p.count else { return nil }
        }
        return id
    }

    static func varint(_ p: UnsafeRawBufferPointer, _ i: inout Int) -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while i < p.count, shift < 64 {
            let b = p[i]
            i += 1
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
        }
        return nil
    }
}
