/// Why a TPM structure (`TPMS_ATTEST`, `TPMT_PUBLIC`) or a TPM certificate field (the AIK subjectAltName, EKU) did
/// not parse.
///
/// `code` is stable and is what tests compare (two errors are equal when their codes are); `message` names the field
/// and the offending value or offset, for logs.
public struct TPMStructureError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The whole input is above the structure's fixed limit; nothing was parsed.
        case tooLarge = "too_large"
        /// A field runs past the end of the input.
        case truncated
        /// A size-prefixed (TPM2B) field declares more bytes than its type can hold.
        case sizeAboveMaximum = "size_above_maximum"
        /// Bytes follow the last field.
        case trailingBytes = "trailing_bytes"
        /// A selector (structure tag, algorithm id, scheme) this parser does not know, so the union that follows
        /// cannot be read; or a value outside its type's range (TPMI_YES_NO other than 0 or 1).
        case unsupportedValue = "unsupported_value"
        /// DER that does not parse, or parses to a shape other than the one the profile defines.
        case invalidDER = "invalid_der"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }

    public static func == (lhs: TPMStructureError, rhs: TPMStructureError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
