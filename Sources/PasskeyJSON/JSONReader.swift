/// A strict JSON (RFC 8259) reader over borrowed bytes that records the document as flat nodes.
///
/// One pass validates the whole text — UTF-8, grammar, string escapes (lone surrogates refused), nesting depth, and
/// duplicate member names in every object (compared after unescaping, so `"a"` and `"\u0061"` collide) — and appends one
/// `Node` per value (object members contribute a key node followed by the value's subtree). Nothing is copied: strings are
/// ranges of the input. The node array is kept between parses, so a reader reused per thread allocates nothing in steady state.
///
/// The caller keeps the parsed bytes alive while using the reader.
public struct JSONReader {
    public struct Limits: Sendable {
        public var maxDepth: Int
        public var maxNodes: Int
        public var maxMembersPerObject: Int
        public static let `default` = Limits(maxDepth: 32, maxNodes: 8192, maxMembersPerObject: 256)
        public init(maxDepth: Int, maxNodes: Int, maxMembersPerObject: Int) {
            self.maxDepth = maxDepth
            self.maxNodes = maxNodes
            self.maxMembersPerObject = maxMembersPerObject
        }
    }

    public enum Kind: UInt8, Sendable { case object, array, string, number, `true`, `false`, null }

    @usableFromInline
    struct Node {
        @usableFromInline var kind: Kind
        @usableFromInline var hasEscapes: Bool
        /// Strings: first content byte (after the quote). Others: first byte.
        @usableFromInline var start: Int32
        /// Strings: the closing quote. Others: one past the last byte.
        @usableFromInline var end: Int32
        /// Index of the node after this value's subtree.
        @usableFromInline var next: Int32
        /// Objects: member count; arrays: element count.
        @usableFromInline var count: Int32
    }

    public let limits: Limits
    @usableFromInline var nodes: [Node] = []
    /// Scratch for the duplicate-name check of large objects (kept between parses, like `nodes`).
    var nameScratch: [NameRecord] = []
    /// Work done by duplicate-name checks since the reader was made (tests assert it stays linear).
    var nameCheckWork = NameCheckWork()
    @usableFromInline var buffer = UnsafeRawBufferPointer(start: nil, count: 0)
    private var position = 0

    public init(limits: Limits = .default) {
        self.limits = limits
        nodes.reserveCapacity(64)
    }

    /// A value in the last parsed document.
    public struct Value: Sendable, Hashable {
        @usableFromInline let index: Int32
        @usableFromInline init(index: Int32) { self.index = index }
    }

    /// Parses `bytes` as one JSON text (surrounding whitespace allowed, nothing else). The previous document is forgotten.
    public mutating func parse(_ bytes: UnsafeRawBufferPointer) throws(JSONError) -> Value {
        guard bytes.count < Int(Int32.max) else { throw JSONError("document too large", at: 0) }
        buffer = bytes
        position = 0
        nodes.removeAll(keepingCapacity: true)
        skipWhitespace()
        try parseValue(depth: 1)
        skipWhitespace()
        if position != buffer.count { throw JSONError("trailing bytes after the JSON value", at: position) }
        return Value(index: 0)
    }

    // MARK: - Parsing

    @inline(__always)
    private func peek() -> UInt8? { position < buffer.count ? buffer[position] : nil }

    @inline(__always)
    private mutating func skipWhitespace() {
        while position < buffer.count {
            switch buffer[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private mutating func appendNode(_ kind: Kind, start: Int) throws(JSONError) -> Int {
        guard nodes.count < limits.maxNodes else { throw JSONError("more than \(limits.maxNodes) values", at: start) }
        nodes.append(Node(kind: kind, hasEscapes: false, start: Int32(start), end: Int32(start), next: 0, count: 0))
        return nodes.count - 1
    }

    private mutating func parseValue(depth: Int) throws(JSONError) {
        guard let c = peek() else { throw JSONError("unexpected end of input, a value was expected", at: position) }
        switch c {
        case UInt8(ascii: "{"): try parseObject(depth: depth)
        case UInt8(ascii: "["): try parseArray(depth: depth)
        case UInt8(ascii: "\""): try parseString()
        case UInt8(ascii: "t"): try parseLiteral("true", .true)
        case UInt8(ascii: "f"): try parseLiteral("false", .false)
        case UInt8(ascii: "n"): try parseLiteral("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try parseNumber()
        default: throw JSONError("unexpected byte 0x\(String(c, radix: 16)), a value was expected", at: position)
        }
    }

    private mutating func parseLiteral(_ word: StaticString, _ kind: Kind) throws(JSONError) {
        let start = position
        let n = word.utf8CodeUnitCount
        guard buffer.count - position >= n else { throw JSONError("truncated literal", at: start) }
        for i in 0..<n where buffer[position + i] != word.utf8Start[i] {
            throw JSONError("invalid literal", at: start)
        }
        position += n
        let idx = try appendNode(kind, start: start)
        nodes[idx].end = Int32(position)
        nodes[idx].next = Int32(nodes.count)
    }

    private mutating func parseNumber() throws(JSONError) {
        let start = position
        func digits(_ p: inout Int, _ b: UnsafeRawBufferPointer) -> Int {
            let s = p
            while p < b.count, b[p] >= 0x30, b[p] <= 0x39 { p += 1 }
            return p - s
        }
        var p = position
        if buffer[p] == UInt8(ascii: "-") { p += 1 }
        guard p < buffer.count, buffer[p] >= 0x30, buffer[p] <= 0x39 else { throw JSONError("invalid number", at: start) }
        if buffer[p] == UInt8(ascii: "0") {
            p += 1
            if p < buffer.count, buffer[p] >= 0x30, buffer[p] <= 0x39 {
                throw JSONError("number with a leading zero", at: start)
            }
        } else {
            _ = digits(&p, buffer)
        }
        if p < buffer.count, buffer[p] == UInt8(ascii: ".") {
            p += 1
            guard digits(&p, buffer) > 0 else { throw JSONError("invalid number fraction", at: start) }
        }
        if p < buffer.count, buffer[p] | 0x20 == UInt8(ascii: "e") {
            p += 1
            if p < buffer.count, buffer[p] == UInt8(ascii: "+") || buffer[p] == UInt8(ascii: "-") { p += 1 }
            guard digits(&p, buffer) > 0 else { throw JSONError("invalid number exponent", at: start) }
        }
        position = p
        let idx = try appendNode(.number, start: start)
        nodes[idx].end = Int32(p)
        nodes[idx].next = Int32(nodes.count)
    }

    private mutating func parseString() throws(JSONError) {
        let open = position
        position += 1
        let idx = try appendNode(.string, start: position)
        var escapes = false
        while true {
            guard position < buffer.count else { throw JSONError("unterminated string", at: open) }
            let c = buffer[position]
            if c == UInt8(ascii: "\"") { break }
            if c < 0x20 { throw JSONError("unescaped control character in string", at: position) }
            if c == UInt8(ascii: "\\") {
                escapes = true
                try scanEscape()
            } else if c < 0x80 {
                position += 1
            } else {
                guard let n = UTF8Validation.sequenceLength(buffer, at: position) else {
                    throw JSONError("invalid UTF-8 in string", at: position)
                }
                position += n
            }
        }
        nodes[idx].end = Int32(position)
        nodes[idx].hasEscapes = escapes
        nodes[idx].next = Int32(nodes.count)
        position += 1
    }

    private mutating func scanEscape() throws(JSONError) {
        let at = position
        guard position + 1 < buffer.count else { throw JSONError("truncated escape", at: at) }
        switch buffer[position + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            position += 2
        case UInt8(ascii: "u"):
            guard let u = JSONReader.hex4(buffer, at: position + 2) else { throw JSONError("invalid \\u escape", at: at) }
            position += 6
            if u >= 0xDC00, u <= 0xDFFF { throw JSONError("lone low surrogate", at: at) }
            if u >= 0xD800, u <= 0xDBFF {
                guard position + 1 < buffer.count, buffer[position] == UInt8(ascii: "\\"),
                    buffer[position + 1] == UInt8(ascii: "u"),
                    let low = JSONReader.hex4(buffer, at: position + 2), low >= 0xDC00, low <= 0xDFFF
                else { throw JSONError("lone high surrogate", at: at) }
                position += 6
            }
        default:
            throw JSONError("invalid escape", at: at)
        }
    }

    @usableFromInline
    static func hex4(_ b: UnsafeRawBufferPointer, at p: Int) -> UInt32? {
        guard p + 4 <= b.count else { return nil }
        var v: UInt32 = 0
        for i in 0..<4 {
            let c = b[p + i]
            let d: UInt8
            switch c {
            case 0x30...0x39: d = c - 0x30
            case 0x41...0x46: d = c - 0x41 + 10
            case 0x61...0x66: d = c - 0x61 + 10
            default: return nil
            }
            v = v << 4 | UInt32(d)
        }
        return v
    }

    private mutating func parseArray(depth: Int) throws(JSONError) {
        guard depth <= limits.maxDepth else { throw JSONError("nesting deeper than \(limits.maxDepth)", at: position) }
        let idx = try appendNode(.array, start: position)
        position += 1
        skipWhitespace()
        var count: Int32 = 0
        if peek() == UInt8(ascii: "]") {
            position += 1
        } else {
            while true {
                skipWhitespace()
                try parseValue(depth: depth + 1)
                count += 1
                skipWhitespace()
                guard let c = peek() else { throw JSONError("unterminated array", at: position) }
                position += 1
                if c == UInt8(ascii: "]") { break }
                guard c == UInt8(ascii: ",") else { throw JSONError("expected ',' or ']'", at: position - 1) }
            }
        }
        nodes[idx].end = Int32(position)
        nodes[idx].next = Int32(nodes.count)
        nodes[idx].count = count
    }

    private mutating func parseObject(depth: Int) throws(JSONError) {
        guard depth <= limits.maxDepth else { throw JSONError("nesting deeper than \(limits.maxDepth)", at: position) }
        let idx = try appendNode(.object, start: position)
        position += 1
        skipWhitespace()
        var count: Int32 = 0
        if peek() == UInt8(ascii: "}") {
            position += 1
        } else {
            while true {
                skipWhitespace()
                guard peek() == UInt8(ascii: "\"") else { throw JSONError("expected a member name", at: position) }
                let keyAt = position
                try parseString()
                count += 1
                guard Int(count) <= limits.maxMembersPerObject else {
                    throw JSONError("more than \(limits.maxMembersPerObject) members in an object", at: keyAt)
                }
                skipWhitespace()
                guard peek() == UInt8(ascii: ":") else { throw JSONError("expected ':'", at: position) }
                position += 1
                skipWhitespace()
                try parseValue(depth: depth + 1)
                skipWhitespace()
                guard let c = peek() else { throw JSONError("unterminated object", at: position) }
                position += 1
                if c == UInt8(ascii: "}") { break }
                guard c == UInt8(ascii: ",") else { throw JSONError("expected ',' or '}'", at: position - 1) }
            }
        }
        nodes[idx].end = Int32(position)
        nodes[idx].next = Int32(nodes.count)
        nodes[idx].count = count
        // Duplicate names, compared after unescaping, once the object is complete.
        if count > 1, let second = firstRepeatedName(object: idx, count: Int(count)) {
            throw JSONError("duplicate member name", at: Int(nodes[second].start) - 1)
        }
    }
}
