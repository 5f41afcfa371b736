public import PasskeyCOSE
public import PasskeyCrypto

/// A small certificate authority for attestation tests: a root, and attestation leaves that meet (or, on request,
/// break) the packed certificate requirements.
public final class TestCA: @unchecked Sendable {
    public let rootKey: PrivateKey
    public let root: Certificate
    private let rootSubject: [(String, String)]
    private var serial: UInt64 = 2

    public static let aaguidOID = "1.3.6.1.4.1.45724.1.1.4"

    public init(name: String = "passkeyd Test Root", notBefore: Int64 = 1_600_000_000, notAfter: Int64 = 4_000_000_000) throws {
        rootKey = try PrivateKey.generateEC(.p256)
        rootSubject = [("C", "US"), ("O", "passkeyd tests"), ("CN", name)]
        var b = CertificateBuilder(
            subject: rootSubject, serial: 1, notBefore: notBefore,
            notAfter: notAfter, publicKey: rootKey.publicKey)
        b.isCA = true
        root = try b.sign(with: rootKey)
    }

    /// What to put in (or leave out of) an attestation leaf.
    public struct LeafOptions: Sendable {
        public var version = 3
        public var country: String? = "US"
        public var organization: String? = "passkeyd tests"
        public var organizationalUnit: String? = "Authenticator Attestation"
        public var commonName: String? = "passkeyd Soft Authenticator"
        public var isCA: Bool? = false
        /// The AAGUID for the extension, nil to omit it.
        public var aaguid: [UInt8]? = nil
        public var aaguidCritical = false
        public var notBefore: Int64 = 1_600_000_000
        public var notAfter: Int64 = 4_000_000_000
        public init() {}
    }

    /// Issues an attestation certificate for a new key of `algorithm`'s kind.
    public func issueAttestation(algorithm: COSEAlgorithm = .es256, options: LeafOptions = LeafOptions()) throws -> AttestationIdentity {
        let key: PrivateKey
        switch algorithm.keyType {
        case .ec2:
            switch algorithm.requiredCurve {
            case .p384?: key = try .generateEC(.p384)
            case .p521?: key = try .generateEC(.p521)
            case .secp256k1?: key = try .generateEC(.secp256k1)
            default: key = try .generateEC(.p256)
            }
        case .okp: key = try .generateEdwards(algorithm == .ed448 ? .ed448 : .ed25519)
        case .rsa: key = try .generateRSA(bits: 2048)
        }
        var subject: [(String, String)] = []
        if let c = options.country { subject.append(("C", c)) }
        if let o = options.organization { subject.append(("O", o)) }
        if let ou = options.organizationalUnit { subject.append(("OU", ou)) }
        if let cn = options.commonName { subject.append(("CN", cn)) }
        serial += 1
        var b = CertificateBuilder(
            subject: subject, issuer: rootSubject,
            serial: serial, notBefore: options.notBefore, notAfter: options.notAfter, publicKey: key.publicKey)
        b.version = options.version
        b.isCA = options.isCA
        if let aaguid = options.aaguid {
            b.extraExtensions.append((oid: Self.aaguidOID, critical: options.aaguidCritical, derValue: [0x04, 0x10] + aaguid))
        }
        let leaf = try b.sign(with: rootKey)
        return AttestationIdentity(key: key, algorithm: algorithm, chain: [leaf])
    }
}
