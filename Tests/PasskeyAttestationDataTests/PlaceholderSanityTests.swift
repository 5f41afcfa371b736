import PasskeyAttestationData
import Testing

@Suite struct AttestationDataModuleTests {
    @Test func moduleLinks() {
        // The parsers' own tests live beside this file; this one only proves the module builds and links alone.
        #expect(String(describing: AttestationData.self) == "AttestationData")
    }
}
