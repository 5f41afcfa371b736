internal import PasskeyWire

/// Finds the next complete frame at the start of a byte run (no NIO, so it is testable on plain arrays).
enum FrameScanner {
    enum Step: Equatable {
        /// Fewer bytes than the header or the payload needs.
        case needMoreData
        /// A complete frame: the payload is `payloadLength` bytes after the 5-byte header.
        case frame(payloadLength: Int)
        /// A bad flag byte or a length above the maximum: the stream cannot be resynchronised.
        case invalid(String)
    }

    static func scan(_ bytes: UnsafeRawBufferPointer, maximumPayload: Int) -> Step {
        // A bad flag is reported as soon as its byte is there, not when the whole header is.
        if let flag = bytes.first, flag != 0 { return .invalid(HeaderProblemError(problem: .badFlag(flag)).description) }
        switch Frame.parseHeader(bytes, maximum: maximumPayload) {
        case nil:
            return .needMoreData
        case let .failure(problem)?:
            return .invalid(problem.description)
        case let .success(length)?:
            return bytes.count - Frame.headerSize >= length ? .frame(payloadLength: length) : .needMoreData
        }
    }
}
