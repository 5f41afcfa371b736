/// A request that cannot be used at all (bad JSON, a missing or mistyped member). The command-line tools exit 2 for
/// these.
public struct RequestError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ d: String) { description = d }
}
