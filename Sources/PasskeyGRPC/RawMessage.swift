import GRPCCore
public import NIOCore

/// A protobuf message kept as its encoded bytes: the gRPC listener never decodes or re-encodes a request or a result
/// with SwiftProtobuf. Requests go to the framed protocol's executor inside a `Request` envelope
/// (`RequestEnvelope`), results are cut out of its `Response` (`ResponseSlice`).
public struct RawMessage: Sendable, Hashable {
    public var bytes: ByteBuffer
    public init(bytes: ByteBuffer) { self.bytes = bytes }
}

/// Hands the message bytes over as they are (one copy, into the transport's buffer).
struct RawSerializer: MessageSerializer {
    func serialize<Bytes: GRPCContiguousBytes>(_ message: RawMessage) throws -> Bytes {
        message.bytes.withUnsafeReadableBytes { Bytes($0) }
    }
}

/// Takes the message bytes as they are; nothing is parsed here (the executor's prescan and unpack decide).
struct RawDeserializer: MessageDeserializer {
    func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> RawMessage {
        serializedMessageBytes.withUnsafeBytes { RawMessage(bytes: ByteBuffer(bytes: $0)) }
    }
}
