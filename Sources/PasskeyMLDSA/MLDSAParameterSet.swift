/// The ML-DSA parameter sets passkeyd verifies (FIPS 204, Table 1), with their encoded sizes (FIPS 204, Table 2;
/// repeated in RFC 9964 / draft-ietf-cose-dilithium §5, Table 1).
///
/// ML-DSA-44 is deliberately absent: no package here offers it through a public API, and passkeyd writes no lattice
/// code of its own, so a credential that asks for it is refused before it reaches this module.
public enum MLDSAParameterSet: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case mldsa65
    case mldsa87

    /// The encoded public key (pkEncode, FIPS 204 Algorithm 22): ρ and t1.
    public var publicKeyByteCount: Int {
        switch self {
        case .mldsa65: 1952
        case .mldsa87: 2592
        }
    }

    /// The encoded signature (sigEncode, FIPS 204 Algorithm 26): c̃, z and the hints.
    public var signatureByteCount: Int {
        switch self {
        case .mldsa65: 3309
        case .mldsa87: 4627
        }
    }

    public var description: String {
        switch self {
        case .mldsa65: "ML-DSA-65"
        case .mldsa87: "ML-DSA-87"
        }
    }
}
