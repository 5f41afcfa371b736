/// Reads `Response.id` (field 1, varint) from an encoded payload without unpacking it, so the event loop can route a
/// response to its caller and leave the full decode to the caller's thread.
public enum ResponseID {
    /// The id (0 when absent), or nil when the payload is not well-formed protobuf at the top level. Only the top level
    /// is walked: the result sub-message is skipped by its length.
    public static func scan(_ p: UnsafeRawBufferPointer) -> UInt64? {
        var reader = WireReader(p)
        var id: UInt64 = 0
        while !reader.atEnd {
            guard let (field, value) = reader.next() else { return nil }
            if field == 1, case let .varint(v) = value { id = v }
        }
        return id
    }
}
