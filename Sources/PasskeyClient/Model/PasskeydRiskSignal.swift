/// A check the policy chose to report instead of reject (e.g. `SIGN_COUNT_REGRESSION`).
public struct PasskeydRiskSignal: Sendable, Hashable {
    /// The wire enum name, e.g. "SIGN_COUNT_REGRESSION".
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}
