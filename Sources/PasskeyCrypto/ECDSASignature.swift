/// Strict checks on DER-encoded ECDSA signatures, done before OpenSSL sees them.
public enum ECDSASignature {
    /// Strict DER check of Ecdsa-Sig-Value: SEQUENCE { INTEGER r, INTEGER s }, definite
    /// minimal lengths, minimal positive INTEGERs, no trailing bytes, 0 < r,s < curve order n.
    /// High-S values are accepted. Returns nil if fine, else a reason string.
    public static func validate(der: UnsafeRawBufferPointer, curve: ECCurve) -> String? {
        // Largest valid encoding: two INTEGERs of (order length + 1 pad byte) with 2-byte headers,
        // inside a SEQUENCE whose header is 2 bytes, or 3 once the content needs the long form.
        let maximumContent = 2 * (2 + curve.order.count + 1)
        let maximumLength = (maximumContent < 0x80 ? 2 : 3) + maximumContent
        guard der.count <= maximumLength else {
            return "ECDSA signature is \(der.count) bytes; at most \(maximumLength) for \(curve)"
        }
        guard der.count >= 8 else { return "ECDSA signature is too short (\(der.count) bytes)" }
        guard der[0] == 0x30 else { return "ECDSA signature does not start with a SEQUENCE tag" }

        var index = 1
        let contentLength: Int
        switch der[1] {
        case 0..<0x80:
            contentLength = Int(der[1])
            index = 2
        case 0x81:
            contentLength = Int(der[2])
            guard contentLength >= 0x80 else {
                return "ECDSA signature SEQUENCE uses a long-form length where the short form is required"
            }
            index = 3
        case 0x80:
            return "ECDSA signature SEQUENCE has an indefinite length"
        default:
            return "ECDSA signature SEQUENCE length is not minimally encoded"
        }
        let end = index + contentLength
        if end < der.count { return "trailing bytes after the ECDSA signature SEQUENCE" }
        if end > der.count { return "ECDSA signature SEQUENCE is truncated" }

        if let reason = checkInteger(der, &index, end: end, name: "r", order: curve.order) { return reason }
        if let reason = checkInteger(der, &index, end: end, name: "s", order: curve.order) { return reason }
        guard index == end else { return "trailing bytes inside the ECDSA signature SEQUENCE" }
        return nil
    }

    /// Convenience over a byte array.
    public static func validate(der: [UInt8], curve: ECCurve) -> String? {
        der.withUnsafeBytes { validate(der: $0, curve: curve) }
    }

    /// Checks one INTEGER at `index` (advanced past it): minimal, positive, non-zero, < order.
    private static func checkInteger(_ der: UnsafeRawBufferPointer, _ index: inout Int, end: Int,
                                     name: String, order: [UInt8]) -> String? {
        guard index + 2 <= end else { return "ECDSA signature is missing INTEGER \(name)" }
        guard der[index] == 0x02 else { return "ECDSA signature \(name) is not an INTEGER" }
        let lengthByte = der[index + 1]
        guard lengthByte < 0x80 else {
            return "ECDSA signature INTEGER \(name) uses a long-form length where the short form is required"
        }
        let length = Int(lengthByte)
        let start = index + 2
        guard length > 0 else { return "ECDSA signature INTEGER \(name) is empty" }
        guard start + length <= end else { return "ECDSA signature INTEGER \(name) overruns the SEQUENCE" }
        let content = UnsafeRawBufferPointer(rebasing: der[start..<(start + length)])
        index = start + length

        if content[0] & 0x80 != 0 { return "ECDSA signature INTEGER \(name) is negative" }
        if content[0] == 0, length > 1, content[1] & 0x80 == 0 {
            return "ECDSA signature INTEGER \(name) is not minimally encoded"
        }
        let magnitude = BigEndian.stripped(content)
        if magnitude.isEmpty { return "ECDSA signature \(name) is zero" }
        let below = order.withUnsafeBytes { BigEndian.compare(stripped: magnitude, $0) < 0 }
        guard below else { return "ECDSA signature \(name) is not less than the curve order" }
        return nil
    }
}

extension ECDSASignature {
    /// The DER `ECDSA-Sig-Value` of a raw JOSE ECDSA signature `r || s` (RFC 7518 §3.4: each half the curve's
    /// coordinate size), or nil when its length is not twice `coordinateBytes`. JWS (SafetyNet, FIDO metadata) writes
    /// the raw form; OpenSSL verifies DER.
    public static func der(raw: [UInt8], coordinateBytes: Int) -> [UInt8]? {
        guard coordinateBytes > 0, raw.count == 2 * coordinateBytes else { return nil }
        func length(_ n: Int) -> [UInt8] {
            if n < 0x80 { return [UInt8(n)] }
            if n <= 0xFF { return [0x81, UInt8(n)] }
            return [0x82, UInt8(n >> 8), UInt8(n & 0xFF)]
        }
        func integer(_ half: ArraySlice<UInt8>) -> [UInt8] {
            var v = Array(half.drop { $0 == 0 })
            if v.isEmpty { v = [0] }
            if v[0] & 0x80 != 0 { v.insert(0, at: 0) }
            return [0x02] + length(v.count) + v
        }
        let body = integer(raw[..<raw.index(raw.startIndex, offsetBy: coordinateBytes)])
            + integer(raw[raw.index(raw.startIndex, offsetBy: coordinateBytes)...])
        return [0x30] + length(body.count) + body
    }
}
