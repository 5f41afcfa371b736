public import PasskeyCOSE
public import PasskeyCrypto
import PasskeyCBOR

/// One AuthorizationList of a generated Android key description.
public struct SoftAuthorizationList: Sendable {
    /// KM_TAG_PURPOSE [1] values; nil omits the field.
    public var purposes: [Int]?
    public var allApplications = false
    /// KM_TAG_ORIGIN [702]; nil omits the field.
    public var origin: Int?
    /// Further fields, (tag, DER value) written as [tag] EXPLICIT value in this order: what newer KeyMint versions
    /// add (rootOfTrust [704], osVersion [705], attestationApplicationId [709], ...), which a verifier must skip.
    public var otherFields: [(tag: UInt, value: [UInt8])] = []

    public init(purposes: [Int]? = nil, allApplications: Bool = false, origin: Int? = nil) {
        self.purposes = purposes
        self.allApplications = allApplications
        self.origin = origin
    }

    /// What a real TEE key carries: purpose SIGN (and VERIFY), origin GENERATED, and the usual extra fields.
    public static var hardwareDefault: SoftAuthorizationList {
        var list = SoftAuthorizationList(purposes: [2], origin: 0)
        list.otherFields = [
            (2, SoftDER.integer(3)),  // algorithm EC
            (3, SoftDER.integer(256)),  // keySize
            (5, SoftDER.set([SoftDER.integer(4)])),  // digest SHA-256
            (503, SoftDER.null),  // noAuthRequired
            (704, SoftDER.sequence([  // rootOfTrust
                SoftDER.octetString([UInt8](repeating: 0xAB, count: 32)), SoftDER.tlv([0x01], [0xFF]),
                SoftDER.integer(0, tag: 0x0A), SoftDER.octetString([UInt8](repeating: 0xCD, count: 32)),
            ])),
            (705, SoftDER.integer(150000)),  // osVersion
            (706, SoftDER.integer(202612)),  // osPatchLevel
        ]
        return list
    }

    /// What the software-enforced list of a real key carries: creation time and the calling app, nothing WebAuthn checks.
    public static var softwareDefault: SoftAuthorizationList {
        var list = SoftAuthorizationList()
        list.otherFields = [
            (701, SoftDER.integer(1_790_000_000_000)),  // creationDateTime
            (709, SoftDER.octetString(Array("com.google.android.gms".utf8))),  // attestationApplicationId (abridged)
        ]
        return list
    }

    public var der: [UInt8] {
        var fields: [(UInt, [UInt8])] = []
        if let purposes { fields.append((1, SoftDER.set(purposes.map { SoftDER.integer($0) }))) }
        if allApplications { fields.append((600, SoftDER.null)) }
        if let origin { fields.append((702, SoftDER.integer(origin))) }
        fields += otherFields.map { ($0.tag, $0.value) }
        // DER orders a SEQUENCE's tagged fields by tag; tests that want another order put it in otherFields.
        let sorted = fields.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }
        return SoftDER.sequence(sorted.map { SoftDER.explicit($0.element.0, $0.element.1) })
    }
}

/// Knobs for an `android-key` attestation; the defaults make a valid TEE attestation.
public struct AndroidKeyAttestationOptions: Sendable {
    public var attestationVersion = 300
    /// SecurityLevel raw values (0 software, 1 TEE, 2 StrongBox; others are invalid).
    public var attestationSecurityLevel = 1
    public var keymasterVersion = 300
    public var keymasterSecurityLevel = 1
    /// attestationChallenge; nil: the client data hash (as a real device writes it).
    public var challenge: [UInt8]? = nil
    public var uniqueId: [UInt8] = []
    public var softwareEnforced = SoftAuthorizationList.softwareDefault
    public var hardwareEnforced = SoftAuthorizationList.hardwareDefault
    /// The extension's extnValue as given, instead of the key description built from the fields above.
    public var rawKeyDescription: [UInt8]? = nil
    /// Leave the key description extension out.
    public var omitKeyDescription = false
    /// Certify this key instead of the credential key (the signature is still the credential key's).
    public var certifiedKey: PublicKey? = nil
    /// Sign with this key instead of the credential key.
    public var signingKey: PrivateKey? = nil
    /// The `alg` written (nil: the credential's algorithm).
    public var algorithm: COSEAlgorithm? = nil
    /// Flip a bit of the signature.
    public var corruptSignature = false
    /// Append this root to x5c, as real devices do (their chains end with Google's root).
    public var chainRoot: Certificate? = nil

    public init() {}

    /// The key description's extnValue for these options.
    public func keyDescription(clientDataHash: [UInt8]) -> [UInt8] {
        if let rawKeyDescription { return rawKeyDescription }
        return SoftDER.sequence([
            SoftDER.integer(attestationVersion),
            SoftDER.integer(attestationSecurityLevel, tag: 0x0A),
            SoftDER.integer(keymasterVersion),
            SoftDER.integer(keymasterSecurityLevel, tag: 0x0A),
            SoftDER.octetString(challenge ?? clientDataHash),
            SoftDER.octetString(uniqueId),
            softwareEnforced.der,
            hardwareEnforced.der,
        ])
    }
}

extension SoftAttestation {
    /// `android-key` (WebAuthn L3 §8.4): the credential key is certified by `ca` (a root or an intermediate) in a
    /// leaf carrying the key description extension, and signs authenticatorData || clientDataHash itself.
    public static func androidKey(ca: TestCA, options: AndroidKeyAttestationOptions = AndroidKeyAttestationOptions())
        -> SoftAttestation
    {
        .statement(format: "android-key") { authenticator, authData, clientDataHash in
            var extensions: [(oid: String, critical: Bool, derValue: [UInt8])] = []
            if !options.omitKeyDescription {
                extensions.append(
                    (oid: "1.3.6.1.4.1.11129.2.1.17", critical: false,
                     derValue: options.keyDescription(clientDataHash: clientDataHash)))
            }
            let leaf = try ca.issue(
                subject: [("CN", "Android Keystore Key")],
                publicKey: options.certifiedKey ?? authenticator.privateKey.publicKey, isCA: nil, extensions: extensions)
            let alg = options.algorithm ?? authenticator.algorithm
            let signer = options.signingKey ?? authenticator.privateKey
            var sig = try signer.sign(authData + clientDataHash, scheme: alg.signatureScheme!)
            if options.corruptSignature { sig[sig.count / 2] ^= 0x01 }
            var w = CBORWriter()
            w.beginMap(3)
            w.writeText("alg"); w.writeInt(alg.rawValue)
            w.writeText("sig"); w.writeBytes(sig)
            let chain = [leaf] + ca.chainAboveLeaf + (options.chainRoot.map { [$0] } ?? [])
            w.writeText("x5c"); w.beginArray(chain.count)
            for c in chain { w.writeBytes(c.derBytes) }
            return w.bytes
        }
    }
}
