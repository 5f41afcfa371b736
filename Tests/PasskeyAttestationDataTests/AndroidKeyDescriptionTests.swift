import PasskeyAttestationData
import Testing

@Suite struct AndroidKeyDescriptionTests {
    static let challenge: [UInt8] = Array(0..<32)

    static func description(
        version: [UInt8] = D.int(200), level: [UInt8] = D.enumerated(1), challenge: [UInt8] = D.octets(challenge),
        software: [UInt8] = D.seq(D.tagged(701, D.int16(1234))),
        hardware: [UInt8] = D.seq(D.tagged(1, D.set(D.int(2), D.int(3))), D.tagged(702, D.int(0))),
        trailing: [UInt8] = []
    ) -> [UInt8] {
        D.tlv([0x30], version + level + D.int(200) + D.enumerated(2) + challenge + D.octets([]) + software + hardware + trailing)
    }

    @Test func readsTheFieldsWebAuthnNeeds() throws {
        let d = try AndroidKeyDescription(derEncoded: Self.description())
        #expect(d.attestationVersion == 200)
        #expect(d.attestationSecurityLevel == .trustedEnvironment)
        #expect(d.keymasterVersion == 200)
        #expect(d.keymasterSecurityLevel == .strongBox)
        #expect(d.attestationChallenge == Self.challenge)
        #expect(d.uniqueId.isEmpty)
        #expect(d.hardwareEnforced == .init(purposes: [2, 3], allApplications: false, origin: 0, fieldCount: 2))
        #expect(d.softwareEnforced == .init(purposes: nil, allApplications: false, origin: nil, fieldCount: 1))
        #expect(AndroidKeyDescription.SecurityLevel.allCases.map(\.name) == ["software", "tee", "strongbox"])
    }

    @Test func allApplicationsAndEmptyLists() throws {
        let d = try AndroidKeyDescription(derEncoded: Self.description(software: D.seq(D.tagged(600, D.null)), hardware: D.seq()))
        #expect(d.softwareEnforced.allApplications)
        #expect(d.hardwareEnforced == .init())
    }

    @Test func unknownFieldsAreSkippedInAnyOrder() throws {
        // Out of tag order (some devices write that), nested, huge tag numbers, a constructed unknown field.
        let hardware = D.seq(
            D.tagged(702, D.int(0)), D.tagged(704, D.seq(D.octets([1]), D.tlv([0x01], [0xFF]))), D.tagged(1, D.set(D.int(2))),
            D.tagged(0x3FFF, D.null), D.tagged(9999, D.seq(D.seq(D.seq()))), D.tagged(3, D.int(0x7F)))
        let d = try AndroidKeyDescription(derEncoded: Self.description(hardware: hardware))
        #expect(d.hardwareEnforced.origin == 0)
        #expect(d.hardwareEnforced.purposes == [2])
        #expect(d.hardwareEnforced.fieldCount == 6)
    }

    @Test func rejectsWhatIsNotAKeyDescription() {
        let cases: [(String, [UInt8])] = [
            ("empty", []),
            ("not a sequence", D.octets([1])),
            ("truncated", Array(Self.description().dropLast())),
            ("trailing bytes", Self.description() + [0x00]),
            ("extra field", Self.description(trailing: D.null)),
            ("missing hardwareEnforced", D.tlv([0x30], D.int(1) + D.enumerated(1) + D.int(1) + D.enumerated(1) + D.octets([]) + D.octets([]) + D.seq())),
            ("version not INTEGER", Self.description(version: D.octets([1]))),
            ("unknown security level", Self.description(level: D.enumerated(3))),
            ("level as INTEGER", Self.description(level: D.int(1))),
            ("challenge too long", Self.description(challenge: D.octets([UInt8](repeating: 1, count: 129)))),
            ("list not a sequence", Self.description(software: D.set())),
            ("universal field in a list", Self.description(software: D.seq(D.int(1)))),
            ("purpose twice", Self.description(hardware: D.seq(D.tagged(1, D.set(D.int(2))), D.tagged(1, D.set(D.int(2)))))),
            ("origin twice", Self.description(hardware: D.seq(D.tagged(702, D.int(0)), D.tagged(702, D.int(0))))),
            ("allApplications twice", Self.description(hardware: D.seq(D.tagged(600, D.null), D.tagged(600, D.null)))),
            ("purpose not a set", Self.description(hardware: D.seq(D.tagged(1, D.int(2))))),
            ("origin not an integer", Self.description(hardware: D.seq(D.tagged(702, D.null)))),
            ("allApplications not NULL", Self.description(hardware: D.seq(D.tagged(600, D.int(0))))),
            ("implicit origin", Self.description(hardware: D.seq(D.tlv([0x9F, 0x85, 0x3E], [0x00])))),
            ("tagged with two values", Self.description(hardware: D.seq(D.tagged(702, D.int(0) + D.int(0))))),
            ("non-minimal length", [0x30, 0x81, 0x00]),
            ("too many purposes", Self.description(hardware: D.seq(D.tagged(1, D.tlv([0x31], (0..<17).flatMap { _ in D.int(2) }))))),
        ]
        for (name, bytes) in cases {
            #expect(throws: AndroidKeyDescriptionError.self, "\(name)") { _ = try AndroidKeyDescription(derEncoded: bytes) }
        }
    }

    @Test func sizeLimitIsCheckedFirst() {
        let big = [UInt8](repeating: 0, count: AndroidKeyDescription.maximumEncodedBytes + 1)
        #expect(throws: AndroidKeyDescriptionError.self) { _ = try AndroidKeyDescription(derEncoded: big) }
    }

    @Test func workIsLinearInTheNumberOfSkippedFields() throws {
        // 2,000 unknown fields parse (each skipped once) and are all counted.
        let fields = (0..<2000).flatMap { D.tagged(800 + UInt($0), D.null) }
        let d = try AndroidKeyDescription(derEncoded: Self.description(software: D.tlv([0x30], fields)))
        #expect(d.softwareEnforced.fieldCount == 2000)
    }
}
