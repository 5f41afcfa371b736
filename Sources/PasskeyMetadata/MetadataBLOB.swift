public import PasskeyCrypto

/// Loads a FIDO Metadata Service v3 BLOB (FIDO MDS v3.0, 2021-05-18) offline: the file a server downloaded from
/// https://mds3.fidoalliance.org/, verified against the FIDO root it was configured with, then indexed once.
///
/// What `load` checks, in order (MDS3 §3.1.7 "Metadata BLOB", §3.2 "Metadata BLOB object processing rules"):
/// 1. size: the file is at most `limits.maxBLOBBytes` (surrounding whitespace, as a download may end with a newline,
///    is ignored);
/// 2. form: a compact JWS (RFC 7515 §7.1), three base64url parts; the header is strict JSON with `alg`, an optional
///    `typ` that must be "JWT", an optional `x5c` (standard base64 DER, leaf first, at most 8), no `crit` and no `x5u`
///    (§3.2 step 4 would download that chain; offline, it cannot be);
/// 3. `alg`: RS256/384/512, PS256/384/512 or ES256/384/512 (RFC 7518 §3.1), never `none` or HMAC;
/// 4. chain (§3.2 steps 4–5): `x5c` validates with OpenSSL to one of `roots` at the verification time, and, when
///    `revocationLists` are given, no certificate of it is revoked and each is covered by a current CRL from its
///    issuer (§3.2 step 4.iii: all certificates are checked for revocation). Without `x5c`, a root signs the BLOB
///    itself (§3.2 step 5) and must be valid at the verification time;
/// 5. signature (§3.2 step 6): the JWS signature verifies with the leaf's key, which must fit `alg`;
/// 6. payload: base64url of strict JSON in the shape of §3.1.6 (`PayloadParser` says what is read and how strictly);
/// 7. serial number (§3.2 step 6): not lower than `minimumNumber` when given (a reload never goes back to an older BLOB).
///
/// The payload is parsed only after the signature verified. Each check fails with its own `MetadataError.Code`.
public enum MetadataBLOB {
    public static func load(
        _ blob: [UInt8], roots: [Certificate], revocationLists: [RevocationList] = [], at time: Int64? = nil,
        minimumNumber: Int? = nil, limits: Limits = .default
    ) throws(MetadataError) -> MetadataIndex {
        guard blob.count <= limits.maxBLOBBytes else {
            throw MetadataError(.tooLarge, "the BLOB is \(blob.count) bytes; the limit is \(limits.maxBLOBBytes)")
        }
        return try withBytes(blob) { (all) throws(MetadataError) -> MetadataIndex in
            var start = 0, end = all.count
            func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }
            while start < end, isSpace(all[start]) { start += 1 }
            while end > start, isSpace(all[end - 1]) { end -= 1 }
            let bytes = UnsafeRawBufferPointer(rebasing: all[start..<end])
            let jws = try CompactJWS.split(bytes)

            guard jws.header.count <= limits.maxHeaderBytes else {
                throw MetadataError(.tooLarge, "the JWS header is \(jws.header.count) bytes; the limit is \(limits.maxHeaderBytes)")
            }
            let header = try BLOBHeader.parse(
                CompactJWS.decode(bytes, jws.header, maxBytes: limits.maxHeaderBytes, what: "JWS header"), limits: limits)
            guard !roots.isEmpty else { throw MetadataError(.noTrustAnchor, "no FIDO root certificate to verify the BLOB with") }

            var chain: [Certificate] = []
            for (i, der) in header.chain.enumerated() {
                do throws(CryptoError) {
                    chain.append(try Certificate(der: der))
                } catch {
                    throw MetadataError(.invalidCertificate, "x5c[\(i)] is not a usable X.509 certificate: \(error.message)")
                }
            }
            let signatureBytes = try CompactJWS.decode(bytes, jws.signature, maxBytes: 2048, what: "JWS signature")
            let signer = try verifiedSigner(
                chain: chain, roots: roots, revocationLists: revocationLists, at: time, header: header,
                signature: signatureBytes, signingInput: UnsafeRawBufferPointer(rebasing: bytes[jws.signingInput]))

            let payload = try CompactJWS.decode(bytes, jws.payload, maxBytes: limits.maxBLOBBytes, what: "payload")
            let index = try withBytes(payload) { (json) throws(MetadataError) -> MetadataIndex in
                try PayloadParser.parse(
                    json, limits: limits, provenance: .verified(algorithm: header.algorithm.rawValue, signer: signer))
            }
            if let minimumNumber, index.number < minimumNumber {
                throw MetadataError(
                    .serialNumberNotIncreasing, "the BLOB's no is \(index.number), older than the \(minimumNumber) already loaded")
            }
            return index
        }
    }

    /// Steps 4 and 5: the certificate whose key signed the BLOB, validated; its subject for the record.
    private static func verifiedSigner(
        chain: [Certificate], roots: [Certificate], revocationLists: [RevocationList], at time: Int64?, header: BLOBHeader,
        signature: [UInt8], signingInput: UnsafeRawBufferPointer
    ) throws(MetadataError) -> String {
        let candidates: [Certificate]
        if let leaf = chain.first {
            let verifier = ChainVerifier(trustAnchors: roots, revocationLists: revocationLists)
            if let failure = verifier.validate(leaf: leaf, intermediates: Array(chain.dropFirst()), at: time) {
                throw chainError(failure)
            }
            candidates = [leaf]
        } else {
            // §3.2 step 5: no chain in the header; the configured root is the signing certificate.
            let now = time ?? WallClock.now()
            candidates = roots.filter { $0.notBefore <= now && now <= $0.notAfter }
            guard !candidates.isEmpty else {
                throw MetadataError(.certificateExpired, "the BLOB has no x5c and no configured root is valid at \(now)")
            }
        }
        var lastProblem: MetadataError? = nil
        let verifier = SignatureVerifier()
        for certificate in candidates {
            let key: PublicKey
            do throws(CryptoError) {
                key = try certificate.publicKey
            } catch {
                lastProblem = MetadataError(.algorithmKeyMismatch, "the signing key is not usable: \(error.message)")
                continue
            }
            guard header.algorithm.fits(key) else {
                lastProblem = MetadataError(.algorithmKeyMismatch, "alg \(header.algorithm.rawValue) does not fit the signing key (\(key.kind))")
                continue
            }
            var sig = signature
            if let curve = header.algorithm.curve {
                guard let der = ECDSASignature.der(raw: signature, coordinateBytes: curve.coordinateByteCount) else {
                    lastProblem = MetadataError(
                        .badSignature, "an \(header.algorithm.rawValue) signature is \(2 * curve.coordinateByteCount) bytes (r || s), not \(signature.count)")
                    continue
                }
                sig = der
            }
            let outcome = sig.withUnsafeBytes { s in
                verifier.verify(
                    signature: s, part1: signingInput, part2: UnsafeRawBufferPointer(start: nil, count: 0), key: key,
                    scheme: header.algorithm.scheme)
            }
            if outcome == .valid { return subject(certificate) }
            lastProblem = MetadataError(.badSignature, "the JWS signature (\(header.algorithm.rawValue)) does not verify with \(subject(certificate))")
        }
        throw lastProblem ?? MetadataError(.badSignature, "no certificate verifies the JWS signature")
    }

    private static func chainError(_ failure: ChainFailure) -> MetadataError {
        let what = "the x5c chain does not validate to the FIDO root: \(failure)"
        switch failure.kind {
        case .expired, .notYetValid: return MetadataError(.certificateExpired, what)
        case .revoked: return MetadataError(.certificateRevoked, what)
        case .revocationUnknown: return MetadataError(.revocationUnknown, what)
        case .untrusted: return MetadataError(.untrustedChain, what)
        }
    }

    /// "CN=..., O=..." of a certificate, clipped, for logs.
    static func subject(_ certificate: Certificate) -> String {
        clipped(certificate.subjectAttributes.map { "\($0.0)=\($0.1)" }.joined(separator: ", "), 160)
    }
}
