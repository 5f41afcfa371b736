internal import PasskeyProtocol
internal import NIOCore

/// Splits the inbound byte stream into frame payloads (slices, no copy), across any split of the reads.
struct FrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    let maximumPayload: Int

    struct InvalidFrame: Error, CustomStringConvertible {
        let description: String
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        let step = buffer.withUnsafeReadableBytes { FrameScanner.scan($0, maximumPayload: maximumPayload) }
        switch step {
        case .needMoreData:
            return .needMoreData
        case let .invalid(why):
            throw InvalidFrame(description: why)
        case let .frame(length):
            buffer.moveReaderIndex(forwardBy: Frame.headerSize)
            let payload = buffer.readSlice(length: length)!
            context.fireChannelRead(wrapInboundOut(payload))
            return .continue
        }
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        // Deliver whatever complete frames remain; a truncated one at EOF is dropped (its caller fails on close).
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}
