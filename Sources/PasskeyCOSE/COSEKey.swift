public import PasskeyCBOR
public import PasskeyCrypto
public import PasskeyMLDSA

/// A parsed COSE_Key (RFC 9052 §7, RFC 9053) as views into the caller's bytes.
///
/// Parsing checks the shape and the agreement of `alg`, `kty` and `crv`; `makePublicKey` asks OpenSSL to build the key and
/// checks the point or the modulus, and `makeCredentialKey` builds whichever key the algorithm needs (OpenSSL, or
/// ML-DSA through PasskeyMLDSA). The views are only valid while the parsed buffer is.
public struct COSEKey {
    public let algorithm: COSEAlgorithm
    public let keyType: COSEKeyType
    public let curve: COSECurve?
    /// EC2: x; OKP: the public key. RSA: n. AKP: `pub` (the ML-DSA public key, exactly the parameter set's length).
    public let first: UnsafeRawBufferPointer
    /// EC2: y; RSA: e. Empty for OKP and AKP.
    public let second: UnsafeRawBufferPointer
    /// The whole encoded COSE_Key (what caches key on and what a credential record stores).
    public let encoded: UnsafeRawBufferPointer

    // COSE_Key labels.
    @usableFromInline static let ktyLabel: Int64 = 1
    @usableFromInline static let algLabel: Int64 = 3
    @usableFromInline static let crvOrNLabel: Int64 = -1
    @usableFromInline static let xOrELabel: Int64 = -2
    @usableFromInline static let yLabel: Int64 = -3
    /// AKP (RFC 9964 §8.1.3): `pub` is -1, `priv` is -2 and must not appear in a public key (§3).
    @usableFromInline static let akpPublicLabel: Int64 = -1
    @usableFromInline static let akpPrivateLabel: Int64 = -2

    /// Parses the COSE_Key that is the item `item` of `reader`.
    public init(reader: CBORReader, item: CBORItem) throws(COSEKeyError) {
        guard item.type == .map else { throw COSEKeyError(.malformed, "COSE_Key is not a CBOR map") }
        do {
            guard let ktyItem = try reader.value(in: item, intKey: Self.ktyLabel) else {
                throw COSEKeyError(.malformed, "COSE_Key has no kty (1)")
            }
            guard ktyItem.type == .unsigned || ktyItem.type == .negative else {
                throw COSEKeyError(.malformed, "COSE_Key kty (1) is not an integer")
            }
            let ktyValue = try reader.int(ktyItem)
            guard let kty = COSEKeyType(rawValue: ktyValue) else {
                throw COSEKeyError(
                    .unsupportedAlgorithm, "COSE_Key kty \(ktyValue) is not OKP (1), EC2 (2), RSA (3) or AKP (7)")
            }
            guard let algItem = try reader.value(in: item, intKey: Self.algLabel) else {
                throw COSEKeyError(.malformed, "COSE_Key has no alg (3)")
            }
            guard algItem.type == .unsigned || algItem.type == .negative else {
                throw COSEKeyError(.malformed, "COSE_Key alg (3) is not an integer")
            }
            let algValue = try reader.int(algItem)
            guard let alg = COSEAlgorithm(rawValue: algValue) else {
                throw COSEKeyError(.unsupportedAlgorithm, COSEAlgorithm.refusalReason(algValue))
            }
            guard alg.keyType == kty else {
                throw COSEKeyError(.algorithmMismatch, "algorithm \(alg) needs kty \(alg.keyType), the key has kty \(kty)")
            }
            self.algorithm = alg
            self.keyType = kty
            self.encoded = reader.encoded(item)

            func bytes(_ label: Int64, _ name: String) throws -> UnsafeRawBufferPointer {
                guard let v = try reader.value(in: item, intKey: label) else {
                    throw COSEKeyError(.malformed, "COSE_Key (\(kty)) has no \(name) (\(label))")
                }
                guard v.type == .bytes else {
                    throw COSEKeyError(.malformed, "COSE_Key \(name) (\(label)) is not a byte string")
                }
                return try reader.bytes(v)
            }

            switch kty {
            case .ec2, .okp:
                guard let crvItem = try reader.value(in: item, intKey: Self.crvOrNLabel) else {
                    throw COSEKeyError(.malformed, "COSE_Key has no crv (-1)")
                }
                guard crvItem.type == .unsigned || crvItem.type == .negative else {
                    throw COSEKeyError(.malformed, "COSE_Key crv (-1) is not an integer")
                }
                let crvValue = try reader.int(crvItem)
                guard let crv = COSECurve(rawValue: crvValue), crv.keyType == kty else {
                    throw COSEKeyError(.algorithmMismatch, "curve \(crvValue) is not a \(kty) curve this engine supports")
                }
                if let required = alg.requiredCurve, required != crv {
                    throw COSEKeyError(.algorithmMismatch, "algorithm \(alg) requires curve \(required), the key is on \(crv)")
                }
                self.curve = crv
                self.first = try bytes(Self.xOrELabel, "x")
                if kty == .ec2 {
                    guard let yItem = try reader.value(in: item, intKey: Self.yLabel) else {
                        throw COSEKeyError(.malformed, "COSE_Key (EC2) has no y (-3)")
                    }
                    guard yItem.type == .bytes else {
                        throw COSEKeyError(.malformed, "COSE_Key y (-3) is not a byte string (compressed points are not accepted)")
                    }
                    self.second = try reader.bytes(yItem)
                } else {
                    self.second = UnsafeRawBufferPointer(start: nil, count: 0)
                }
            case .rsa:
                self.curve = nil
                self.first = try bytes(Self.crvOrNLabel, "n")
                self.second = try bytes(Self.xOrELabel, "e")
            case .akp:
                // RFC 9964 §3: alg (checked above to agree with kty) and pub are required; priv must not be present
                // in a public key. §5: pub is the FIPS 204 pkEncode output, whose length the parameter set fixes.
                self.curve = nil
                if try reader.value(in: item, intKey: Self.akpPrivateLabel) != nil {
                    throw COSEKeyError(.malformed, "COSE_Key (AKP) carries priv (-2): a credential public key must not")
                }
                let pub = try bytes(Self.akpPublicLabel, "pub")
                let expected = alg.mldsaParameterSet?.publicKeyByteCount ?? 0
                guard pub.count == expected else {
                    throw COSEKeyError(
                        .malformed, "COSE_Key (AKP) pub (-1) is \(pub.count) bytes; \(alg) public keys are \(expected)")
                }
                self.first = pub
                self.second = UnsafeRawBufferPointer(start: nil, count: 0)
            }
        } catch let e as COSEKeyError {
            throw e
        } catch let e as CBORError {
            throw COSEKeyError(.malformed, "COSE_Key: \(e)")
        } catch {
            throw COSEKeyError(.malformed, "COSE_Key: \(error)")
        }
    }

    /// The ML-DSA parameter set of an AKP key, nil for the others.
    public var mldsaParameterSet: MLDSAParameterSet? { keyType == .akp ? algorithm.mldsaParameterSet : nil }

    /// Builds the key the algorithm is verified with: ML-DSA keys through PasskeyMLDSA, every other one with OpenSSL
    /// (`makePublicKey`).
    public func makeCredentialKey(minimumRSAModulusBits: Int = 2048) throws(COSEKeyError) -> CredentialKey {
        if let parameterSet = mldsaParameterSet {
            do throws(MLDSAKeyError) {
                return .mldsa(try MLDSAPublicKey(parameterSet, publicKey: first))
            } catch {
                throw COSEKeyError(.invalidKey, error.message)
            }
        }
        return .openssl(try makePublicKey(minimumRSAModulusBits: minimumRSAModulusBits))
    }

    /// Builds the OpenSSL key. Checks the point is on the curve and not infinity; the RSA modulus has at least
    /// `minimumRSAModulusBits` bits and a sane exponent. AKP (ML-DSA) keys are not OpenSSL keys here:
    /// `makeCredentialKey` builds them.
    public func makePublicKey(minimumRSAModulusBits: Int = 2048) throws(COSEKeyError) -> PublicKey {
        do {
            switch (keyType, curve) {
            case (.ec2, .p256?): return try PublicKey.ec(curve: .p256, x: first, y: second)
            case (.ec2, .p384?): return try PublicKey.ec(curve: .p384, x: first, y: second)
            case (.ec2, .p521?): return try PublicKey.ec(curve: .p521, x: first, y: second)
            case (.ec2, .secp256k1?): return try PublicKey.ec(curve: .secp256k1, x: first, y: second)
            case (.okp, .ed25519?): return try PublicKey.edwards(curve: .ed25519, publicKey: first)
            case (.okp, .ed448?): return try PublicKey.edwards(curve: .ed448, publicKey: first)
            case (.rsa, _):
                return try PublicKey.rsa(modulus: first, exponent: second, minimumModulusBits: minimumRSAModulusBits)
            default:
                throw COSEKeyError(.algorithmMismatch, "no key can be built for \(keyType) on \(String(describing: curve))")
            }
        } catch let e as COSEKeyError {
            throw e
        } catch let e as CryptoError {
            throw COSEKeyError(.invalidKey, "\(algorithm) key: \(e.message)")
        } catch {
            throw COSEKeyError(.invalidKey, "\(error)")
        }
    }
}
