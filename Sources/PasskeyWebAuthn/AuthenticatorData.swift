public import PasskeyCBOR

/// Authenticator data flags (WebAuthn §6.1).
public struct AuthenticatorFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let userPresent = AuthenticatorFlags(rawValue: 0x01)
    public static let userVerified = AuthenticatorFlags(rawValue: 0x04)
    public static let backupEligible = AuthenticatorFlags(rawValue: 0x08)
    public static let backedUp = AuthenticatorFlags(rawValue: 0x10)
    public static let attestedCredentialData = AuthenticatorFlags(rawValue: 0x40)
    public static let extensionData = AuthenticatorFlags(rawValue: 0x80)
}

/// Authenticator data parsed in place (WebAuthn §6.1): every field is a view into the caller's bytes.
///
/// Parsing enforces the structure: at least 37 bytes; when AT is set, the attested credential data (AAGUID, a 2-byte
/// length that must fit in what is left, the credential id, one COSE_Key CBOR item); when ED is set, exactly one CBOR
/// map of extension outputs to the end; when ED is not set, nothing after the last structure. Whether AT may be set is
/// the ceremony's business, not the parser's.
public struct AuthenticatorData {
    public static let minimumCount = 37
    public static let maximumCredentialIDLength = 1023

    public let bytes: UnsafeRawBufferPointer
    public let flags: AuthenticatorFlags
    public let signCount: UInt32
    public var rpIdHash: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[0..<32]) }

    /// Present when AT is set.
    public let attested: AttestedCredentialData?
    /// The extension outputs map (raw CBOR), present when ED is set.
    public let extensions: UnsafeRawBufferPointer?

    public struct AttestedCredentialData {
        public let aaguid: UnsafeRawBufferPointer
        public let credentialID: UnsafeRawBufferPointer
        /// The reader over the whole authenticator data and the COSE_Key item inside it.
        public let keyReader: CBORReader
        public let keyItem: CBORItem
        public var publicKeyBytes: UnsafeRawBufferPointer { keyReader.encoded(keyItem) }
    }

    public init(_ bytes: UnsafeRawBufferPointer) throws(WebAuthnError) {
        guard bytes.count >= Self.minimumCount else {
            throw WebAuthnError(
                .malformedAuthenticatorData,
                "authenticator data is \(bytes.count) bytes; at least \(Self.minimumCount) are needed")
        }
        self.bytes = bytes
        let flags = AuthenticatorFlags(rawValue: bytes[32])
        self.flags = flags
        self.signCount = UInt32(bytes[33]) << 24 | UInt32(bytes[34]) << 16 | UInt32(bytes[35]) << 8 | UInt32(bytes[36])
        var offset = Self.minimumCount
        let reader = CBORReader(bytes)

        if flags.contains(.attestedCredentialData) {
            guard bytes.count - offset >= 18 else {
                throw WebAuthnError(
                    .malformedAuthenticatorData,
                    "AT is set but only \(bytes.count - offset) bytes follow the sign count; AAGUID and length need 18")
            }
            let aaguid = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + 16])
            let idLength = Int(bytes[offset + 16]) << 8 | Int(bytes[offset + 17])
            offset += 18
            guard idLength <= Self.maximumCredentialIDLength else {
                throw WebAuthnError(
                    .credentialIdTooLong,
                    "credential id is \(idLength) bytes; at most \(Self.maximumCredentialIDLength) are allowed")
            }
            guard idLength <= bytes.count - offset else {
                throw WebAuthnError(
                    .malformedAuthenticatorData,
                    "credential id length \(idLength) exceeds the \(bytes.count - offset) bytes left")
            }
            let credentialID = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + idLength])
            offset += idLength
            guard offset < bytes.count else {
                throw WebAuthnError(.malformedAuthenticatorData, "AT is set but the credential public key is missing")
            }
            let keyItem: CBORItem
            do {
                keyItem = try reader.readItem(at: offset)
            } catch {
                throw WebAuthnError(.malformedCBOR, "credential public key: \(error)")
            }
            offset = keyItem.end
            self.attested = AttestedCredentialData(
                aaguid: aaguid, credentialID: credentialID, keyReader: reader, keyItem: keyItem)
        } else {
            self.attested = nil
        }

        if flags.contains(.extensionData) {
            guard offset < bytes.count else {
                throw WebAuthnError(.extensionDataMismatch, "ED is set but no extension data follows")
            }
            let item: CBORItem
            do {
                item = try reader.readItem(at: offset)
            } catch {
                throw WebAuthnError(.malformedCBOR, "authenticator extension outputs: \(error)")
            }
            guard item.type == .map else {
                throw WebAuthnError(.malformedAuthenticatorData, "authenticator extension outputs are not a CBOR map")
            }
            guard item.end == bytes.count else {
                throw WebAuthnError(
                    .malformedAuthenticatorData,
                    "\(bytes.count - item.end) trailing bytes after the extension outputs")
            }
            self.extensions = UnsafeRawBufferPointer(rebasing: bytes[offset..<item.end])
        } else {
            self.extensions = nil
            if offset != bytes.count {
                throw WebAuthnError(
                    .extensionDataMismatch,
                    "ED is not set but \(bytes.count - offset) bytes follow "
                        + (flags.contains(.attestedCredentialData) ? "the credential public key" : "the sign count"))
            }
        }
    }
}
