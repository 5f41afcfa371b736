/// Map lookups: linear scan of a validated map, no allocation; nil if the key is absent.
extension CBORReader {
    /// The value for an integer key (major type 0 or 1).
    @inlinable
    public func value(in map: CBORItem, intKey: Int64) throws(CBORError) -> CBORItem? {
        guard map.type == .map else { throw CBORError(.unexpectedType, at: map.start) }
        checkOwned(map)
        let major: UInt8 = intKey >= 0 ? 0 : 1
        let argument = intKey >= 0 ? UInt64(intKey) : UInt64(~intKey)
        var p = map.contentStart
        var n = map.argument
        while n != 0 {
            let head = CBORHead.unchecked(base, at: p)
            let keyEnd = uncheckedEnd(of: head)
            if head.major == major, head.argument == argument {
                return uncheckedItem(at: keyEnd)
            }
            p = uncheckedEnd(at: keyEnd)
            n &-= 1
        }
        return nil
    }

    /// The value for a text key.
    @inlinable
    public func value(in map: CBORItem, textKey: StaticString) throws(CBORError) -> CBORItem? {
        guard map.type == .map else { throw CBORError(.unexpectedType, at: map.start) }
        return textKey.withUTF8Buffer { key in lookUp(in: map, utf8Key: UnsafeRawBufferPointer(key)) }
    }

    /// The value for a text key.
    @inlinable
    public func value(in map: CBORItem, textKey: String) throws(CBORError) -> CBORItem? {
        guard map.type == .map else { throw CBORError(.unexpectedType, at: map.start) }
        if let found = textKey.utf8.withContiguousStorageIfAvailable({ key in
            lookUp(in: map, utf8Key: UnsafeRawBufferPointer(key))
        }) {
            return found
        }
        return Array(textKey.utf8).withUnsafeBytes { key in lookUp(in: map, utf8Key: key) }
    }

    @inlinable
    func lookUp(in map: CBORItem, utf8Key key: UnsafeRawBufferPointer) -> CBORItem? {
        checkOwned(map)
        let length = UInt64(key.count)
        var p = map.contentStart
        var n = map.argument
        while n != 0 {
            let head = CBORHead.unchecked(base, at: p)
            let keyEnd = uncheckedEnd(of: head)
            if head.major == 3, head.argument == length, equalBytes(at: head.next, key) {
                return uncheckedItem(at: keyEnd)
            }
            p = uncheckedEnd(at: keyEnd)
            n &-= 1
        }
        return nil
    }

    @inlinable @inline(__always)
    func equalBytes(at pos: Int, _ other: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        while i < other.count {
            if base.load(fromByteOffset: pos &+ i, as: UInt8.self) != other[i] { return false }
            i &+= 1
        }
        return true
    }
}
