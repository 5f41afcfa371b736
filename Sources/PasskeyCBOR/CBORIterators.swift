/// Children of a validated array, without allocation.
public struct CBORArrayIterator: Sequence, IteratorProtocol {
    @usableFromInline let reader: CBORReader
    @usableFromInline var position: Int
    @usableFromInline var remaining: UInt64

    @inlinable
    init(reader: CBORReader, position: Int, remaining: UInt64) {
        self.reader = reader
        self.position = position
        self.remaining = remaining
    }

    @inlinable
    public mutating func next() -> CBORItem? {
        guard remaining != 0 else { return nil }
        remaining &-= 1
        let item = reader.uncheckedItem(at: position)
        position = item.end
        return item
    }

    @inlinable
    public var underestimatedCount: Int { Int(truncatingIfNeeded: remaining) }
}

/// Key/value pairs of a validated map, in encoded order, without allocation.
public struct CBORMapIterator: Sequence, IteratorProtocol {
    @usableFromInline let reader: CBORReader
    @usableFromInline var position: Int
    @usableFromInline var remaining: UInt64

    @inlinable
    init(reader: CBORReader, position: Int, remaining: UInt64) {
        self.reader = reader
        self.position = position
        self.remaining = remaining
    }

    @inlinable
    public mutating func next() -> (key: CBORItem, value: CBORItem)? {
        guard remaining != 0 else { return nil }
        remaining &-= 1
        let key = reader.uncheckedItem(at: position)
        let value = reader.uncheckedItem(at: key.end)
        position = value.end
        return (key, value)
    }

    @inlinable
    public var underestimatedCount: Int { Int(truncatingIfNeeded: remaining) }
}

extension CBORReader {
    /// Iterates the elements of a validated array.
    @inlinable
    public func elements(of array: CBORItem) throws(CBORError) -> CBORArrayIterator {
        guard array.type == .array else { throw CBORError(.unexpectedType, at: array.start) }
        checkOwned(array)
        return CBORArrayIterator(reader: self, position: array.contentStart, remaining: array.argument)
    }

    /// Iterates the key/value pairs of a validated map.
    @inlinable
    public func entries(of map: CBORItem) throws(CBORError) -> CBORMapIterator {
        guard map.type == .map else { throw CBORError(.unexpectedType, at: map.start) }
        checkOwned(map)
        return CBORMapIterator(reader: self, position: map.contentStart, remaining: map.argument)
    }
}
