/// Reading values out of the last parsed document. Nothing here allocates except `string(_:)`.
extension JSONReader {
    public func kind(_ v: Value) -> Kind { nodes[Int(v.index)].kind }

    /// The value of member `name` of object `object`, or nil when absent (or `object` is not an object).
    public func member(_ object: Value, _ name: StaticString) -> Value? {
        let o = Int(object.index)
        guard nodes[o].kind == .object else { return nil }
        let end = Int(nodes[o].next)
        var k = o + 1
        let nameBytes = UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        while k < end {
            if stringEquals(k, nameBytes) { return Value(index: Int32(k + 1)) }
            k = Int(nodes[k + 1].next)
        }
        return nil
    }

    /// Calls `body` with each (name, value) member of `object` in document order.
    public func forEachMember(_ object: Value, _ body: (Value, Value) throws -> Void) rethrows {
        let o = Int(object.index)
        guard nodes[o].kind == .object else { return }
        let end = Int(nodes[o].next)
        var k = o + 1
        while k < end {
            try body(Value(index: Int32(k)), Value(index: Int32(k + 1)))
            k = Int(nodes[k + 1].next)
        }
    }

    /// Calls `body` with each element of `array` in order.
    public func forEachElement(_ array: Value, _ body: (Value) throws -> Void) rethrows {
        let a = Int(array.index)
        guard nodes[a].kind == .array else { return }
        let end = Int(nodes[a].next)
        var e = a + 1
        while e < end {
            try body(Value(index: Int32(e)))
            e = Int(nodes[e].next)
        }
    }

    public func count(_ v: Value) -> Int { Int(nodes[Int(v.index)].count) }

    public func bool(_ v: Value) -> Bool? {
        switch nodes[Int(v.index)].kind {
        case .true: true
        case .false: false
        default: nil
        }
    }

    /// An integral number that fits Int64 (no fraction, no exponent), else nil.
    public func int64(_ v: Value) -> Int64? {
        let n = nodes[Int(v.index)]
        guard n.kind == .number else { return nil }
        var p = Int(n.start)
        let end = Int(n.end)
        let negative = buffer[p] == UInt8(ascii: "-")
        if negative { p += 1 }
        var magnitude: UInt64 = 0
        while p < end {
            let c = buffer[p]
            guard c >= 0x30, c <= 0x39 else { return nil }
            let (m1, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (m2, o2) = m1.addingReportingOverflow(UInt64(c - 0x30))
            guard !o1, !o2 else { return nil }
            magnitude = m2
            p += 1
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    /// The raw (still escaped) UTF-8 content of a string value, or nil for non-strings.
    public func rawStringBytes(_ v: Value) -> UnsafeRawBufferPointer? {
        let n = nodes[Int(v.index)]
        guard n.kind == .string else { return nil }
        return UnsafeRawBufferPointer(rebasing: buffer[Int(n.start)..<Int(n.end)])
    }

    /// Whether the string value has backslash escapes (if not, `rawStringBytes` is the decoded text).
    public func hasEscapes(_ v: Value) -> Bool { nodes[Int(v.index)].hasEscapes }

    /// Calls `body` with the decoded UTF-8 bytes of a string value: a view into the input when it has no escapes,
    /// otherwise a temporary (stack when small) buffer. Returns nil for non-strings.
    public func withDecodedString<R>(_ v: Value, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        let n = nodes[Int(v.index)]
        guard n.kind == .string else { return nil }
        let raw = UnsafeRawBufferPointer(rebasing: buffer[Int(n.start)..<Int(n.end)])
        if !n.hasEscapes { return try body(raw) }
        return try withUnsafeTemporaryAllocation(byteCount: max(raw.count, 1), alignment: 1) { tmp in
            var it = DecodedStringBytes(buffer: buffer, start: Int(n.start), end: Int(n.end))
            var count = 0
            while let b = it.next() {
                tmp[count] = b
                count += 1
            }
            return try body(UnsafeRawBufferPointer(rebasing: tmp[0..<count]))
        }
    }

    /// The decoded string (allocates); nil for non-strings.
    public func string(_ v: Value) -> String? {
        withDecodedString(v) { String(decoding: $0, as: UTF8.self) }
    }

    /// Whether a string value decodes to exactly `bytes`, without allocating.
    public func string(_ v: Value, equals bytes: UnsafeRawBufferPointer) -> Bool {
        guard nodes[Int(v.index)].kind == .string else { return false }
        return stringEquals(Int(v.index), bytes)
    }

    public func string(_ v: Value, equals literal: StaticString) -> Bool {
        string(v, equals: UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    // MARK: - Internals

    @usableFromInline
    func stringEquals(_ i: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let n = nodes[i]
        if !n.hasEscapes {
            let len = Int(n.end - n.start)
            guard len == bytes.count else { return false }
            if len == 0 { return true }
            return memcmpEqual(buffer.baseAddress! + Int(n.start), bytes.baseAddress!, len)
        }
        var it = DecodedStringBytes(buffer: buffer, start: Int(n.start), end: Int(n.end))
        var j = 0
        while let b = it.next() {
            guard j < bytes.count, bytes[j] == b else { return false }
            j += 1
        }
        return j == bytes.count
    }

    func stringsEqual(_ a: Int, _ b: Int) -> Bool {
        let na = nodes[a], nb = nodes[b]
        if !na.hasEscapes {
            return stringEquals(b, UnsafeRawBufferPointer(rebasing: buffer[Int(na.start)..<Int(na.end)]))
        }
        if !nb.hasEscapes {
            return stringEquals(a, UnsafeRawBufferPointer(rebasing: buffer[Int(nb.start)..<Int(nb.end)]))
        }
        var ia = DecodedStringBytes(buffer: buffer, start: Int(na.start), end: Int(na.end))
        var ib = DecodedStringBytes(buffer: buffer, start: Int(nb.start), end: Int(nb.end))
        while true {
            let x = ia.next(), y = ib.next()
            if x != y { return false }
            if x == nil { return true }
        }
    }
}

@usableFromInline
func memcmpEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
    var i = 0
    while i + 8 <= n {
        if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
            return false
        }
        i += 8
    }
    while i < n {
        if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
        i += 1
    }
    return true
}

/// Yields the UTF-8 bytes of an already validated JSON string body, resolving escapes.
struct DecodedStringBytes: IteratorProtocol {
    let buffer: UnsafeRawBufferPointer
    var p: Int
    let end: Int
    var pending: UInt32 = 0  // up to three queued bytes, low byte first
    var pendingCount = 0

    init(buffer: UnsafeRawBufferPointer, start: Int, end: Int) {
        self.buffer = buffer
        self.p = start
        self.end = end
    }

    mutating func next() -> UInt8? {
        if pendingCount > 0 {
            let b = UInt8(truncatingIfNeeded: pending)
            pending >>= 8
            pendingCount -= 1
            return b
        }
        guard p < end else { return nil }
        let c = buffer[p]
        guard c == UInt8(ascii: "\\") else {
            p += 1
            return c
        }
        let e = buffer[p + 1]
        p += 2
        switch e {
        case UInt8(ascii: "b"): return 0x08
        case UInt8(ascii: "f"): return 0x0C
        case UInt8(ascii: "n"): return 0x0A
        case UInt8(ascii: "r"): return 0x0D
        case UInt8(ascii: "t"): return 0x09
        case UInt8(ascii: "u"): break
        default: return e  // " \ /
        }
        var scalar = JSONReader.hex4(buffer, at: p) ?? 0xFFFD
        p += 4
        if scalar >= 0xD800, scalar <= 0xDBFF, let low = JSONReader.hex4(buffer, at: p + 2) {
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            p += 6
        }
        switch scalar {
        case 0..<0x80:
            return UInt8(scalar)
        case 0x80..<0x800:
            pending = 0x80 | (scalar & 0x3F)
            pendingCount = 1
            return UInt8(0xC0 | (scalar >> 6))
        case 0x800..<0x10000:
            pending = (0x80 | ((scalar >> 6) & 0x3F)) | (0x80 | (scalar & 0x3F)) << 8
            pendingCount = 2
            return UInt8(0xE0 | (scalar >> 12))
        default:
            pending = (0x80 | ((scalar >> 12) & 0x3F)) | (0x80 | ((scalar >> 6) & 0x3F)) << 8
                | (0x80 | (scalar & 0x3F)) << 16
            pendingCount = 3
            return UInt8(0xF0 | (scalar >> 18))
        }
    }
}

extension JSONReader {
    /// The exact input text of a value (for strings, without the quotes).
    public func rawBytes(_ v: Value) -> UnsafeRawBufferPointer {
        let n = nodes[Int(v.index)]
        return UnsafeRawBufferPointer(rebasing: buffer[Int(n.start)..<Int(n.end)])
    }
}
