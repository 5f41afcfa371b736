public import NIOCore

/// Wraps a method's request message, as the gRPC client encoded it, into the framed protocol's `Request`: the
/// deadline (field 2) and the message as the `method` oneof member with the field number `field`, a tag and a
/// varint length in front of the unchanged bytes. Nothing is decoded or re-encoded; the id is 0 (gRPC has its
/// own stream per call).
public enum RequestEnvelope {
    /// `Request.deadline_ms`.
    static let deadlineField: UInt64 = 2

    public static func wrap(_ message: ByteBuffer, field: UInt64, deadlineMs: UInt32) -> ByteBuffer {
        var out = ByteBuffer()
        out.reserveCapacity(message.readableBytes + 20)
        if deadlineMs > 0 {
            writeVarint(&out, deadlineField << 3)
            writeVarint(&out, UInt64(deadlineMs))
        }
        writeVarint(&out, field << 3 | 2)
        writeVarint(&out, UInt64(message.readableBytes))
        var body = message
        out.writeBuffer(&body)
        return out
    }

    static func writeVarint(_ out: inout ByteBuffer, _ value: UInt64) {
        var v = value
        while v >= 0x80 {
            out.writeInteger(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.writeInteger(UInt8(v))
    }
}
