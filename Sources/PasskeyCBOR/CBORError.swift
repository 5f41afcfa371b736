/// A malformed or unexpected CBOR input: what went wrong and the byte offset where it was detected.
public struct CBORError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// The input ends inside an item header/argument, or where an item was expected.
        case truncated
        /// A declared byte/text length or element count is larger than the bytes left.
        case lengthExceedsInput
        /// Arrays, maps and tags nest deeper than `CBORLimits.maxDepth`.
        case nestingTooDeep
        /// A map key occurs twice (offset of the second occurrence).
        case duplicateMapKey
        /// Additional info 31 (indefinite length or break); forbidden by CTAP2 canonical form.
        case indefiniteLength
        /// A text string is not well-formed UTF-8 (offset of the first byte of the bad sequence).
        case invalidUTF8
        /// Bytes follow the top-level item.
        case trailingBytes
        /// An integer/length/count argument is not in its shortest form.
        case nonMinimalEncoding
        /// Additional info 28, 29 or 30.
        case reservedAdditionalInfo
        /// Major type 7, additional info 24, with a value below 32.
        case invalidSimpleValue
        /// More than `CBORLimits.maxItems` data items.
        case tooManyItems
        /// A typed accessor was used on an item of another type.
        case unexpectedType
        /// An integer does not fit `Int64`.
        case integerOverflow
    }

    public let code: Code
    public let offset: Int
    // Optional numbers for `description` (e.g. declared length and bytes left); not part of equality.
    @usableFromInline let detail1: UInt64
    @usableFromInline let detail2: UInt64
    @usableFromInline let isCount: Bool

    @inlinable
    public init(_ code: Code, at offset: Int) {
        self.init(code, at: offset, detail1: 0, detail2: 0)
    }

    @inlinable
    init(_ code: Code, at offset: Int, detail1: UInt64, detail2: UInt64, isCount: Bool = false) {
        self.code = code
        self.offset = offset
        self.detail1 = detail1
        self.detail2 = detail2
        self.isCount = isCount
    }

    public static func == (a: CBORError, b: CBORError) -> Bool {
        a.code == b.code && a.offset == b.offset
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(offset)
    }

    public var description: String {
        let what: String
        switch code {
        case .truncated: what = "input ends inside an item"
        case .lengthExceedsInput:
            what = "declared \(isCount ? "count" : "length") \(detail1) exceeds the \(detail2) bytes left"
        case .nestingTooDeep: what = "nesting deeper than the limit of \(detail1)"
        case .duplicateMapKey: what = "duplicate map key"
        case .indefiniteLength: what = "indefinite-length item or break (not allowed)"
        case .invalidUTF8: what = "text string is not valid UTF-8"
        case .trailingBytes: what = "\(detail1) trailing bytes after the top-level item"
        case .nonMinimalEncoding: what = "argument \(detail1) is not in its shortest form"
        case .reservedAdditionalInfo: what = "reserved additional info \(detail1)"
        case .invalidSimpleValue: what = "simple value \(detail1) must not use a one-byte extension"
        case .tooManyItems: what = "more than \(detail1) data items"
        case .unexpectedType: what = "item has an unexpected type"
        case .integerOverflow: what = "integer does not fit Int64"
        }
        return "malformed CBOR at byte \(offset): \(what)"
    }
}
