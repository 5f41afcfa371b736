/// Hex helpers for configuration and output.
public enum Hex {
    /// Hex digits (either case) as bytes; nil for an odd length or a non-hex character.
    public static func decode(_ s: String) -> [UInt8]? { decode(Array(s.utf8)) }

    public static func decode(_ u: [UInt8]) -> [UInt8]? {
        guard u.count % 2 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(u.count / 2)
        var i = 0
        while i < u.count {
            guard let hi = nibble(u[i]), let lo = nibble(u[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    public static func encode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x41 + 10
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }
}

/// UUIDs in their 8-4-4-4-12 hex spelling (AAGUIDs in requests, verdicts, messages and metadata).
public enum UUIDText {
    /// Either case, exactly 36 characters; nil otherwise.
    public static func parse(_ text: String) -> [UInt8]? { parse(Array(text.utf8)) }

    public static func parse(_ text: [UInt8]) -> [UInt8]? {
        guard text.count == 36, text[8] == 0x2D, text[13] == 0x2D, text[18] == 0x2D, text[23] == 0x2D else { return nil }
        var digits = text
        digits.removeAll { $0 == 0x2D }
        guard digits.count == 32 else { return nil }
        return Hex.decode(digits)
    }

    /// Lower case 8-4-4-4-12 for 16 bytes; plain hex for any other length.
    public static func format(_ bytes: [UInt8]) -> String {
        let h = Array(Hex.encode(bytes).utf8)
        guard h.count == 32 else { return String(decoding: h, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for (i, c) in h.enumerated() {
            if i == 8 || i == 12 || i == 16 || i == 20 { out.append(0x2D) }
            out.append(c)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
