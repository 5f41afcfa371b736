/// A strict-JSON failure with the byte offset where it was found.
public struct JSONError: Error, Sendable, Hashable, CustomStringConvertible {
    public let reason: String
    public let offset: Int
    public init(_ reason: String, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }
    public var description: String { "\(reason) at byte \(offset)" }
}
