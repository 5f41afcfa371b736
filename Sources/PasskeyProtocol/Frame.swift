/// The frame format: 1 flag byte (0), a 4-byte big-endian payload length, the payload (Protos/README.md).
public enum Frame {
    public static let headerSize = 5
    public static let defaultMaximumPayload = 1 << 20

    public enum HeaderProblem: Sendable, Equatable {
        case badFlag(UInt8)
        case tooLarge(length: Int, maximum: Int)
    }

    /// Reads a header; nil when fewer than 5 bytes are available.
    @inlinable
    public static func parseHeader(_ b: UnsafeRawBufferPointer, maximum: Int) -> Result<Int, HeaderProblemError>? {
        guard b.count >= headerSize else { return nil }
        guard b[0] == 0 else { return .failure(HeaderProblemError(problem: .badFlag(b[0]))) }
        let length = Int(b[1]) << 24 | Int(b[2]) << 16 | Int(b[3]) << 8 | Int(b[4])
        guard length <= maximum else {
            return .failure(HeaderProblemError(problem: .tooLarge(length: length, maximum: maximum)))
        }
        return .success(length)
    }

    /// What the bytes at the start of a stream hold.
    public enum Step: Sendable, Equatable {
        /// Fewer bytes than the header or the payload needs.
        case needMoreData
        /// A complete frame: the payload is `payloadLength` bytes after the 5-byte header.
        case frame(payloadLength: Int)
        /// A bad flag byte (reported as soon as it arrives) or a length above the maximum (as soon as the header is
        /// complete): the stream cannot be resynchronised.
        case invalid(HeaderProblemError)
    }

    /// The next complete frame at the start of `b`, if any.
    @inlinable
    public static func next(_ b: UnsafeRawBufferPointer, maximum: Int) -> Step {
        if let flag = b.first, flag != 0 { return .invalid(HeaderProblemError(problem: .badFlag(flag))) }
        switch parseHeader(b, maximum: maximum) {
        case nil: return .needMoreData
        case let .failure(problem)?: return .invalid(problem)
        case let .success(length)?: return b.count - headerSize >= length ? .frame(payloadLength: length) : .needMoreData
        }
    }

    /// Writes the 5-byte header for a payload of `length` bytes.
    @inlinable
    public static func writeHeader(length: Int, into out: UnsafeMutableRawBufferPointer) {
        out[0] = 0
        out[1] = UInt8(truncatingIfNeeded: length >> 24)
        out[2] = UInt8(truncatingIfNeeded: length >> 16)
        out[3] = UInt8(truncatingIfNeeded: length >> 8)
        out[4] = UInt8(truncatingIfNeeded: length)
    }
}

public struct HeaderProblemError: Error, Sendable, Equatable, CustomStringConvertible {
    public let problem: Frame.HeaderProblem
    public init(problem: Frame.HeaderProblem) { self.problem = problem }
    public var description: String {
        switch problem {
        case let .badFlag(f): "frame flag byte is \(f), must be 0"
        case let .tooLarge(length, maximum): "frame of \(length) bytes exceeds the maximum of \(maximum)"
        }
    }
}
