internal import CPasskeyOpenSSL

extension SignatureVerifier {
    /// Verifies `signature` over message = part1 || part2 (WebAuthn: authenticatorData ||
    /// clientDataHash). Pre-hash schemes stream both parts into the digest; EdDSA copies them
    /// into a reusable scratch buffer. A scheme that does not fit the key is `.invalidSignature`.
    public func verify(signature: UnsafeRawBufferPointer, part1: UnsafeRawBufferPointer,
                       part2: UnsafeRawBufferPointer, key: PublicKey, scheme: SignatureScheme) -> VerificationOutcome {
        guard let hash = scheme.hash else {
            return verifyEdDSA(signature: signature, part1: part1, part2: part2, key: key)
        }
        guard let out = digestScratch.baseAddress, digests.digest(hash, part1, part2, into: out) else {
            return .invalidSignature
        }
        let digest = UnsafeRawBufferPointer(start: out, count: hash.digestByteCount)
        return verify(signature: signature, digest: digest, key: key, scheme: scheme)
    }

    /// Verifies against an already computed digest (ECDSA and RSA schemes only; EdDSA and a
    /// digest whose length differs from the scheme's hash give `.invalidSignature`).
    public func verify(signature: UnsafeRawBufferPointer, digest: UnsafeRawBufferPointer,
                       key: PublicKey, scheme: SignatureScheme) -> VerificationOutcome {
        switch (scheme, key.kind) {
        case (.ecdsa(let hash), .ec(let curve)):
            guard digest.count == hash.digestByteCount else { return .invalidSignature }
            if let reason = ECDSASignature.validate(der: signature, curve: curve) {
                return .malformedSignature(reason)
            }
        case (.rsaPKCS1v15(let hash), .rsa), (.rsaPSS(let hash), .rsa):
            guard digest.count == hash.digestByteCount else { return .invalidSignature }
            guard signature.count == key.rsaModulusByteCount else {
                return .malformedSignature("RSA signature is \(signature.count) bytes; the modulus is \(key.rsaModulusByteCount)")
            }
        default:
            return .invalidSignature
        }
        return verifyPrehashed(signature: signature, digest: digest, key: key, scheme: scheme)
    }

    /// Convenience over byte arrays: verifies `signature` over `message`.
    public func verify(signature: [UInt8], message: [UInt8], key: PublicKey, scheme: SignatureScheme) -> VerificationOutcome {
        signature.withUnsafeBytes { sig in
            message.withUnsafeBytes { msg in
                verify(signature: sig, part1: msg, part2: UnsafeRawBufferPointer(start: nil, count: 0), key: key, scheme: scheme)
            }
        }
    }

    /// ECDSA: `ECDSA_verify` on the key's EC_KEY (no context, no provider dispatch; see `PublicKey.ec`).
    /// RSA: `RSA_verify` (PKCS#1 v1.5) or the PSS check on the key's RSA (see `PublicKey.rsa`); an RSA key
    /// without one would fall back to EVP_PKEY_verify on a pooled context of the key (a context whose verify
    /// failed is freed rather than reused). The error queue is cleared after a failure.
    private func verifyPrehashed(signature: UnsafeRawBufferPointer, digest: UnsafeRawBufferPointer,
                                 key: PublicKey, scheme: SignatureScheme) -> VerificationOutcome {
        if case .ecdsa = scheme, let ecKey = key.ecKey {
            if passkey_ecdsa_verify(digest.bytePointer, digest.count, signature.bytePointer, signature.count, ecKey) == 1 {
                return .valid
            }
            OpenSSLErrors.clear()
            return .invalidSignature
        }
        if let rsaKey = key.rsaKey, let hash = scheme.hash {
            let pss: Int32 = if case .rsaPSS = scheme { 1 } else { 0 }
            if passkey_rsa_verify(rsaKey, pss, hash.md, digest.bytePointer, digest.count,
                                  signature.bytePointer, signature.count) == 1 {
                return .valid
            }
            OpenSSLErrors.clear()
            return .invalidSignature
        }
        guard let ctx = key.contexts.acquire(pkey: key.pkey, scheme: scheme) else { return .invalidSignature }
        let rc = EVP_PKEY_verify(ctx, signature.bytePointer, signature.count, digest.bytePointer, digest.count)
        if rc == 1 {
            key.contexts.release(ctx, scheme: scheme)
            return .valid
        }
        key.contexts.discard(ctx)
        OpenSSLErrors.clear()
        return .invalidSignature
    }

    /// One-shot pure EdDSA over part1 || part2 on a reset EVP_MD_CTX (never reused across keys
    /// without a reset: OpenSSL 3.0 can keep the old key on re-init).
    private func verifyEdDSA(signature: UnsafeRawBufferPointer, part1: UnsafeRawBufferPointer,
                             part2: UnsafeRawBufferPointer, key: PublicKey) -> VerificationOutcome {
        guard case .edwards(let curve) = key.kind else { return .invalidSignature }
        guard signature.count == curve.signatureByteCount else {
            return .malformedSignature("\(curve) signature is \(signature.count) bytes; expected \(curve.signatureByteCount)")
        }
        let total = part1.count + part2.count
        let message: UnsafeRawBufferPointer
        if part2.isEmpty {
            message = part1
        } else if part1.isEmpty {
            message = part2
        } else {
            let buffer = messageBuffer(atLeast: total)
            UnsafeMutableRawBufferPointer(rebasing: buffer[0..<part1.count]).copyMemory(from: part1)
            UnsafeMutableRawBufferPointer(rebasing: buffer[part1.count..<total]).copyMemory(from: part2)
            message = UnsafeRawBufferPointer(rebasing: buffer[0..<total])
        }
        EVP_MD_CTX_reset(eddsaContext)
        defer { EVP_MD_CTX_reset(eddsaContext) }
        guard EVP_DigestVerifyInit(eddsaContext, nil, nil, nil, key.pkey) == 1 else {
            OpenSSLErrors.clear()
            return .invalidSignature
        }
        // A zero-length message still needs a non-NULL pointer for OpenSSL.
        var empty: UInt8 = 0
        let rc = withUnsafePointer(to: &empty) { emptyPointer in
            EVP_DigestVerify(eddsaContext, signature.bytePointer, signature.count,
                             message.bytePointer ?? emptyPointer, message.count)
        }
        if rc == 1 { return .valid }
        OpenSSLErrors.clear()
        return .invalidSignature
    }
}
