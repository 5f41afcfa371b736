/// Constants of the TPM 2.0 Library, Part 2 "Structures" (TCG, Family 2.0, Level 00 Revision 01.59): the values the
/// `tpm` attestation format (WebAuthn L3 §8.3) meets. Section numbers are Part 2's.
public enum TPMConstant {
    /// TPM_GENERATED_VALUE (§6.2): 0xFF 'T' 'C' 'G', the magic of every structure the TPM itself signs.
    public static let generatedValue: UInt32 = 0xFF54_4347
    /// TPM_ST_ATTEST_CERTIFY (§6.9): the TPMS_ATTEST structure tag of TPM2_Certify, whose `attested` is a
    /// TPMS_CERTIFY_INFO.
    public static let attestCertify: UInt16 = 0x8017
}

/// TPM_ALG_ID values (Part 2 §6.3) that TPMT_PUBLIC and its parameter unions use.
public enum TPMAlgorithm {
    public static let rsa: UInt16 = 0x0001
    public static let sha1: UInt16 = 0x0004
    public static let hmac: UInt16 = 0x0005
    public static let aes: UInt16 = 0x0006
    public static let mgf1: UInt16 = 0x0007
    public static let keyedHash: UInt16 = 0x0008
    public static let xor: UInt16 = 0x000A
    public static let sha256: UInt16 = 0x000B
    public static let sha384: UInt16 = 0x000C
    public static let sha512: UInt16 = 0x000D
    public static let null: UInt16 = 0x0010
    public static let sm3_256: UInt16 = 0x0012
    public static let sm4: UInt16 = 0x0013
    public static let rsassa: UInt16 = 0x0014
    public static let rsaes: UInt16 = 0x0015
    public static let rsapss: UInt16 = 0x0016
    public static let oaep: UInt16 = 0x0017
    public static let ecdsa: UInt16 = 0x0018
    public static let ecdh: UInt16 = 0x0019
    public static let ecdaa: UInt16 = 0x001A
    public static let sm2: UInt16 = 0x001B
    public static let ecschnorr: UInt16 = 0x001C
    public static let ecmqv: UInt16 = 0x001D
    public static let kdf1SP800_56A: UInt16 = 0x0020
    public static let kdf2: UInt16 = 0x0021
    public static let kdf1SP800_108: UInt16 = 0x0022
    public static let ecc: UInt16 = 0x0023
    public static let symCipher: UInt16 = 0x0025
    public static let camellia: UInt16 = 0x0026
    public static let sha3_256: UInt16 = 0x0027
    public static let sha3_384: UInt16 = 0x0028
    public static let sha3_512: UInt16 = 0x0029
}

/// TPM_ECC_CURVE values (Part 2 §6.4).
public enum TPMECCCurve {
    public static let nistP192: UInt16 = 0x0001
    public static let nistP224: UInt16 = 0x0002
    public static let nistP256: UInt16 = 0x0003
    public static let nistP384: UInt16 = 0x0004
    public static let nistP521: UInt16 = 0x0005
    public static let bnP256: UInt16 = 0x0010
    public static let bnP638: UInt16 = 0x0011
    public static let sm2P256: UInt16 = 0x0020
}

/// The largest contents each TPM2B type may declare (Part 2 §10.4 and the reference implementation's sizes), checked
/// as each size is read, before anything is sliced.
enum TPM2BMaximum {
    /// TPM2B_DIGEST: sizeof(TPMU_HA), the largest digest (SHA-512, SHA3-512).
    static let digest = 64
    /// TPM2B_DATA: sizeof(TPMT_HA), an algorithm id and the largest digest.
    static let data = 66
    /// TPM2B_NAME: sizeof(TPMU_NAME), a TPMT_HA (a handle is 4 bytes).
    static let name = 66
    /// TPM2B_PUBLIC_KEY_RSA: the modulus of the largest RSA key passkeyd accepts (8192 bits; TPMs stop at 4096).
    static let rsaModulus = 1024
    /// TPM2B_ECC_PARAMETER: a coordinate of the largest TPM curve (BN P638: 80 bytes).
    static let eccParameter = 80
}
