extension PublicKey {
    /// About how much memory the key costs while it is kept, measured on OpenSSL 3.0 (x86_64): P-256 ≈ 2.2 KB (an
    /// EC_KEY on its own copy of the curve's group, the EVP_PKEY sharing it and this object; RSS over 100,000 keys,
    /// `passkey-microbench --key-routes`; no verify context is kept for EC keys any more), the larger curves' groups a
    /// little more; Ed25519/Ed448 ≈ 0.65 KB, RSA ≈ 1.08 KB + the modulus size (2048: 1.34 KB, 4096: 1.6 KB, 8192:
    /// 2.15 KB) as measured for the previous EVP_PKEY_fromdata key with its verify context; the legacy RSA now built (no
    /// context; n's Montgomery context cached at the first verify) has not been re-measured and keeps that figure,
    /// plus this object. Caches bound themselves by this figure as well as by entry count.
    public var estimatedMemoryBytes: Int {
        let object = 160
        switch kind {
        case .ec(.p256), .ec(.secp256k1): return 2_100 + object
        case .ec: return 2_400 + object
        case .edwards: return 700 + object
        case let .rsa(bits): return 1_100 + (bits + 7) / 8 * 11 / 10 + object
        }
    }
}
