/// A check the policy chose to report instead of reject (e.g. `.signCountRegression`).
public struct PasskeydRiskSignal: Sendable, Hashable {
    public var code: PasskeydErrorCode
    public var message: String

    public init(code: PasskeydErrorCode, message: String) {
        self.code = code
        self.message = message
    }
}
