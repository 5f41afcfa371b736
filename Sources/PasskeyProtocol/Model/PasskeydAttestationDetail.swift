/// A format-specific fact about a verified attestation (`passkeyd.v1.AttestationDetail`), e.g. the android-key
/// security level or the TPM manufacturer.
public struct PasskeydAttestationDetail: Sendable, Hashable {
    public var name: String
    public var value: String
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
