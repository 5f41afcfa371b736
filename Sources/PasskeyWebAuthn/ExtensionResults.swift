import PasskeyJSON
import PasskeyCBOR

/// The members of a response's `clientExtensionResults` that passkeyd reads; every other extension is ignored.
/// A member that is present must have its specified type (a browser never sends anything else), or the response is
/// `malformed_request`.
public struct ClientExtensionResults: Sendable, Hashable {
    /// `appid` (§10.1.1): the assertion was made for the AppID instead of the RP ID.
    public var appid: Bool?
    /// `credProps.rk` (§10.1.3): whether the new credential is discoverable.
    public var credPropsRK: Bool?
    /// `largeBlob.supported` (registration) and `largeBlob.written` (authentication, §10.1.5).
    public var largeBlobSupported: Bool?
    public var largeBlobWritten: Bool?
    /// `prf.enabled` (registration, §10.1.4).
    public var prfEnabled: Bool?

    public init(
        appid: Bool? = nil, credPropsRK: Bool? = nil, largeBlobSupported: Bool? = nil, largeBlobWritten: Bool? = nil,
        prfEnabled: Bool? = nil
    ) {
        self.appid = appid
        self.credPropsRK = credPropsRK
        self.largeBlobSupported = largeBlobSupported
        self.largeBlobWritten = largeBlobWritten
        self.prfEnabled = prfEnabled
    }

    /// Reads the object `value` of a parsed response. Looks members up by name in the reader's nodes: no allocation
    /// unless it fails. Its size is bounded by the response JSON's own limits (128 KiB, 8192 values).
    init(reader: JSONReader, value v: JSONReader.Value) throws(WebAuthnError) {
        guard reader.kind(v) == .object else {
            throw WebAuthnError(.malformedRequest, "clientExtensionResults is not an object")
        }
        appid = try Self.bool(reader, v, "appid", "clientExtensionResults.appid")
        if let cp = try Self.object(reader, v, "credProps", "clientExtensionResults.credProps") {
            credPropsRK = try Self.bool(reader, cp, "rk", "clientExtensionResults.credProps.rk")
        }
        if let lb = try Self.object(reader, v, "largeBlob", "clientExtensionResults.largeBlob") {
            largeBlobSupported = try Self.bool(reader, lb, "supported", "clientExtensionResults.largeBlob.supported")
            largeBlobWritten = try Self.bool(reader, lb, "written", "clientExtensionResults.largeBlob.written")
        }
        if let prf = try Self.object(reader, v, "prf", "clientExtensionResults.prf") {
            prfEnabled = try Self.bool(reader, prf, "enabled", "clientExtensionResults.prf.enabled")
        }
    }

    static func object(
        _ r: JSONReader, _ o: JSONReader.Value, _ name: StaticString, _ path: StaticString
    ) throws(WebAuthnError) -> JSONReader.Value? {
        guard let v = r.member(o, name) else { return nil }
        guard r.kind(v) == .object else { throw WebAuthnError(.malformedRequest, "\(path) is not an object") }
        return v
    }

    static func bool(
        _ r: JSONReader, _ o: JSONReader.Value, _ name: StaticString, _ path: StaticString
    ) throws(WebAuthnError) -> Bool? {
        guard let v = r.member(o, name) else { return nil }
        guard let b = r.bool(v) else { throw WebAuthnError(.malformedRequest, "\(path) is not a boolean") }
        return b
    }
}

/// Extension outputs a verdict reports: what the client said (`clientExtensionResults`, response JSON only) and the
/// authenticator's credProtect output (its extension map in the authenticator data). nil: not reported.
public struct ExtensionResults: Sendable, Hashable {
    public let credPropsRK: Bool?
    /// 1 userVerificationOptional, 2 userVerificationOptionalWithCredentialIDList, 3 userVerificationRequired.
    public let credProtect: UInt8?
    public let largeBlobSupported: Bool?
    public let largeBlobWritten: Bool?
    public let prfEnabled: Bool?
    /// The assertion's rpIdHash was checked against the AppID (a U2F credential).
    public let appidUsed: Bool

    init(client c: ClientExtensionResults, credProtect: UInt8?) {
        credPropsRK = c.credPropsRK
        self.credProtect = credProtect
        largeBlobSupported = c.largeBlobSupported
        largeBlobWritten = c.largeBlobWritten
        prfEnabled = c.prfEnabled
        appidUsed = c.appid == true
    }

    /// Nothing reported.
    public static let none = ExtensionResults(client: ClientExtensionResults(), credProtect: nil)

    /// The `credProtect` member of authenticator extension outputs (a CBOR map, as `AuthenticatorData.extensions`):
    /// nil when absent; a value other than 1, 2 or 3 is malformed.
    static func credProtect(_ extensions: UnsafeRawBufferPointer?) throws(WebAuthnError) -> UInt8? {
        guard let extensions else { return nil }
        let reader = CBORReader(extensions)
        let found: CBORItem?
        do throws(CBORError) {
            found = try reader.value(in: try reader.readSingleItem(), textKey: "credProtect")
        } catch {
            throw WebAuthnError(.malformedCBOR, "authenticator extension outputs: \(error)")
        }
        guard let item = found else { return nil }
        guard let level = try? reader.unsigned(item), (1...3).contains(level) else {
            throw WebAuthnError(.malformedAuthenticatorData, "the credProtect extension output is not 1, 2 or 3")
        }
        return UInt8(level)
    }
}
