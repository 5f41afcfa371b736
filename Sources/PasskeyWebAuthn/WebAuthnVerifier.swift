import PasskeyJSON
public import PasskeyCOSE
import PasskeyCBOR
import PasskeyCrypto

/// Runs the WebAuthn ceremonies. One per thread (it owns reusable scratch: digest contexts, a JSON node buffer);
/// the key cache it is given is shared and thread-safe.
///
/// The only way to obtain a `VerifiedAuthentication` or `VerifiedRegistration` is through this type.
public final class WebAuthnVerifier {
    public let keyCache: KeyCache
    let signatures = SignatureVerifier()
    var clientDataReader = JSONReader()
    /// For the response JSON envelope (`verifyAuthentication(responseJSON:...)`), and where its members are decoded.
    var responseReader = JSONReader()
    private var responseScratch = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    /// Larger responses decode into a buffer of their own, freed afterwards, so one huge text does not stay pinned.
    static let maximumKeptScratch = 64 << 10

    public init(keyCache: KeyCache = KeyCache(capacity: 10_000)) {
        self.keyCache = keyCache
    }

    deinit { responseScratch.deallocate() }

    /// Calls `body` with at least `count` bytes of scratch (contents undefined): the kept buffer, grown when needed.
    func withResponseScratch<R>(
        atLeast count: Int, _ body: (UnsafeMutableRawBufferPointer) throws(WebAuthnError) -> R
    ) throws(WebAuthnError) -> R {
        if count > Self.maximumKeptScratch {
            let once = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 16)
            defer { once.deallocate() }
            return try body(once)
        }
        if responseScratch.count < count {
            responseScratch.deallocate()
            responseScratch = .allocate(byteCount: max(count, 2048), alignment: 16)
        }
        return try body(responseScratch)
    }

    /// Where a key's entry comes from: a stored credential's key is cached as it is built (the relying party stored
    /// it, and logins repeat); a key being registered is only looked up, and inserted after the ceremony succeeds, so
    /// failed registrations never fill the shared cache.
    enum KeyCaching {
        case storedCredential
        case registration
    }

    /// Looks up or builds the key for a COSE_Key, enforcing the policy's algorithm list and RSA size.
    func credentialKey(
        _ cose: UnsafeRawBufferPointer, policy: Policy, caching: KeyCaching = .storedCredential
    ) throws(WebAuthnError) -> KeyCache.Entry {
        let entry: KeyCache.Entry
        // A local function, not a closure in a `let`: the closure was escaping, so capturing `policy` boxed a context
        // on every call, the assertion path's one allocation of our own (Bench/Stages).
        func build() throws(COSEKeyError) -> KeyCache.Entry {
            let reader = CBORReader(cose)
            let item: CBORItem
            do {
                item = try reader.readSingleItem()
            } catch {
                throw COSEKeyError(.malformed, "credential public key is not one CBOR item: \(error)")
            }
            let key = try COSEKey(reader: reader, item: item)
            return KeyCache.Entry(
                key: try key.makeCredentialKey(minimumRSAModulusBits: policy.minimumRSAModulusBits), algorithm: key.algorithm)
        }
        do throws(COSEKeyError) {
            switch caching {
            case .storedCredential: entry = try keyCache.entry(for: cose, build: build)
            case .registration:
                if let cached = keyCache.cachedEntry(for: cose) { entry = cached } else { entry = try build() }
            }
        } catch {
            throw WebAuthnError(coseKey: error)
        }
        try checkAllowed(entry, policy: policy)
        return entry
    }

    func checkAllowed(_ entry: KeyCache.Entry, policy: Policy) throws(WebAuthnError) {
        guard policy.allowedAlgorithms.contains(entry.algorithm) else {
            throw WebAuthnError(.algorithmNotAllowed, "algorithm \(entry.algorithm) is not in the allowed list")
        }
        if let key = entry.key.openSSLKey, case let .rsa(bits) = key.kind, bits < policy.minimumRSAModulusBits {
            throw WebAuthnError(
                .invalidPublicKey, "RSA modulus is \(bits) bits; at least \(policy.minimumRSAModulusBits) are required")
        }
    }

    /// Verifies `signature` over `authenticatorData || clientDataHash` with a credential key (an assertion, packed
    /// self attestation): OpenSSL keys as below, ML-DSA keys through PasskeyMLDSA (`WebAuthnVerifier+MLDSA.swift`).
    @inline(__always)
    func verifySignature(
        _ signature: UnsafeRawBufferPointer, authenticatorData: UnsafeRawBufferPointer,
        clientDataHash: UnsafeRawBufferPointer, key: CredentialKey, algorithm: COSEAlgorithm, what: String
    ) throws(WebAuthnError) {
        switch key.kind {
        case let .openssl(key):
            try verifySignature(
                signature, authenticatorData: authenticatorData, clientDataHash: clientDataHash, key: key,
                algorithm: algorithm, what: what)
        case let .mldsa(key):
            try verifyMLDSASignature(
                signature, authenticatorData: authenticatorData, clientDataHash: clientDataHash, key: key,
                algorithm: algorithm, what: what)
        }
    }

    /// Verifies `signature` over `authenticatorData || clientDataHash` with an OpenSSL key (credential keys and
    /// attestation certificate keys). An algorithm OpenSSL cannot verify (ML-DSA) does not fit such a key.
    func verifySignature(
        _ signature: UnsafeRawBufferPointer, authenticatorData: UnsafeRawBufferPointer,
        clientDataHash: UnsafeRawBufferPointer, key: PublicKey, algorithm: COSEAlgorithm, what: String
    ) throws(WebAuthnError) {
        guard let scheme = algorithm.signatureScheme else {
            throw WebAuthnError(.algorithmMismatch, "\(what) key \(key.kind) cannot verify \(algorithm)")
        }
        switch signatures.verify(
            signature: signature, part1: authenticatorData, part2: clientDataHash, key: key, scheme: scheme)
        {
        case .valid:
            return
        case .invalidSignature:
            // The commonest rejection under attack (a flood of forged logins): a literal message allocates nothing.
            if what == "assertion" { throw WebAuthnError(.badSignature, "assertion signature does not verify") }
            throw WebAuthnError(.badSignature, "\(what) signature (\(algorithm)) does not verify")
        case let .malformedSignature(reason):
            throw WebAuthnError(.malformedSignature, "\(what) signature (\(algorithm)) is malformed: \(reason)")
        }
    }
}

extension WebAuthnVerifier {
    /// Whether an attestation certificate's key is exactly the credential key (android-key, apple). Certificates are
    /// OpenSSL's, which cannot hold an ML-DSA key here, so an ML-DSA credential never matches one.
    func certificateKey(_ cert: Certificate, matches credential: CredentialKey) -> Bool {
        guard let key = credential.openSSLKey else { return false }
        return certificateKey(cert, matches: key)
    }
}

extension WebAuthnError {
    init(coseKey e: COSEKeyError) {
        switch e.code {
        case .malformed: self.init(.malformedPublicKey, e.message)
        case .unsupportedAlgorithm: self.init(.unsupportedAlgorithm, e.message)
        case .algorithmMismatch: self.init(.algorithmMismatch, e.message)
        case .invalidKey: self.init(.invalidPublicKey, e.message)
        }
    }
}
