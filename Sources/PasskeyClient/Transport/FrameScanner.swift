internal import PasskeyProtocol

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
        switch Frame.next(bytes, maximum: maximumPayload) {
        case .needMoreData: .needMoreData
        case let .frame(n): .frame(payloadLength: n)
        case let .invalid(problem): .invalid(problem.description)
        }
    }
}
