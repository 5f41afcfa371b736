/// Standard base64 (RFC 4648 §4), strict: the padded form only (length a multiple of 4, exact padding), no
/// whitespace, unused bits zero — one spelling per byte string, like `Base64URL`. For certificates in JWS `x5c`
/// headers, SafetyNet nonces and FIDO metadata.
public enum Base64 {
    /// The bytes of canonical padded standard base64; nil for anything else.
    public static func decode(_ input: UnsafeRawBufferPointer) -> [UInt8]? {
        guard input.count % 4 == 0 else { return nil }
        // Map the standard alphabet onto base64url's and let its strict decoder do the rest; '-' and '_' are not
        // standard base64, so they are refused first.
        var mapped = [UInt8](repeating: 0, count: input.count)
        for i in 0..<input.count {
            switch input[i] {
            case UInt8(ascii: "-"), UInt8(ascii: "_"): return nil
            case UInt8(ascii: "+"): mapped[i] = UInt8(ascii: "-")
            case UInt8(ascii: "/"): mapped[i] = UInt8(ascii: "_")
            case let c: mapped[i] = c
            }
        }
        return mapped.withUnsafeBytes { Base64URL.decode($0, allowPadding: true) }
    }

    public static func decode(_ string: String) -> [UInt8]? {
        var s = string
        return s.withUTF8 { decode(UnsafeRawBufferPointer($0)) }
    }

    /// Padded standard base64.
    public static func encode(_ bytes: [UInt8]) -> String {
        var s = String(Base64URL.encode(bytes).map { c -> Character in
            switch c {
            case "-": "+"
            case "_": "/"
            default: c
            }
        })
        while s.utf8.count % 4 != 0 { s += "=" }
        return s
    }
}
