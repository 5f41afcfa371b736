/// A TPMT_PUBLIC of an RSA or ECC key (TPM 2.0 Library Part 2 §12.2.4, parameters §12.2.3.5–12.2.3.6): the public
/// area of a TPM object, the `pubArea` of a `tpm` attestation statement.
///
/// ```
/// type              TPMI_ALG_PUBLIC   TPM_ALG_RSA (0x0001) or TPM_ALG_ECC (0x0023); other types are refused
/// nameAlg           TPMI_ALG_HASH
/// objectAttributes  TPMA_OBJECT (UINT32)
/// authPolicy        TPM2B_DIGEST
/// parameters        RSA: TPMT_SYM_DEF_OBJECT symmetric, TPMT_RSA_SCHEME scheme, UINT16 keyBits, UINT32 exponent
///                   ECC: TPMT_SYM_DEF_OBJECT symmetric, TPMT_ECC_SCHEME scheme, UINT16 curveID, TPMT_KDF_SCHEME kdf
/// unique            RSA: TPM2B_PUBLIC_KEY_RSA (the modulus); ECC: TPMS_ECC_POINT (TPM2B x, TPM2B y)
/// ```
/// The unions inside the parameters are read by their selector; a selector this parser does not know is an error,
/// since what follows it could not be found. Byte fields are ranges of the parsed buffer; the structure must end
/// exactly at the buffer's end (trailing bytes would change the Name computed over it).
public struct TPMTPublic: Sendable, Hashable {
    /// The largest pubArea accepted, checked before parsing: an 8192-bit modulus (1024 bytes, the engine's RSA
    /// maximum) plus at most 100 bytes of header and parameters; TPMs stop at 4096 bits (about 600 bytes).
    public static let maximumByteCount = 2048

    /// The key, as `parameters` and `unique` describe it.
    public enum Key: Sendable, Hashable {
        /// `exponent` 0 means the default, 2^16 + 1.
        case rsa(keyBits: UInt16, exponent: UInt32, modulus: Range<Int>)
        case ecc(curveID: UInt16, kdf: TPMScheme, x: Range<Int>, y: Range<Int>)
    }

    public var type: UInt16
    public var nameAlg: UInt16
    public var objectAttributes: UInt32
    public var authPolicy: Range<Int>
    public var symmetric: TPMSymmetricDefinition
    /// TPMT_RSA_SCHEME or TPMT_ECC_SCHEME.
    public var scheme: TPMScheme
    public var key: Key

    public init(parsing bytes: UnsafeRawBufferPointer) throws(TPMStructureError) {
        try checkSize(bytes, maximum: Self.maximumByteCount, structure: "TPMT_PUBLIC")
        var r = TPMReader(bytes, structure: "TPMT_PUBLIC")
        type = try r.u16("type")
        guard type == TPMAlgorithm.rsa || type == TPMAlgorithm.ecc else {
            throw TPMStructureError(
                .unsupportedValue, "TPMT_PUBLIC.type is \(hex16(type)), not TPM_ALG_RSA (0x0001) or TPM_ALG_ECC (0x0023)")
        }
        nameAlg = try r.u16("nameAlg")
        objectAttributes = try r.u32("objectAttributes")
        authPolicy = try r.sized("authPolicy", maximum: TPM2BMaximum.digest)
        symmetric = try TPMSymmetricDefinition(&r)
        if type == TPMAlgorithm.rsa {
            scheme = try TPMScheme(&r, .rsaScheme)
            let keyBits = try r.u16("parameters.keyBits")
            let exponent = try r.u32("parameters.exponent")
            let modulus = try r.sized("unique.rsa", maximum: TPM2BMaximum.rsaModulus)
            key = .rsa(keyBits: keyBits, exponent: exponent, modulus: modulus)
        } else {
            scheme = try TPMScheme(&r, .eccScheme)
            let curveID = try r.u16("parameters.curveID")
            let kdf = try TPMScheme(&r, .kdf)
            let x = try r.sized("unique.ecc.x", maximum: TPM2BMaximum.eccParameter)
            let y = try r.sized("unique.ecc.y", maximum: TPM2BMaximum.eccParameter)
            key = .ecc(curveID: curveID, kdf: kdf, x: x, y: y)
        }
        try r.finish()
    }
}

/// TPMT_SYM_DEF_OBJECT (Part 2 §11.1.7): an algorithm, then keyBits and mode unless it is TPM_ALG_NULL.
public struct TPMSymmetricDefinition: Sendable, Hashable {
    public var algorithm: UInt16
    /// nil for TPM_ALG_NULL.
    public var keyBits: UInt16?
    public var mode: UInt16?

    init(_ r: inout TPMReader) throws(TPMStructureError) {
        algorithm = try r.u16("parameters.symmetric.algorithm")
        switch algorithm {
        case TPMAlgorithm.null:
            keyBits = nil
            mode = nil
        case TPMAlgorithm.aes, TPMAlgorithm.sm4, TPMAlgorithm.camellia:
            keyBits = try r.u16("parameters.symmetric.keyBits")
            mode = try r.u16("parameters.symmetric.mode")
        default:
            throw TPMStructureError(
                .unsupportedValue, "TPMT_PUBLIC.parameters.symmetric.algorithm \(hex16(algorithm)) is not a TPMI_ALG_SYM_OBJECT")
        }
    }
}

/// A scheme with its details union (Part 2 §11.2): TPMT_RSA_SCHEME, TPMT_ECC_SCHEME or TPMT_KDF_SCHEME. The details
/// are a hash algorithm (TPMS_SCHEME_HASH), a hash and a count (TPMS_SCHEME_ECDAA), or nothing (NULL, RSAES).
public struct TPMScheme: Sendable, Hashable {
    public var algorithm: UInt16
    public var hashAlg: UInt16?
    public var count: UInt16?

    enum Kind {
        case rsaScheme, eccScheme, kdf
    }

    init(_ r: inout TPMReader, _ kind: Kind) throws(TPMStructureError) {
        let field = "parameters.\(kind == .kdf ? "kdf" : "scheme")"
        algorithm = try r.u16("\(field).scheme")
        hashAlg = nil
        count = nil
        let withHash: Bool
        switch (kind, algorithm) {
        case (_, TPMAlgorithm.null), (.rsaScheme, TPMAlgorithm.rsaes):
            withHash = false
        case (.rsaScheme, TPMAlgorithm.rsassa), (.rsaScheme, TPMAlgorithm.rsapss), (.rsaScheme, TPMAlgorithm.oaep),
            (.eccScheme, TPMAlgorithm.ecdsa), (.eccScheme, TPMAlgorithm.ecdh), (.eccScheme, TPMAlgorithm.sm2),
            (.eccScheme, TPMAlgorithm.ecschnorr), (.eccScheme, TPMAlgorithm.ecmqv), (.eccScheme, TPMAlgorithm.ecdaa),
            (.kdf, TPMAlgorithm.mgf1), (.kdf, TPMAlgorithm.kdf1SP800_56A), (.kdf, TPMAlgorithm.kdf2),
            (.kdf, TPMAlgorithm.kdf1SP800_108):
            withHash = true
        default:
            throw TPMStructureError(.unsupportedValue, "TPMT_PUBLIC.\(field) \(hex16(algorithm)) is not a scheme of its kind")
        }
        if withHash { hashAlg = try r.u16("\(field).details.hashAlg") }
        if kind == .eccScheme, algorithm == TPMAlgorithm.ecdaa { count = try r.u16("\(field).details.count") }
    }
}
