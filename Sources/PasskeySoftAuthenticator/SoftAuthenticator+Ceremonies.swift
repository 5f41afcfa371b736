import PasskeyJSON
public import PasskeyCOSE
public import PasskeyCrypto
public import PasskeyWebAuthn
import PasskeyCBOR

/// What a browser returns from `navigator.credentials.create()`.
public struct SoftRegistration: Sendable {
    public var credentialID: [UInt8]
    public var clientDataJSON: [UInt8]
    public var attestationObject: [UInt8]
    public var authenticatorData: [UInt8]
    public var transports: [String]
    /// The `clientExtensionResults` object the browser would report, as JSON text.
    public var clientExtensionResultsJSON = "{}"

    /// `RegistrationResponseJSON` text, as `PublicKeyCredential.toJSON()` produces it.
    public var json: [UInt8] {
        let id = Base64URL.encode(credentialID)
        let transportsJSON = transports.map { "\"\($0)\"" }.joined(separator: ",")
        let s = "{\"id\":\"\(id)\",\"rawId\":\"\(id)\",\"type\":\"public-key\",\"authenticatorAttachment\":\"cross-platform\","
            + "\"response\":{\"clientDataJSON\":\"\(Base64URL.encode(clientDataJSON))\","
            + "\"attestationObject\":\"\(Base64URL.encode(attestationObject))\",\"transports\":[\(transportsJSON)]},"
            + "\"clientExtensionResults\":\(clientExtensionResultsJSON)}"
        return Array(s.utf8)
    }
}

/// What a browser returns from `navigator.credentials.get()`.
public struct SoftAssertion: Sendable {
    public var credentialID: [UInt8]
    public var authenticatorData: [UInt8]
    public var clientDataJSON: [UInt8]
    public var signature: [UInt8]
    public var userHandle: [UInt8]?
    /// The `clientExtensionResults` object the browser would report, as JSON text.
    public var clientExtensionResultsJSON = "{}"

    /// `AuthenticationResponseJSON` text.
    public var json: [UInt8] {
        let id = Base64URL.encode(credentialID)
        var s = "{\"id\":\"\(id)\",\"rawId\":\"\(id)\",\"type\":\"public-key\","
            + "\"response\":{\"clientDataJSON\":\"\(Base64URL.encode(clientDataJSON))\","
            + "\"authenticatorData\":\"\(Base64URL.encode(authenticatorData))\","
            + "\"signature\":\"\(Base64URL.encode(signature))\""
        if let userHandle { s += ",\"userHandle\":\"\(Base64URL.encode(userHandle))\"" }
        s += "},\"clientExtensionResults\":\(clientExtensionResultsJSON)}"
        return Array(s.utf8)
    }
}

/// How the authenticator attests a new credential.
public enum SoftAttestation: Sendable {
    case none
    /// `packed` signed by the credential key itself.
    case packedSelf
    /// `packed` with an attestation certificate chain.
    case packed(AttestationIdentity)
    /// `fido-u2f` (needs an ES256 credential and a P-256 attestation key).
    case fidoU2F(AttestationIdentity)
    /// Any other format: `make` builds the encoded attStmt (a CBOR item) from the authenticator data and the client
    /// data hash. Each format's generator (tpm, android-key, apple, ...) is a static factory returning one of these.
    case statement(format: String, make: @Sendable (_ authenticator: SoftAuthenticator, _ authData: [UInt8], _ clientDataHash: [UInt8]) throws -> [UInt8])
}

/// An attestation key and its certificate chain (leaf first, anchor excluded).
public struct AttestationIdentity: Sendable {
    public var key: PrivateKey
    public var algorithm: COSEAlgorithm
    public var chain: [Certificate]
    public init(key: PrivateKey, algorithm: COSEAlgorithm, chain: [Certificate]) {
        self.key = key
        self.algorithm = algorithm
        self.chain = chain
    }
}

/// Knobs a test turns to produce a particular (possibly invalid) ceremony.
public struct SoftCeremonyOptions: Sendable {
    public var flags: AuthenticatorFlags = [.userPresent, .userVerified]
    public var extensions: [UInt8]? = nil
    public var crossOrigin: Bool? = false
    public var topOrigin: String? = nil
    public var type: String? = nil
    /// Overrides the counter written (otherwise the authenticator's counter is incremented and used).
    public var signCount: UInt32? = nil
    public var userHandle: [UInt8]? = nil
    public var transports: [String] = ["usb"]
    /// Overrides the AAGUID written into the attested credential data.
    public var aaguid: [UInt8]? = nil
    public init() {}
}

extension SoftAuthenticator {
    /// Creates a credential: client data, authenticator data with the attested credential, attestation statement.
    public func register(
        rpId: String, origin: String, challenge: [UInt8], attestation: SoftAttestation = .none,
        options: SoftCeremonyOptions = SoftCeremonyOptions()
    ) throws -> SoftRegistration {
        let clientData = ClientDataJSON.make(
            type: options.type ?? "webauthn.create", challenge: challenge, origin: origin,
            crossOrigin: options.crossOrigin, topOrigin: options.topOrigin)
        let count = options.signCount ?? signCount
        // A U2F device has no AAGUID: the client writes 16 zero bytes (CTAP2 §11, U2F interoperability).
        var aaguidOverride: [UInt8]? = options.aaguid
        if case .fidoU2F = attestation, aaguidOverride == nil { aaguidOverride = [UInt8](repeating: 0, count: 16) }
        let authData = authenticatorData(
            rpId: rpId, flags: options.flags, signCount: count, attested: true, extensions: options.extensions,
            aaguid: aaguidOverride)
        let clientDataHash = SoftHash.sha256(clientData)
        let statement: [UInt8]
        let fmt: String
        switch attestation {
        case .none:
            fmt = "none"
            var w = CBORWriter()
            w.beginMap(0)
            statement = w.bytes
        case .packedSelf:
            fmt = "packed"
            statement = Self.packedStatement(alg: algorithm, sig: try sign(authData + clientDataHash), x5c: nil)
        case let .packed(identity):
            fmt = "packed"
            guard let scheme = identity.algorithm.signatureScheme else {
                throw SoftError("an attestation key cannot sign \(identity.algorithm)")
            }
            let sig = try identity.key.sign(authData + clientDataHash, scheme: scheme)
            statement = Self.packedStatement(alg: identity.algorithm, sig: sig, x5c: identity.chain.map(\.derBytes))
        case let .fidoU2F(identity):
            fmt = "fido-u2f"
            guard let key = credentialPrivateKey.openSSLKey, case let .ec(_, x, y) = key.publicComponents else {
                throw SoftError("fido-u2f needs an EC key")
            }
            var data: [UInt8] = [0x00]
            data += Array(authData[0..<32]) + clientDataHash + credentialID + [0x04] + x + y
            let sig = try identity.key.sign(data, scheme: .ecdsa(.sha256))
            var w = CBORWriter()
            w.beginMap(2)
            w.writeText("sig"); w.writeBytes(sig)
            w.writeText("x5c"); w.beginArray(identity.chain.count)
            for c in identity.chain { w.writeBytes(c.derBytes) }
            statement = w.bytes
        case let .statement(format, make):
            fmt = format
            statement = try make(self, authData, clientDataHash)
        }
        return SoftRegistration(
            credentialID: credentialID, clientDataJSON: clientData,
            attestationObject: Self.attestationObject(fmt: fmt, statement: statement, authData: authData),
            authenticatorData: authData, transports: options.transports)
    }

    /// Signs an assertion; the counter grows by one unless `options.signCount` says otherwise.
    public func assert(
        rpId: String, origin: String, challenge: [UInt8], options: SoftCeremonyOptions = SoftCeremonyOptions()
    ) throws -> SoftAssertion {
        let clientData = ClientDataJSON.make(
            type: options.type ?? "webauthn.get", challenge: challenge, origin: origin,
            crossOrigin: options.crossOrigin, topOrigin: options.topOrigin)
        let count: UInt32
        if let c = options.signCount {
            count = c
        } else {
            signCount &+= 1
            count = signCount
        }
        let authData = authenticatorData(
            rpId: rpId, flags: options.flags, signCount: count, attested: false, extensions: options.extensions)
        let sig = try sign(authData + SoftHash.sha256(clientData))
        return SoftAssertion(
            credentialID: credentialID, authenticatorData: authData, clientDataJSON: clientData, signature: sig,
            userHandle: options.userHandle)
    }

    public static func packedStatement(alg: COSEAlgorithm, sig: [UInt8], x5c: [[UInt8]]?) -> [UInt8] {
        var w = CBORWriter()
        w.beginMap(x5c == nil ? 2 : 3)
        w.writeText("alg"); w.writeInt(alg.rawValue)
        w.writeText("sig"); w.writeBytes(sig)
        if let x5c {
            w.writeText("x5c"); w.beginArray(x5c.count)
            for c in x5c { w.writeBytes(c) }
        }
        return w.bytes
    }

    public static func attestationObject(fmt: String, statement: [UInt8], authData: [UInt8]) -> [UInt8] {
        var w = CBORWriter()
        w.beginMap(3)
        w.writeText("fmt"); w.writeText(fmt)
        w.writeText("attStmt"); w.writeRaw(statement)
        w.writeText("authData"); w.writeBytes(authData)
        return w.bytes
    }
}

public struct SoftError: Error, CustomStringConvertible {
    public let description: String
    public init(_ d: String) { description = d }
}
