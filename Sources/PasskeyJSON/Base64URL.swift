/// Base64url (RFC 4648 §5) without allocation on the decode path.
///
/// Decoding is strict: only the URL-safe alphabet, no whitespace, a length that is not 1 mod 4, and unused trailing bits
/// that are zero (so every byte string has exactly one accepted spelling). Padding is refused unless `allowPadding` is set,
/// and then it must be exactly right.
public enum Base64URL {
    /// Upper bound of the decoded size for an encoded length (exact when there is no padding).
    @inlinable
    public static func maximumDecodedCount(encodedCount n: Int) -> Int { (n / 4) * 3 + max(0, (n % 4) - 1) }

    @usableFromInline
    static let decodeTable: [UInt8] = {
        var t = [UInt8](repeating: 0xFF, count: 256)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        for (i, c) in alphabet.enumerated() { t[Int(c)] = UInt8(i) }
        return t
    }()

    @usableFromInline
    static let encodeTable: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Decodes `input` into `output`; returns the number of bytes written, or nil if `input` is not canonical base64url
    /// or `output` is too small.
    public static func decode(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, allowPadding: Bool = false
    ) -> Int? {
        var n = input.count
        if allowPadding, n % 4 == 0, n > 0 {
            if input[n - 1] == UInt8(ascii: "=") { n -= 1 }
            if input[n - 1] == UInt8(ascii: "=") { n -= 1 }
        }
        if n % 4 == 1 { return nil }
        let outCount = maximumDecodedCount(encodedCount: n)
        guard outCount <= output.count else { return nil }
        return decodeTable.withUnsafeBufferPointer { table -> Int? in
            var i = 0
            var o = 0
            while i + 4 <= n {
                let a = table[Int(input[i])], b = table[Int(input[i + 1])]
                let c = table[Int(input[i + 2])], d = table[Int(input[i + 3])]
                guard (a | b | c | d) & 0xC0 == 0 else { return nil }
                let v = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                output[o] = UInt8(truncatingIfNeeded: v >> 16)
                output[o + 1] = UInt8(truncatingIfNeeded: v >> 8)
                output[o + 2] = UInt8(truncatingIfNeeded: v)
                i += 4
                o += 3
            }
            switch n - i {
            case 0:
                return o
            case 2:
                let a = table[Int(input[i])], b = table[Int(input[i + 1])]
                guard (a | b) & 0xC0 == 0, b & 0x0F == 0 else { return nil }
                output[o] = a << 2 | b >> 4
                return o + 1
            case 3:
                let a = table[Int(input[i])], b = table[Int(input[i + 1])], c = table[Int(input[i + 2])]
                guard (a | b | c) & 0xC0 == 0, c & 0x03 == 0 else { return nil }
                output[o] = a << 2 | b >> 4
                output[o + 1] = (b & 0x0F) << 4 | c >> 2
                return o + 2
            default:
                return nil
            }
        }
    }

    /// Decodes into a new array (for non-hot paths: configuration, the CLI, tests).
    public static func decode(_ string: String, allowPadding: Bool = false) -> [UInt8]? {
        var s = string
        return s.withUTF8 { utf8 in
            decode(UnsafeRawBufferPointer(utf8), allowPadding: allowPadding)
        }
    }

    public static func decode(_ input: UnsafeRawBufferPointer, allowPadding: Bool = false) -> [UInt8]? {
        let cap = maximumDecodedCount(encodedCount: input.count)
        var written: Int? = nil
        let bytes = [UInt8](unsafeUninitializedCapacity: cap) { buffer, count in
            written = decode(input, into: UnsafeMutableRawBufferPointer(buffer), allowPadding: allowPadding)
            count = written ?? 0
        }
        return written == nil ? nil : bytes
    }

    /// Encodes without padding.
    public static func encode(_ bytes: UnsafeRawBufferPointer) -> String {
        let n = bytes.count
        let outCount = (n / 3) * 4 + (n % 3 == 0 ? 0 : n % 3 + 1)
        return String(unsafeUninitializedCapacity: outCount) { out in
            encodeTable.withUnsafeBufferPointer { t in
                var i = 0, o = 0
                while i + 3 <= n {
                    let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
                    out[o] = t[Int(v >> 18)]
                    out[o + 1] = t[Int(v >> 12 & 0x3F)]
                    out[o + 2] = t[Int(v >> 6 & 0x3F)]
                    out[o + 3] = t[Int(v & 0x3F)]
                    i += 3
                    o += 4
                }
                if n - i == 1 {
                    let v = UInt32(bytes[i]) << 16
                    out[o] = t[Int(v >> 18)]
                    out[o + 1] = t[Int(v >> 12 & 0x3F)]
                    o += 2
                } else if n - i == 2 {
                    let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
                    out[o] = t[Int(v >> 18)]
                    out[o + 1] = t[Int(v >> 12 & 0x3F)]
                    out[o + 2] = t[Int(v >> 6 & 0x3F)]
                    o += 3
                }
            }
            return outCount
        }
    }

    public static func encode(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { encode($0) }
    }
}
