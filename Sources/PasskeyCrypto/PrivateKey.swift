internal import CPasskeyOpenSSL

/// A private key for signing (software authenticators, test CAs, benchmark corpora).
///
/// Sendable: the EVP_PKEY is never mutated after construction and every signing operation
/// uses its own EVP_MD_CTX / EVP_PKEY_CTX.
public final class PrivateKey: @unchecked Sendable {
    public enum PublicComponents: Sendable, Hashable {
        case ec(ECCurve, x: [UInt8], y: [UInt8])
        case rsa(modulus: [UInt8], exponent: [UInt8])
        case edwards(EdwardsCurve, [UInt8])
    }

    let pkey: OpaquePointer
    /// The public half as a validated, public-only key.
    public let publicKey: PublicKey
    /// The public half's raw components.
    public let publicComponents: PublicComponents

    /// Takes ownership of a private `pkey`.
    init(adopting pkey: OpaquePointer) throws(CryptoError) {
        do throws(CryptoError) {
            switch try KeyComponents.family(of: pkey) {
            case .ec(let curve):
                let (x, y) = try KeyComponents.ecCoordinates(pkey, curve: curve)
                publicComponents = .ec(curve, x: x, y: y)
                publicKey = try .ec(curve: curve, x: x, y: y)
            case .rsa:
                let (n, e) = try KeyComponents.rsaComponents(pkey)
                publicComponents = .rsa(modulus: n, exponent: e)
                publicKey = try .rsa(modulus: n, exponent: e, minimumModulusBits: 512)
            case .edwards(let curve):
                let raw = try KeyComponents.rawPublicKey(pkey, curve: curve)
                publicComponents = .edwards(curve, raw)
                publicKey = try .edwards(curve: curve, publicKey: raw)
            }
        } catch {
            EVP_PKEY_free(pkey)
            throw error
        }
        self.pkey = pkey
    }

    deinit { EVP_PKEY_free(pkey) }

    public static func generateEC(_ curve: ECCurve) throws(CryptoError) -> PrivateKey {
        try generate(algorithm: "EC") { ctx in
            EVP_PKEY_CTX_set_group_name(ctx, passkey_ec_group_name(curve.shimID)) == 1
        }
    }

    public static func generateRSA(bits: Int, exponent: UInt32 = 65537) throws(CryptoError) -> PrivateKey {
        guard bits >= 512, bits <= PublicKey.maximumRSAModulusBits else {
            throw CryptoError(.unsupported, "RSA key size \(bits) is out of range")
        }
        return try generate(algorithm: "RSA") { ctx in
            guard EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, Int32(bits)) == 1, let e = BN_new() else { return false }
            defer { BN_free(e) }
            return BN_set_word(e, UInt(exponent)) == 1 && EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx, e) == 1
        }
    }

    public static func generateEdwards(_ curve: EdwardsCurve) throws(CryptoError) -> PrivateKey {
        try generate(algorithm: curve.opensslName) { _ in true }
    }

    private static func generate(algorithm: String, configure: (OpaquePointer) -> Bool) throws(CryptoError) -> PrivateKey {
        guard let ctx = EVP_PKEY_CTX_new_from_name(nil, algorithm, nil) else {
            throw CryptoError.openssl(.unsupported, "OpenSSL has no \(algorithm) key generation")
        }
        defer { EVP_PKEY_CTX_free(ctx) }
        var pkey: OpaquePointer?
        guard EVP_PKEY_keygen_init(ctx) == 1, configure(ctx), EVP_PKEY_generate(ctx, &pkey) == 1, let pkey else {
            throw CryptoError.openssl(.internalFailure, "\(algorithm) key generation failed")
        }
        return try PrivateKey(adopting: pkey)
    }
}
