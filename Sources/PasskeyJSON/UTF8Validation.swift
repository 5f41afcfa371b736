/// UTF-8 well-formedness (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
@usableFromInline
enum UTF8Validation {
    /// Length of the well-formed multi-byte sequence starting at `p` (whose first byte is ≥ 0x80), or nil.
    @usableFromInline
    static func sequenceLength(_ b: UnsafeRawBufferPointer, at p: Int) -> Int? {
        let c0 = b[p]
        let remaining = b.count - p
        @inline(__always) func cont(_ i: Int) -> Bool { b[p + i] & 0xC0 == 0x80 }
        switch c0 {
        case 0xC2...0xDF:
            return remaining >= 2 && cont(1) ? 2 : nil
        case 0xE0...0xEF:
            guard remaining >= 3, cont(1), cont(2) else { return nil }
            let c1 = b[p + 1]
            if c0 == 0xE0, c1 < 0xA0 { return nil }  // overlong
            if c0 == 0xED, c1 > 0x9F { return nil }  // surrogates
            return 3
        case 0xF0...0xF4:
            guard remaining >= 4, cont(1), cont(2), cont(3) else { return nil }
            let c1 = b[p + 1]
            if c0 == 0xF0, c1 < 0x90 { return nil }  // overlong
            if c0 == 0xF4, c1 > 0x8F { return nil }  // above U+10FFFF
            return 4
        default:
            return nil
        }
    }
}
