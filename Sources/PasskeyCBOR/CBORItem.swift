/// One decoded data item: header facts plus where it lives. Plain value, no references.
public struct CBORItem: Sendable, Hashable {
    public let type: CBORMajorType
    /// Offset of the item's first (header) byte.
    public let start: Int
    /// Offset just past the whole item, children included.
    public let end: Int
    /// Unsigned value, magnitude `-1 - n` for negatives, byte length, element count, pair count, tag number,
    /// simple value, or raw float bits.
    public let argument: UInt64
    /// Bytes/text: first content byte; array/map/tag: first child; others: `end`.
    public let contentStart: Int
    public let additionalInfo: UInt8

    @inlinable
    public var encodedLength: Int { end - start }

    @inlinable
    init(type: CBORMajorType, start: Int, end: Int, argument: UInt64, contentStart: Int, additionalInfo: UInt8) {
        self.type = type
        self.start = start
        self.end = end
        self.argument = argument
        self.contentStart = contentStart
        self.additionalInfo = additionalInfo
    }
}
