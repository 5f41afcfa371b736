import Synchronization
public import PasskeyCOSE
public import PasskeyCrypto

/// A small certificate authority for attestation tests: a root, and attestation leaves that meet (or, on request,
/// break) the packed certificate requirements.
public final class TestCA: @unchecked Sendable {
    public let rootKey: PrivateKey
    /// This CA's certificate: self-signed for a root, issued by its parent for an intermediate (`intermediate(name:)`).
    public let root: Certificate
    private let rootSubject: [(String, String)]
    /// Serial numbers: tests share one CA across threads, so the counter is atomic.
    private let serials = Atomic<UInt64>(2)
    /// The chain from this CA up to, not including, the root of trust (empty for a root).
    public private(set) var chainAboveLeaf: [Certificate] = []

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

    private init(key: PrivateKey, certificate: Certificate, subject: [(String, String)], chain: [Certificate]) {
        rootKey = key
        root = certificate
        rootSubject = subject
        chainAboveLeaf = chain
    }

    /// An intermediate CA under this one: its `chainAboveLeaf` is the intermediate itself (plus this CA's own
    /// intermediates), so a leaf it issues chains as leaf → intermediate → this CA.
    public func intermediate(name: String, key: PrivateKey? = nil) throws -> TestCA {
        let k = try key ?? PrivateKey.generateEC(.p256)
        let subject = [("C", "US"), ("O", "passkeyd tests"), ("CN", name)]
        let cert = try issue(subject: subject, publicKey: k.publicKey, isCA: true)
        return TestCA(key: k, certificate: cert, subject: subject, chain: [cert] + chainAboveLeaf)
    }

    /// Issues any certificate: the given subject (empty allowed), key, basicConstraints and extensions (extnValue
    /// contents, DER), signed by this CA.
    public func issue(
        subject: [(String, String)], publicKey: PublicKey, isCA: Bool? = false,
        extensions: [(oid: String, critical: Bool, derValue: [UInt8])] = [], version: Int = 3,
        notBefore: Int64 = 1_600_000_000, notAfter: Int64 = 4_000_000_000, hash: HashAlgorithm = .sha256
    ) throws -> Certificate {
        let serial = serials.wrappingAdd(1, ordering: .relaxed).newValue
        var b = CertificateBuilder(
            subject: subject, issuer: rootSubject, serial: serial, notBefore: notBefore, notAfter: notAfter,
            publicKey: publicKey)
        b.version = version
        b.isCA = isCA
        b.extraExtensions = extensions
        return try b.sign(with: rootKey, hash: hash)
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
        case .akp: throw SoftError("attestation certificates carry OpenSSL keys; \(algorithm) is not one")
        }
        var subject: [(String, String)] = []
        if let c = options.country { subject.append(("C", c)) }
        if let o = options.organization { subject.append(("O", o)) }
        if let ou = options.organizationalUnit { subject.append(("OU", ou)) }
        if let cn = options.commonName { subject.append(("CN", cn)) }
        let serial = serials.wrappingAdd(1, ordering: .relaxed).newValue
        var b = CertificateBuilder(
            subject: subject, issuer: rootSubject,
            serial: serial, notBefore: options.notBefore, notAfter: options.notAfter, publicKey: key.publicKey)
        b.version = options.version
        b.isCA = options.isCA
        if let aaguid = options.aaguid {
            b.extraExtensions.append((oid: Self.aaguidOID, critical: options.aaguidCritical, derValue: [0x04, 0x10] + aaguid))
        }
        let leaf = try b.sign(with: rootKey)
        return AttestationIdentity(key: key, algorithm: algorithm, chain: [leaf] + chainAboveLeaf)
    }
}
