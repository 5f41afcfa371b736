internal import CPasskeyProto
public import PasskeyWebAuthn

/// One value of the wire enum `passkeyd.v1.ErrorCode`: what a result or a request-level error carries.
///
/// A plain integer, so reporting a verdict (metrics, logs) costs no allocation; `name` reads the generated
/// descriptor, so no list of names is kept by hand.
public struct WireCode: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32

    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// ERROR_CODE_NONE: the verification succeeded.
    public static let none = WireCode(rawValue: 0)

    /// The wire code of a ceremony failure.
    public init(_ code: WebAuthnError.Code) { rawValue = Int32(bitPattern: code.wire.rawValue) }

    /// The wire code of a request-level failure.
    public init(_ code: WireErrorCode) { rawValue = Int32(bitPattern: code.c.rawValue) }

    init(_ code: Passkeyd__V1__ErrorCode) { rawValue = Int32(bitPattern: code.rawValue) }

    /// The enum value's name in the .proto ("BAD_SIGNATURE"), or "UNKNOWN_<n>" for a number the descriptor lacks.
    public var name: String {
        let value = withUnsafePointer(to: passkeyd__v1__error_code__descriptor) {
            protobuf_c_enum_descriptor_get_value($0, rawValue)
        }
        guard let name = value?.pointee.name else { return "UNKNOWN_\(rawValue)" }
        return String(cString: name)
    }

    public var description: String { name }

    /// Every value the generated descriptor lists, in number order.
    public static let all: [WireCode] = withUnsafePointer(to: passkeyd__v1__error_code__descriptor) { d in
        (0..<Int(d.pointee.n_values)).map { WireCode(rawValue: d.pointee.values[$0].value) }.sorted { $0.rawValue < $1.rawValue }
    }

    /// The largest value the descriptor lists (for tables indexed by code).
    public static let maximumRawValue: Int32 = all.last?.rawValue ?? 0
}
