/// The TPM vendor IDs the TCG has registered: the value of TPM_PT_MANUFACTURER, which an AIK certificate's
/// tcg-at-tpmManufacturer attribute spells "id:" followed by its eight hex digits (EK Credential Profile §3.1.2).
///
/// Source: TCG TPM Vendor ID Registry, Family 1.2 and 2.0, Version 1.07, Revision 0.02 (20 November 2024),
/// https://trustedcomputinggroup.org/resource/vendor-id-registry/ . Each ID is the vendor's four ASCII characters
/// (padded with 0x00, or a space for "NSM " and "STM "), as the registry lists them. Kept as data: a new registry
/// revision is a change to `entries` alone. FIDO's conformance tools use the unregistered "id:FFFFF1D0"; it is not a
/// TPM vendor and is not listed.
public enum TPMVendorRegistry {
    public static let source =
        "TCG TPM Vendor ID Registry, Family 1.2 and 2.0, Version 1.07, Revision 0.02 (2024-11-20)"

    /// (vendor ID, its ASCII form, the vendor's name as the registry gives it).
    public static let entries: [(id: UInt32, ascii: String, name: String)] = [
        (0x414D_4400, "AMD", "AMD"),
        (0x414E_5400, "ANT", "Ant Group"),
        (0x4154_4D4C, "ATML", "Atmel"),
        (0x4252_434D, "BRCM", "Broadcom"),
        (0x4353_434F, "CSCO", "Cisco"),
        (0x464C_5953, "FLYS", "Flyslice Technologies"),
        (0x524F_4343, "ROCC", "Fuzhou Rockchip"),
        (0x474F_4F47, "GOOG", "Google"),
        (0x4850_4900, "HPI", "HPI"),
        (0x4850_4500, "HPE", "HPE"),
        (0x4849_5349, "HISI", "Huawei"),
        (0x4942_4D00, "IBM", "IBM"),
        (0x4946_5800, "IFX", "Infineon"),
        (0x494E_5443, "INTC", "Intel"),
        (0x4C45_4E00, "LEN", "Lenovo"),
        (0x4D53_4654, "MSFT", "Microsoft"),
        (0x4E53_4D20, "NSM", "National Semiconductor"),
        (0x4E54_5A00, "NTZ", "Nationz"),
        (0x4E53_4700, "NSG", "NSING"),
        (0x4E54_4300, "NTC", "Nuvoton Technology"),
        (0x5143_4F4D, "QCOM", "Qualcomm"),
        (0x534D_534E, "SMSN", "Samsung"),
        (0x5345_4345, "SECE", "SecEdge"),
        (0x534E_5300, "SNS", "Sinosun"),
        (0x534D_5343, "SMSC", "SMSC"),
        (0x5354_4D20, "STM", "STMicroelectronics"),
        (0x5458_4E00, "TXN", "Texas Instruments"),
        (0x5745_4300, "WEC", "Winbond"),
        (0x5345_414C, "SEAL", "Wisekey"),
    ]

    private static let byID: [UInt32: String] = Dictionary(uniqueKeysWithValues: entries.map { ($0.id, $0.name) })

    /// The registered vendor's name, or nil.
    public static func name(of id: UInt32) -> String? { byID[id] }

    /// The vendor ID of a tcg-at-tpmManufacturer value: exactly "id:" and eight hex digits (either case); nil for
    /// anything else.
    public static func vendorID(manufacturer value: String) -> UInt32? {
        let u = Array(value.utf8)
        guard u.count == 11, u[0] == UInt8(ascii: "i"), u[1] == UInt8(ascii: "d"), u[2] == UInt8(ascii: ":") else {
            return nil
        }
        var id: UInt32 = 0
        for c in u[3...] {
            let digit: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c - UInt8(ascii: "A") + 10
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
            default: return nil
            }
            id = id << 4 | UInt32(digit)
        }
        return id
    }
}
