/// Zero-copy, strict CBOR reader over borrowed bytes.
///
/// The caller keeps the buffer alive while using the reader, its items and any views it hands out. Items passed
/// to the accessors must come from this reader (`readItem`, the iterators or the lookups).
public struct CBORReader {
    public let buffer: UnsafeRawBufferPointer
    public let limits: CBORLimits

    @inlinable
    public init(_ buffer: UnsafeRawBufferPointer, limits: CBORLimits = .default) {
        self.buffer = buffer
        self.limits = limits
    }

    /// Parses and fully validates exactly one item spanning the whole buffer.
    public func readSingleItem() throws(CBORError) -> CBORItem {
        let item = try readItem(at: 0)
        guard item.end == buffer.count else {
            throw CBORError(.trailingBytes, at: item.end, detail1: UInt64(buffer.count - item.end), detail2: 0)
        }
        return item
    }

    /// Parses and fully validates one item starting at `offset`, which may be followed by other bytes;
    /// `item.end` tells how many were used.
    public func readItem(at offset: Int) throws(CBORError) -> CBORItem {
        guard offset >= 0, offset < buffer.count, let base = buffer.baseAddress else {
            throw CBORError(.truncated, at: max(0, offset))
        }
        return try CBORValidator.validate(base, count: buffer.count, at: offset, limits: limits)
    }

    /// Raw encoded bytes of an item, header included.
    @inlinable
    public func encoded(_ item: CBORItem) -> UnsafeRawBufferPointer {
        view(item.start, item.end)
    }

    // MARK: - Internals shared by the accessors

    @inlinable @inline(__always)
    func view(_ from: Int, _ to: Int) -> UnsafeRawBufferPointer {
        precondition(from >= 0 && from <= to && to <= buffer.count, "CBORItem does not belong to this reader")
        return UnsafeRawBufferPointer(start: buffer.baseAddress.map { $0 + from }, count: to - from)
    }

    @inlinable @inline(__always)
    func checkOwned(_ item: CBORItem) {
        precondition(item.start >= 0 && item.end <= buffer.count, "CBORItem does not belong to this reader")
    }

    @inlinable @inline(__always)
    var base: UnsafeRawPointer { buffer.baseAddress.unsafelyUnwrapped }

    /// The validated item whose header is at `pos`.
    @inlinable
    func uncheckedItem(at pos: Int) -> CBORItem {
        let head = CBORHead.unchecked(base, at: pos)
        return CBORItem(
            type: CBORMajorType(major: head.major),
            start: pos,
            end: uncheckedEnd(of: head),
            argument: head.argument,
            contentStart: head.next,
            additionalInfo: head.additionalInfo
        )
    }

    /// End of the validated item with header `head`.
    @inlinable @inline(__always)
    func uncheckedEnd(of head: CBORHead) -> Int {
        switch head.major {
        case 2, 3: return head.next &+ Int(truncatingIfNeeded: head.argument)
        case 4: return uncheckedSkip(from: head.next, pending: head.argument)
        case 5: return uncheckedSkip(from: head.next, pending: head.argument &* 2)
        case 6: return uncheckedSkip(from: head.next, pending: 1)
        default: return head.next
        }
    }

    /// End of the validated item starting at `pos`.
    @inlinable @inline(__always)
    func uncheckedEnd(at pos: Int) -> Int {
        uncheckedEnd(of: CBORHead.unchecked(base, at: pos))
    }

    /// Skips `pending` consecutive validated items starting at `pos`; returns the offset past the last one.
    @inlinable
    func uncheckedSkip(from pos: Int, pending: UInt64) -> Int {
        var p = pos
        var n = pending
        while n != 0 {
            n &-= 1
            let head = CBORHead.unchecked(base, at: p)
            p = head.next
            switch head.major {
            case 2, 3: p &+= Int(truncatingIfNeeded: head.argument)
            case 4: n &+= head.argument
            case 5: n &+= head.argument &* 2
            case 6: n &+= 1
            default: break
            }
        }
        return p
    }
}

extension CBORReader {
    /// Runs `body` with a reader over `bytes` (convenience for tests and non-hot code).
    public static func withReader<R>(
        _ bytes: [UInt8], limits: CBORLimits = .default, _ body: (CBORReader) throws -> R
    ) rethrows -> R {
        try bytes.withUnsafeBytes { try body(CBORReader($0, limits: limits)) }
    }
}
