import PasskeyMetadata
import Testing

@Suite struct MetadataIndexTests {
    @Test func lookupsAndStatuses() {
        let a: [UInt8] = Array(0..<16)
        let u2fKey: [UInt8] = Array(repeating: 7, count: 20)
        let entries = [
            MetadataEntry(
                aaguid: a, description: "Key A",
                statusReports: [
                    StatusReport(status: .fidoCertifiedL1, effectiveDate: "2023-01-01"),
                    StatusReport(status: .fidoCertified, effectiveDate: "2022-06-01"),
                    StatusReport(status: .attestationKeyCompromise, effectiveDate: "2025-03-04"),
                ]),
            MetadataEntry(
                aaguid: nil, attestationCertificateKeyIdentifiers: [u2fKey], description: "U2F key",
                statusReports: [StatusReport(status: .fidoCertified, effectiveDate: nil)]),
        ]
        let index = MetadataIndex(entries: entries, number: 42, nextUpdate: "2026-12-01")
        #expect(index.entry(aaguid: a)?.description == "Key A")
        #expect(index.entry(aaguid: Array(repeating: 0, count: 16)) == nil)
        #expect(index.entry(attestationCertificateKeyIdentifier: u2fKey)?.description == "U2F key")
        let e = index.entry(aaguid: a)!
        #expect(e.latestStatus == .attestationKeyCompromise)
        #expect(e.certificationLevel == .fidoCertifiedL1)
        #expect(e.statuses(in: AuthenticatorStatus.rejectedByDefault) == [.attestationKeyCompromise])
        // 2026-12-01T00:00:00Z is 1796083200.
        #expect(index.nextUpdateUnix == 1_796_083_200)
        #expect(!index.isStale(at: 1_796_083_199))
        #expect(index.isStale(at: 1_796_083_200))
    }
}

@Suite struct MetadataIndexDuplicateTests {
    @Test func repeatedKeysAreMergedOnceAndAnEntryListingAKeyTwiceIsOneClaimant() {
        let k1: [UInt8] = Array(repeating: 1, count: 20), k2: [UInt8] = Array(repeating: 2, count: 20)
        let a = MetadataEntry(
            aaguid: nil, attestationCertificateKeyIdentifiers: [k1, k2, k1], description: "A",
            statusReports: [StatusReport(status: .fidoCertified, effectiveDate: "2020-01-01")], positions: [0])
        let b = MetadataEntry(
            aaguid: nil, attestationCertificateKeyIdentifiers: [k1, k2], description: "B",
            statusReports: [StatusReport(status: .revoked, effectiveDate: "2021-01-01")], positions: [1])
        let index = MetadataIndex(entries: [a, b], number: 1, nextUpdate: "2030-01-01")
        #expect(index.duplicateKeys == 2 && index.keyIdentifierCount == 2 && index.count == 2)
        let m1 = index.entry(attestationCertificateKeyIdentifier: k1), m2 = index.entry(attestationCertificateKeyIdentifier: k2)
        #expect(m1?.positions == [0, 1] && m2?.positions == [0, 1])
        #expect(m1?.description == "A" && m1?.latestStatus == .revoked)
        #expect(m1?.statuses(in: [.revoked]) == [.revoked])
        // Only A lists k1 twice; alone it would be one claimant.
        let alone = MetadataIndex(entries: [a], number: 1, nextUpdate: "2030-01-01")
        #expect(alone.duplicateKeys == 0 && alone.entry(attestationCertificateKeyIdentifier: k1)?.positions == [0])
        #expect(alone.provenance == .unchecked)
    }
}
