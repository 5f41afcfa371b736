internal import CPasskeyOpenSSL

/// Reads public components out of any EVP_PKEY (public or private).
enum KeyComponents {
    /// The algorithm family of an EVP_PKEY, as far as PasskeyCrypto supports it.
    enum Family {
        case ec(ECCurve)
        case rsa
        case edwards(EdwardsCurve)
    }

    static func family(of pkey: OpaquePointer) throws(CryptoError) -> Family {
        if EVP_PKEY_is_a(pkey, "EC") == 1 {
            var name = [CChar](repeating: 0, count: 80)
            var length = 0
            guard EVP_PKEY_get_group_name(pkey, &name, name.count, &length) == 1 else {
                throw CryptoError.openssl(.unsupported, "EC key without a named curve")
            }
            let groupName = String(decoding: name.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard let curve = ECCurve(groupName: groupName) else {
                throw CryptoError(.unsupported, "unsupported EC curve \(groupName)")
            }
            return .ec(curve)
        }
        if EVP_PKEY_is_a(pkey, "RSA") == 1 || EVP_PKEY_is_a(pkey, "RSA-PSS") == 1 {
            return .rsa
        }
        if EVP_PKEY_is_a(pkey, "ED25519") == 1 { return .edwards(.ed25519) }
        if EVP_PKEY_is_a(pkey, "ED448") == 1 { return .edwards(.ed448) }
        OpenSSLErrors.clear()
        throw CryptoError(.unsupported, "unsupported key type")
    }

    /// A BIGNUM parameter as big-endian bytes, left-padded to `width` if given.
    static func bignum(_ pkey: OpaquePointer, _ name: String, width: Int? = nil) throws(CryptoError) -> [UInt8] {
        var bn: OpaquePointer?
        guard EVP_PKEY_get_bn_param(pkey, name, &bn) == 1, let bn else {
            throw CryptoError.openssl(.invalidKey, "key has no parameter \(name)")
        }
        defer { BN_free(bn) }
        let natural = Int(passkey_bn_num_bytes(bn))
        let count = width ?? max(natural, 1)
        guard natural <= count else {
            throw CryptoError(.invalidKey, "key parameter \(name) is longer than \(count) bytes")
        }
        var out = [UInt8](repeating: 0, count: count)
        let written = out.withUnsafeMutableBufferPointer { BN_bn2binpad(bn, $0.baseAddress, Int32(count)) }
        guard written == Int32(count) else {
            throw CryptoError.openssl(.internalFailure, "cannot encode key parameter \(name)")
        }
        return out
    }

    /// Affine coordinates, each `curve.coordinateByteCount` bytes.
    static func ecCoordinates(_ pkey: OpaquePointer, curve: ECCurve) throws(CryptoError) -> (x: [UInt8], y: [UInt8]) {
        let width = curve.coordinateByteCount
        return (try bignum(pkey, OSSL_PKEY_PARAM_EC_PUB_X, width: width),
                try bignum(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, width: width))
    }

    static func rsaComponents(_ pkey: OpaquePointer) throws(CryptoError) -> (modulus: [UInt8], exponent: [UInt8]) {
        (try bignum(pkey, OSSL_PKEY_PARAM_RSA_N), try bignum(pkey, OSSL_PKEY_PARAM_RSA_E))
    }

    static func rawPublicKey(_ pkey: OpaquePointer, curve: EdwardsCurve) throws(CryptoError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: curve.publicKeyByteCount)
        var length = out.count
        guard EVP_PKEY_get_raw_public_key(pkey, &out, &length) == 1, length == out.count else {
            throw CryptoError.openssl(.invalidKey, "cannot read the \(curve) public key")
        }
        return out
    }
}
