internal import CPasskeyOpenSSL

/// A short-Weierstrass curve supported for ECDSA. All of them have cofactor 1.
public enum ECCurve: Sendable, Hashable, CaseIterable {
    case p256, p384, p521, secp256k1

    /// Bytes in one affine coordinate (and in a scalar): 32, 48, 66, 32.
    public var coordinateByteCount: Int {
        switch self {
        case .p256, .secp256k1: 32
        case .p384: 48
        case .p521: 66
        }
    }

    /// The group order n, big-endian, without leading zero bytes.
    public var order: [UInt8] {
        switch self {
        case .p256: Self.p256Order
        case .p384: Self.p384Order
        case .p521: Self.p521Order
        case .secp256k1: Self.secp256k1Order
        }
    }

    var shimID: Int32 {
        switch self {
        case .p256: PASSKEY_CURVE_P256
        case .p384: PASSKEY_CURVE_P384
        case .p521: PASSKEY_CURVE_P521
        case .secp256k1: PASSKEY_CURVE_SECP256K1
        }
    }

    /// Maps an OpenSSL group name (short name or NIST name) to a curve.
    init?(groupName: String) {
        switch groupName {
        case "prime256v1", "P-256", "secp256r1": self = .p256
        case "secp384r1", "P-384": self = .p384
        case "secp521r1", "P-521": self = .p521
        case "secp256k1": self = .secp256k1
        default: return nil
        }
    }

    private static let p256Order = hexBytes(
        "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551")
    private static let p384Order = hexBytes(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973")
    private static let p521Order = hexBytes(
        "01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFA"
            + "51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386409")
    private static let secp256k1Order = hexBytes(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141")
}

/// Decodes a compile-time hex constant (even length, hex digits only).
private func hexBytes(_ hex: String) -> [UInt8] {
    let digits = Array(hex.utf8)
    precondition(digits.count % 2 == 0, "odd hex constant")
    func nibble(_ c: UInt8) -> UInt8 {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        default: preconditionFailure("bad hex constant")
        }
    }
    var bytes = [UInt8]()
    bytes.reserveCapacity(digits.count / 2)
    var i = 0
    while i < digits.count {
        bytes.append(nibble(digits[i]) << 4 | nibble(digits[i + 1]))
        i += 2
    }
    var start = 0
    while start < bytes.count - 1, bytes[start] == 0 { start += 1 }
    return Array(bytes[start...])
}
