/// A TPMS_ATTEST of type TPM_ST_ATTEST_CERTIFY (TPM 2.0 Library Part 2 §10.12.12, with TPMS_CLOCK_INFO §10.11.1 and
/// TPMS_CERTIFY_INFO §10.12.3): what TPM2_Certify signs, the `certInfo` of a `tpm` attestation statement.
///
/// ```
/// magic            UINT32       TPM_GENERATED_VALUE (recorded here, checked by the caller)
/// type             UINT16       TPM_ST_ATTEST_CERTIFY (the only tag parsed: it selects the `attested` union)
/// qualifiedSigner  TPM2B_NAME
/// extraData        TPM2B_DATA
/// clockInfo        UINT64 clock, UINT32 resetCount, UINT32 restartCount, BYTE safe (TPMI_YES_NO)
/// firmwareVersion  UINT64
/// attested         TPMS_CERTIFY_INFO: TPM2B_NAME name, TPM2B_NAME qualifiedName
/// ```
/// Byte fields are ranges of the parsed buffer (zero-copy); the structure must end exactly at the buffer's end.
public struct TPMSAttest: Sendable, Hashable {
    /// The largest certInfo accepted, checked before parsing. The largest TPM2_Certify output is 303 bytes (three
    /// names and extraData of 66 bytes each with SHA-512 plus 39 fixed bytes); 1 KiB leaves room and bounds the work.
    public static let maximumByteCount = 1024

    public var magic: UInt32
    public var type: UInt16
    public var qualifiedSigner: Range<Int>
    public var extraData: Range<Int>
    public var clock: UInt64
    public var resetCount: UInt32
    public var restartCount: UInt32
    public var safe: UInt8
    public var firmwareVersion: UInt64
    /// TPMS_CERTIFY_INFO.name: the certified object's Name (nameAlg || H(TPMT_PUBLIC)).
    public var attestedName: Range<Int>
    /// TPMS_CERTIFY_INFO.qualifiedName.
    public var attestedQualifiedName: Range<Int>

    public init(parsing bytes: UnsafeRawBufferPointer) throws(TPMStructureError) {
        try checkSize(bytes, maximum: Self.maximumByteCount, structure: "TPMS_ATTEST")
        var r = TPMReader(bytes, structure: "TPMS_ATTEST")
        magic = try r.u32("magic")
        type = try r.u16("type")
        guard type == TPMConstant.attestCertify else {
            throw TPMStructureError(
                .unsupportedValue, "TPMS_ATTEST.type is \(hex16(type)), not TPM_ST_ATTEST_CERTIFY (0x8017)")
        }
        qualifiedSigner = try r.sized("qualifiedSigner", maximum: TPM2BMaximum.name)
        extraData = try r.sized("extraData", maximum: TPM2BMaximum.data)
        clock = try r.u64("clockInfo.clock")
        resetCount = try r.u32("clockInfo.resetCount")
        restartCount = try r.u32("clockInfo.restartCount")
        safe = try r.u8("clockInfo.safe")
        guard safe <= 1 else {
            throw TPMStructureError(.unsupportedValue, "TPMS_ATTEST.clockInfo.safe is \(safe), not NO (0) or YES (1)")
        }
        firmwareVersion = try r.u64("firmwareVersion")
        attestedName = try r.sized("attested.name", maximum: TPM2BMaximum.name)
        attestedQualifiedName = try r.sized("attested.qualifiedName", maximum: TPM2BMaximum.name)
        try r.finish()
    }
}
