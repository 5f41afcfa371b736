import PasskeyAttestationData
import Testing

/// TPM 2.0 structures written by hand, field by field, for the parser tests.
enum TPMBytes {
    static func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
    static func be32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (24 - 8 * $0)) } }
    static func be64(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (56 - 8 * $0)) } }
    static func tpm2b(_ b: [UInt8]) -> [UInt8] { be16(UInt16(b.count)) + b }

    static let extraData = [UInt8](repeating: 0xEE, count: 32)
    static let name = be16(0x000B) + [UInt8](repeating: 0xAA, count: 32)

    /// TPMS_ATTEST of type TPM_ST_ATTEST_CERTIFY.
    static func certInfo(
        magic: UInt32 = 0xFF54_4347, type: UInt16 = 0x8017, extraData: [UInt8] = extraData, safe: UInt8 = 1,
        name: [UInt8] = name
    ) -> [UInt8] {
        be32(magic) + be16(type) + tpm2b(be16(0x000B) + [UInt8](repeating: 0x51, count: 32)) + tpm2b(extraData)
            + be64(0x1122_3344_5566_7788) + be32(9) + be32(2) + [safe] + be64(0x0102_0304_0506_0708)
            + tpm2b(name) + tpm2b(be16(0x000B) + [UInt8](repeating: 0x99, count: 32))
    }

    static let modulus = [UInt8](repeating: 0xC3, count: 256)

    /// TPMT_PUBLIC of an RSA signing key (symmetric and scheme NULL, as Windows Hello writes them).
    static func rsaPublic(
        type: UInt16 = 0x0001, symmetric: [UInt8] = be16(0x0010), scheme: [UInt8] = be16(0x0010), keyBits: UInt16 = 2048,
        exponent: UInt32 = 0, modulus: [UInt8] = modulus
    ) -> [UInt8] {
        be16(type) + be16(0x000B) + be32(0x0006_0472) + tpm2b([UInt8](repeating: 0x9D, count: 32))
            + symmetric + scheme + be16(keyBits) + be32(exponent) + tpm2b(modulus)
    }

    static let x = [UInt8](repeating: 0x0A, count: 32)
    static let y = [UInt8](repeating: 0x0B, count: 32)

    /// TPMT_PUBLIC of an ECC key.
    static func eccPublic(
        symmetric: [UInt8] = be16(0x0010), scheme: [UInt8] = be16(0x0010), curve: UInt16 = 0x0003,
        kdf: [UInt8] = be16(0x0010), x: [UInt8] = x, y: [UInt8] = y
    ) -> [UInt8] {
        be16(0x0023) + be16(0x000B) + be32(0x0006_0472) + tpm2b([])
            + symmetric + scheme + be16(curve) + kdf + tpm2b(x) + tpm2b(y)
    }
}

func parseAttest(_ b: [UInt8]) throws(TPMStructureError) -> TPMSAttest {
    try b.withUnsafeBytes { bytes in Result { () throws(TPMStructureError) in try TPMSAttest(parsing: bytes) } }.get()
}

func parsePublic(_ b: [UInt8]) throws(TPMStructureError) -> TPMTPublic {
    try b.withUnsafeBytes { bytes in Result { () throws(TPMStructureError) in try TPMTPublic(parsing: bytes) } }.get()
}

/// Expects `body` to throw a TPMStructureError with `code`.
func expectTPMError(
    _ code: TPMStructureError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) {
    do {
        try body()
        Issue.record("expected \(code.rawValue), but it parsed", sourceLocation: sourceLocation)
    } catch let error as TPMStructureError {
        #expect(error.code == code, "expected \(code.rawValue), got \(error)", sourceLocation: sourceLocation)
        #expect(!error.message.isEmpty, sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected error type \(error)", sourceLocation: sourceLocation)
    }
}

@Suite struct TPMSAttestTests {
    @Test func parsesEveryField() throws {
        let b = TPMBytes.certInfo()
        let a = try parseAttest(b)
        #expect(a.magic == TPMConstant.generatedValue)
        #expect(a.type == TPMConstant.attestCertify)
        #expect(Array(b[a.extraData]) == TPMBytes.extraData)
        #expect(Array(b[a.attestedName]) == TPMBytes.name)
        #expect(a.qualifiedSigner.count == 34 && a.attestedQualifiedName.count == 34)
        #expect(a.clock == 0x1122_3344_5566_7788 && a.resetCount == 9 && a.restartCount == 2 && a.safe == 1)
        #expect(a.firmwareVersion == 0x0102_0304_0506_0708)
        // The last field ends at the end of the input.
        #expect(a.attestedQualifiedName.upperBound == b.count)
    }

    @Test func magicIsRecordedNotJudged() throws {
        // The verifier decides about the magic (tpm_structure_invalid there); the parser reports what it read.
        #expect(try parseAttest(TPMBytes.certInfo(magic: 0xDEAD_BEEF)).magic == 0xDEAD_BEEF)
    }

    @Test func onlyCertifyIsParsed() {
        // TPM_ST_ATTEST_QUOTE and others select a different `attested` union.
        for type: UInt16 in [0x8018, 0x8014, 0x8016, 0x0000, 0xFFFF] {
            expectTPMError(.unsupportedValue) { _ = try parseAttest(TPMBytes.certInfo(type: type)) }
        }
    }

    @Test func everyTruncationIsRefused() {
        let b = TPMBytes.certInfo()
        for n in 0..<b.count {
            expectTPMError(.truncated) { _ = try parseAttest(Array(b.prefix(n))) }
        }
    }

    @Test func trailingBytesAreRefused() {
        expectTPMError(.trailingBytes) { _ = try parseAttest(TPMBytes.certInfo() + [0]) }
    }

    @Test func sizesAreCheckedAgainstTheRestAndTheirType() {
        // extraData's size is checked against its type (66) before the bytes are looked at.
        var b = TPMBytes.certInfo()
        let extraSize = 4 + 2 + 2 + 34
        b[extraSize] = 0x01
        b[extraSize + 1] = 0x00
        expectTPMError(.sizeAboveMaximum) { _ = try parseAttest(b) }
        // A TPM2B_DATA of 67 bytes is above its type even when the bytes are there.
        expectTPMError(.sizeAboveMaximum) {
            _ = try parseAttest(TPMBytes.certInfo(extraData: [UInt8](repeating: 1, count: 67)))
        }
        #expect(throws: Never.self) { _ = try parseAttest(TPMBytes.certInfo(extraData: [UInt8](repeating: 1, count: 66))) }
        // attested.name larger than TPM2B_NAME.
        expectTPMError(.sizeAboveMaximum) { _ = try parseAttest(TPMBytes.certInfo(name: [UInt8](repeating: 2, count: 67))) }
        // The last size field points past the end.
        var last = TPMBytes.certInfo()
        last[last.count - 35] = 35
        expectTPMError(.truncated) { _ = try parseAttest(last) }
        // 0xFFFF is above every TPM2B maximum.
        var huge = TPMBytes.certInfo()
        huge[6] = 0xFF
        huge[7] = 0xFF
        expectTPMError(.sizeAboveMaximum) { _ = try parseAttest(huge) }
    }

    @Test func safeIsAYesNo() {
        expectTPMError(.unsupportedValue) { _ = try parseAttest(TPMBytes.certInfo(safe: 2)) }
        #expect(throws: Never.self) { _ = try parseAttest(TPMBytes.certInfo(safe: 0)) }
    }

    @Test func oversizedInputIsRefusedBeforeParsing() {
        let big = TPMBytes.certInfo() + [UInt8](repeating: 0, count: TPMSAttest.maximumByteCount)
        expectTPMError(.tooLarge) { _ = try parseAttest(big) }
    }

    @Test func emptyFieldsAreStructurallyFine() throws {
        // Empty extraData and name parse; the verifier's hash and Name comparisons refuse them.
        let a = try parseAttest(TPMBytes.certInfo(extraData: [], name: []))
        #expect(a.extraData.isEmpty && a.attestedName.isEmpty)
    }
}

@Suite struct TPMTPublicTests {
    @Test func parsesAnRSAKey() throws {
        let b = TPMBytes.rsaPublic()
        let p = try parsePublic(b)
        #expect(p.type == TPMAlgorithm.rsa && p.nameAlg == TPMAlgorithm.sha256 && p.objectAttributes == 0x0006_0472)
        #expect(p.authPolicy.count == 32)
        #expect(p.symmetric.algorithm == TPMAlgorithm.null && p.symmetric.keyBits == nil && p.symmetric.mode == nil)
        #expect(p.scheme.algorithm == TPMAlgorithm.null && p.scheme.hashAlg == nil)
        guard case let .rsa(keyBits, exponent, modulus) = p.key else {
            Issue.record("not RSA")
            return
        }
        #expect(keyBits == 2048 && exponent == 0)
        #expect(Array(b[modulus]) == TPMBytes.modulus && modulus.upperBound == b.count)
    }

    @Test func parsesAnECCKey() throws {
        let b = TPMBytes.eccPublic()
        let p = try parsePublic(b)
        #expect(p.type == TPMAlgorithm.ecc && p.authPolicy.isEmpty)
        guard case let .ecc(curve, kdf, x, y) = p.key else {
            Issue.record("not ECC")
            return
        }
        #expect(curve == TPMECCCurve.nistP256 && kdf.algorithm == TPMAlgorithm.null)
        #expect(Array(b[x]) == TPMBytes.x && Array(b[y]) == TPMBytes.y && y.upperBound == b.count)
    }

    @Test func readsEveryUnionArm() throws {
        let h = TPMBytes.be16
        // Symmetric AES-128-CFB (keyBits + mode), RSASSA-SHA256 (a hash).
        let rsa = try parsePublic(TPMBytes.rsaPublic(symmetric: h(0x0006) + h(128) + h(0x0043), scheme: h(0x0014) + h(0x000B)))
        #expect(rsa.symmetric.keyBits == 128 && rsa.symmetric.mode == 0x0043)
        #expect(rsa.scheme.algorithm == TPMAlgorithm.rsassa && rsa.scheme.hashAlg == TPMAlgorithm.sha256)
        // RSAES carries no details.
        #expect(try parsePublic(TPMBytes.rsaPublic(scheme: h(0x0015))).scheme.hashAlg == nil)
        // ECDAA: a hash and a count; KDF2: a hash.
        let ecc = try parsePublic(TPMBytes.eccPublic(scheme: h(0x001A) + h(0x000B) + h(7), kdf: h(0x0021) + h(0x000C)))
        #expect(ecc.scheme.hashAlg == TPMAlgorithm.sha256 && ecc.scheme.count == 7)
        guard case let .ecc(_, kdf, _, _) = ecc.key else {
            Issue.record("not ECC")
            return
        }
        #expect(kdf.algorithm == TPMAlgorithm.kdf2 && kdf.hashAlg == TPMAlgorithm.sha384)
    }

    @Test func unknownSelectorsAreRefused() {
        let h = TPMBytes.be16
        // keyedHash and symCipher objects, and nonsense.
        for type: UInt16 in [0x0008, 0x0025, 0x0000, 0x4242] {
            expectTPMError(.unsupportedValue) { _ = try parsePublic(TPMBytes.rsaPublic(type: type)) }
        }
        // XOR is not a TPMI_ALG_SYM_OBJECT.
        expectTPMError(.unsupportedValue) { _ = try parsePublic(TPMBytes.rsaPublic(symmetric: h(0x000A) + h(0x000B))) }
        // ECDSA is an ECC scheme, not an RSA one; RSASSA not an ECC one; MGF1 only a KDF.
        expectTPMError(.unsupportedValue) { _ = try parsePublic(TPMBytes.rsaPublic(scheme: h(0x0018) + h(0x000B))) }
        expectTPMError(.unsupportedValue) { _ = try parsePublic(TPMBytes.eccPublic(scheme: h(0x0014) + h(0x000B))) }
        expectTPMError(.unsupportedValue) { _ = try parsePublic(TPMBytes.eccPublic(scheme: h(0x0007) + h(0x000B))) }
        expectTPMError(.unsupportedValue) { _ = try parsePublic(TPMBytes.eccPublic(kdf: h(0x0018) + h(0x000B))) }
    }

    @Test func everyTruncationIsRefused() {
        for b in [TPMBytes.rsaPublic(modulus: [1, 2, 3, 4]), TPMBytes.eccPublic()] {
            for n in 0..<b.count {
                expectTPMError(.truncated) { _ = try parsePublic(Array(b.prefix(n))) }
            }
        }
    }

    @Test func trailingBytesAreRefused() {
        expectTPMError(.trailingBytes) { _ = try parsePublic(TPMBytes.rsaPublic() + [0]) }
        expectTPMError(.trailingBytes) { _ = try parsePublic(TPMBytes.eccPublic() + [0, 0]) }
    }

    @Test func sizesAreCheckedAgainstTheirType() {
        // authPolicy above TPM2B_DIGEST (64).
        var b = TPMBytes.rsaPublic()
        b[8] = 0
        b[9] = 65
        expectTPMError(.sizeAboveMaximum) { _ = try parsePublic(b) }
        // A modulus above 8192 bits, an ECC coordinate above 80 bytes.
        expectTPMError(.sizeAboveMaximum) { _ = try parsePublic(TPMBytes.rsaPublic(modulus: [UInt8](repeating: 1, count: 1025))) }
        expectTPMError(.sizeAboveMaximum) { _ = try parsePublic(TPMBytes.eccPublic(x: [UInt8](repeating: 1, count: 81))) }
        // The modulus size points past the end.
        var short = TPMBytes.rsaPublic()
        short.removeLast()
        expectTPMError(.truncated) { _ = try parsePublic(short) }
    }

    @Test func oversizedInputIsRefusedBeforeParsing() {
        expectTPMError(.tooLarge) { _ = try parsePublic([UInt8](repeating: 0, count: TPMTPublic.maximumByteCount + 1)) }
    }
}
