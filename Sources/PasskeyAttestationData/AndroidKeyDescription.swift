import SwiftASN1

/// The Android key attestation extension (OID 1.3.6.1.4.1.11129.2.1.17), the `KeyDescription` a KeyMint / Keymaster
/// implementation writes into the leaf of an `android-key` attestation chain.
///
/// Schema: developer.android.com/privacy-and-security/security-key-attestation ("Key attestation extension data
/// schema") and source.android.com/docs/security/features/keystore/attestation#schema; tag numbers as in Google's
/// github.com/google/android-key-attestation `Constants.java` (KM_TAG_PURPOSE 1, KM_TAG_ALL_APPLICATIONS 600,
/// KM_TAG_ORIGIN 702):
///
/// ```
/// KeyDescription ::= SEQUENCE {
///     attestationVersion        INTEGER,
///     attestationSecurityLevel  SecurityLevel,
///     keyMintVersion            INTEGER,          -- keymasterVersion before KeyMint
///     keyMintSecurityLevel      SecurityLevel,
///     attestationChallenge      OCTET STRING,
///     uniqueId                  OCTET STRING,
///     softwareEnforced          AuthorizationList,
///     hardwareEnforced          AuthorizationList, -- teeEnforced before KeyMint
/// }
/// SecurityLevel ::= ENUMERATED { Software (0), TrustedEnvironment (1), StrongBox (2) }
/// AuthorizationList ::= SEQUENCE {
///     purpose          [1]   EXPLICIT SET OF INTEGER OPTIONAL,
///     ...              -- dozens more, every version adds some
///     allApplications  [600] EXPLICIT NULL OPTIONAL,
///     ...
///     origin           [702] EXPLICIT INTEGER OPTIONAL,
///     ...
/// }
/// ```
///
/// Only purpose, allApplications and origin are interpreted; every other tagged field of an AuthorizationList is
/// skipped as it stands (one look at its tag), so the fields newer versions add are tolerated and cost linear time.
/// The whole extension is parsed once by SwiftASN1's strict DER reader (flat node records, depth ≤ 50, trailing bytes
/// rejected). A field this parser reads that appears twice in one list is an error: which copy counts would be a guess.
public struct AndroidKeyDescription: Sendable, Hashable {
    /// The extension's OID.
    public static let oid = "1.3.6.1.4.1.11129.2.1.17"
    /// Upper bound on the extension's size; real ones are 0.2–1.5 KiB.
    public static let maximumEncodedBytes = 16 * 1024
    /// Upper bound on `attestationChallenge` (KeyMint accepts at most 128 bytes).
    public static let maximumChallengeBytes = 128
    /// Upper bound on the purpose values of one list (KeyMint defines eight purposes).
    public static let maximumPurposes = 16

    public enum SecurityLevel: Int, Sendable, Hashable, CaseIterable {
        case software = 0
        case trustedEnvironment = 1
        case strongBox = 2

        /// "software", "tee", "strongbox".
        public var name: String {
            switch self {
            case .software: "software"
            case .trustedEnvironment: "tee"
            case .strongBox: "strongbox"
            }
        }
    }

    public var attestationVersion: Int
    public var attestationSecurityLevel: SecurityLevel
    /// keymasterVersion (Keymaster) or keyMintVersion (KeyMint).
    public var keymasterVersion: Int
    public var keymasterSecurityLevel: SecurityLevel
    public var attestationChallenge: [UInt8]
    public var uniqueId: [UInt8]
    public var softwareEnforced: AuthorizationList
    /// hardwareEnforced (KeyMint) / teeEnforced (Keymaster).
    public var hardwareEnforced: AuthorizationList

    public init(
        attestationVersion: Int, attestationSecurityLevel: SecurityLevel, keymasterVersion: Int,
        keymasterSecurityLevel: SecurityLevel, attestationChallenge: [UInt8], uniqueId: [UInt8],
        softwareEnforced: AuthorizationList, hardwareEnforced: AuthorizationList
    ) {
        self.attestationVersion = attestationVersion
        self.attestationSecurityLevel = attestationSecurityLevel
        self.keymasterVersion = keymasterVersion
        self.keymasterSecurityLevel = keymasterSecurityLevel
        self.attestationChallenge = attestationChallenge
        self.uniqueId = uniqueId
        self.softwareEnforced = softwareEnforced
        self.hardwareEnforced = hardwareEnforced
    }

    /// The fields of an AuthorizationList that WebAuthn §8.4 looks at.
    public struct AuthorizationList: Sendable, Hashable {
        /// KM_TAG_PURPOSE values in the order written; nil when the field is absent.
        public var purposes: [Int]?
        /// KM_TAG_ALL_APPLICATIONS is present.
        public var allApplications: Bool
        /// KM_TAG_ORIGIN; nil when absent.
        public var origin: Int?
        /// Every tagged field of the list, including the ones skipped.
        public var fieldCount: Int

        public init(purposes: [Int]? = nil, allApplications: Bool = false, origin: Int? = nil, fieldCount: Int = 0) {
            self.purposes = purposes
            self.allApplications = allApplications
            self.origin = origin
            self.fieldCount = fieldCount
        }

        public static let purposeTag: UInt = 1
        public static let allApplicationsTag: UInt = 600
        public static let originTag: UInt = 702
        /// KM_PURPOSE_SIGN.
        public static let purposeSign = 2
        /// KM_ORIGIN_GENERATED.
        public static let originGenerated = 0
    }

    /// Parses the extnValue contents of the key description extension.
    public init(derEncoded bytes: [UInt8]) throws(AndroidKeyDescriptionError) {
        guard bytes.count <= Self.maximumEncodedBytes else {
            throw AndroidKeyDescriptionError(
                "the key description is \(bytes.count) bytes; at most \(Self.maximumEncodedBytes) are accepted")
        }
        let root: ASN1Node
        do {
            root = try DER.parse(bytes)
        } catch {
            throw AndroidKeyDescriptionError("the key description is not DER: \(error)")
        }
        guard root.identifier == .sequence, case let .constructed(children) = root.content else {
            throw AndroidKeyDescriptionError("the key description is not a SEQUENCE")
        }
        var fields = children.makeIterator()
        func next(_ name: String) throws(AndroidKeyDescriptionError) -> ASN1Node {
            guard let node = fields.next() else {
                throw AndroidKeyDescriptionError("the key description ends before \(name)")
            }
            return node
        }
        attestationVersion = try Self.integer(next("attestationVersion"), "attestationVersion")
        attestationSecurityLevel = try Self.securityLevel(next("attestationSecurityLevel"), "attestationSecurityLevel")
        keymasterVersion = try Self.integer(next("keyMintVersion"), "keyMintVersion")
        keymasterSecurityLevel = try Self.securityLevel(next("keyMintSecurityLevel"), "keyMintSecurityLevel")
        attestationChallenge = try Self.octets(
            next("attestationChallenge"), "attestationChallenge", limit: Self.maximumChallengeBytes)
        uniqueId = try Self.octets(next("uniqueId"), "uniqueId", limit: Self.maximumEncodedBytes)
        softwareEnforced = try Self.authorizationList(next("softwareEnforced"), "softwareEnforced")
        hardwareEnforced = try Self.authorizationList(next("hardwareEnforced"), "hardwareEnforced")
        if fields.next() != nil {
            throw AndroidKeyDescriptionError("the key description has fields after hardwareEnforced")
        }
    }

    // MARK: - Fields

    private static func integer(_ node: ASN1Node, _ name: String) throws(AndroidKeyDescriptionError) -> Int {
        do {
            return try Int(derEncoded: node)
        } catch {
            throw AndroidKeyDescriptionError("\(name) is not an INTEGER that fits 64 bits")
        }
    }

    private static func securityLevel(_ node: ASN1Node, _ name: String) throws(AndroidKeyDescriptionError) -> SecurityLevel {
        let raw: Int
        do {
            raw = try Int(derEncoded: node, withIdentifier: .enumerated)
        } catch {
            throw AndroidKeyDescriptionError("\(name) is not an ENUMERATED")
        }
        guard let level = SecurityLevel(rawValue: raw) else {
            throw AndroidKeyDescriptionError("\(name) is \(raw), not a known SecurityLevel (0, 1 or 2)")
        }
        return level
    }

    private static func octets(_ node: ASN1Node, _ name: String, limit: Int) throws(AndroidKeyDescriptionError) -> [UInt8] {
        let bytes: ArraySlice<UInt8>
        do {
            bytes = try ASN1OctetString(derEncoded: node).bytes
        } catch {
            throw AndroidKeyDescriptionError("\(name) is not an OCTET STRING")
        }
        guard bytes.count <= limit else {
            throw AndroidKeyDescriptionError("\(name) is \(bytes.count) bytes; at most \(limit) are accepted")
        }
        return Array(bytes)
    }

    private static func authorizationList(_ node: ASN1Node, _ name: String) throws(AndroidKeyDescriptionError)
        -> AuthorizationList
    {
        guard node.identifier == .sequence, case let .constructed(children) = node.content else {
            throw AndroidKeyDescriptionError("\(name) is not a SEQUENCE")
        }
        var list = AuthorizationList()
        var sawAllApplications = false
        for field in children {
            list.fieldCount += 1
            guard field.identifier.tagClass == .contextSpecific else {
                throw AndroidKeyDescriptionError("\(name) holds a field that is not context-tagged (\(field.identifier))")
            }
            let tag = field.identifier.tagNumber
            guard tag == AuthorizationList.purposeTag || tag == AuthorizationList.allApplicationsTag
                || tag == AuthorizationList.originTag
            else { continue }  // Every other field is skipped uninterpreted.
            // EXPLICIT tagging: a constructed [n] holding exactly one element.
            guard case let .constructed(inner) = field.content else {
                throw AndroidKeyDescriptionError("\(name) [\(tag)] is not an explicitly tagged value")
            }
            var elements = inner.makeIterator()
            guard let value = elements.next(), elements.next() == nil else {
                throw AndroidKeyDescriptionError("\(name) [\(tag)] does not hold exactly one value")
            }
            switch tag {
            case AuthorizationList.purposeTag:
                guard list.purposes == nil else { throw AndroidKeyDescriptionError("\(name) has purpose twice") }
                guard value.identifier == .set, case let .constructed(members) = value.content else {
                    throw AndroidKeyDescriptionError("\(name) purpose is not a SET OF INTEGER")
                }
                var purposes: [Int] = []
                for member in members {
                    guard purposes.count < Self.maximumPurposes else {
                        throw AndroidKeyDescriptionError(
                            "\(name) purpose has more than \(Self.maximumPurposes) values")
                    }
                    purposes.append(try integer(member, "\(name) purpose value"))
                }
                list.purposes = purposes
            case AuthorizationList.allApplicationsTag:
                guard !sawAllApplications else { throw AndroidKeyDescriptionError("\(name) has allApplications twice") }
                do {
                    _ = try ASN1Null(derEncoded: value)
                } catch {
                    throw AndroidKeyDescriptionError("\(name) allApplications is not NULL")
                }
                sawAllApplications = true
                list.allApplications = true
            default:  // origin
                guard list.origin == nil else { throw AndroidKeyDescriptionError("\(name) has origin twice") }
                list.origin = try integer(value, "\(name) origin")
            }
        }
        return list
    }
}

/// Why a key description could not be read.
public struct AndroidKeyDescriptionError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
