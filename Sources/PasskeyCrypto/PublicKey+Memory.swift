extension PublicKey {
    /// About how much memory the key costs while it is kept: OpenSSL's key and one ready verify context, measured on
    /// OpenSSL 3.0 (x86_64): P-256 ≈ 2.75 KB, P-384 ≈ 2.95 KB, P-521 ≈ 2.8 KB, secp256k1 ≈ 2.6 KB, Ed25519/Ed448
    /// ≈ 0.65 KB, RSA ≈ 1.08 KB + the modulus size (2048: 1.34 KB, 4096: 1.6 KB, 8192: 2.15 KB), plus this object.
    /// Caches bound themselves by this figure as well as by entry count.
    public var estimatedMemoryBytes: Int {
        let object = 160
        switch kind {
        case .ec: return 3_000 + object
        case .edwards: return 700 + object
        case let .rsa(bits): return 1_100 + (bits + 7) / 8 * 11 / 10 + object
        }
    }
}
