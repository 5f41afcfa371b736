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
