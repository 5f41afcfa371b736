/// UTF-8 well-formedness check (RFC 3629): no overlongs, surrogates, values above U+10FFFF or cut-short sequences.
@usableFromInline
enum CBORUTF8 {
    /// Offset of the first byte of the first ill-formed sequence, or nil if all is well-formed.
    static func firstInvalid(_ base: UnsafeRawPointer, from start: Int, to end: Int) -> Int? {
        var i = start
        while i < end {
            // ASCII fast path, eight bytes at a time.
            if end - i >= 8 {
                let word = (base + i).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 {
                    i += 8
                    continue
                }
            }
            let b0 = base.load(fromByteOffset: i, as: UInt8.self)
            if b0 < 0x80 {
                i += 1
                continue
            }
            let left = end - i
            @inline(__always) func byte(_ k: Int) -> UInt8 { base.load(fromByteOffset: i + k, as: UInt8.self) }
            @inline(__always) func isCont(_ b: UInt8) -> Bool { b & 0xC0 == 0x80 }
            switch b0 {
            case 0xC2...0xDF:
                guard left >= 2, isCont(byte(1)) else { return i }
                i += 2
            case 0xE0...0xEF:
                guard left >= 3 else { return i }
                let b1 = byte(1)
                let lower: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80  // overlong
                let upper: UInt8 = b0 == 0xED ? 0x9F : 0xBF  // surrogates
                guard b1 >= lower, b1 <= upper, isCont(byte(2)) else { return i }
                i += 3
            case 0xF0...0xF4:
                guard left >= 4 else { return i }
                let b1 = byte(1)
                let lower: UInt8 = b0 == 0xF0 ? 0x90 : 0x80  // overlong
                let upper: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF  // above U+10FFFF
                guard b1 >= lower, b1 <= upper, isCont(byte(2)), isCont(byte(3)) else { return i }
                i += 4
            default:
                return i  // continuation byte, C0/C1 (overlong) or F5...FF
            }
        }
        return nil
    }
}
