public import PasskeyJSON
/// The browser's `PublicKeyCredential.toJSON()` output, decoded: base64url members become bytes, unknown members are
/// ignored, `id` and `rawId` must name the same credential.
public struct CredentialResponseJSON: Sendable {
    public let credentialID: [UInt8]
    public let clientDataJSON: [UInt8]
    /// Registration: the attestation object. Authentication: nil.
    public let attestationObject: [UInt8]?
    /// Authentication: authenticator data and signature. Registration: nil.
    public let authenticatorData: [UInt8]?
    public let signature: [UInt8]?
    public let userHandle: [UInt8]?
    public let transports: [String]
    /// The members of `clientExtensionResults` passkeyd reads (credProps, largeBlob, prf, appid).
    public let clientExtensionResults: ClientExtensionResults

    /// Parses `RegistrationResponseJSON` or `AuthenticationResponseJSON` text.
    public init(json: UnsafeRawBufferPointer, reader: inout JSONReader) throws(WebAuthnError) {
        let members = try CredentialResponseMembers<[UInt8]>(
            json: json, reader: &reader, decode: { Base64URL.decode($0, allowPadding: true) }, equal: { $0 == $1 },
            count: { $0.count })
        self.credentialID = members.credentialID
        self.clientDataJSON = members.clientDataJSON
        self.attestationObject = members.attestationObject
        self.authenticatorData = members.authenticatorData
        self.signature = members.signature
        self.userHandle = members.userHandle
        self.clientExtensionResults = members.clientExtensionResults
        var transports: [String] = []
        if let t = members.transports {
            reader.forEachElement(t) { e in
                if let s = reader.string(e) { transports.append(s) }
            }
        }
        self.transports = transports
    }
}

/// The members of a `PublicKeyCredential.toJSON()` response, checked and decoded in one fixed order, so that every
/// decoder of it (owned arrays in `CredentialResponseJSON`, views into a verifier's scratch on the authentication hot
/// path) accepts and refuses exactly the same texts with the same errors. `Bytes` is what a base64url member becomes.
struct CredentialResponseMembers<Bytes> {
    let credentialID: Bytes
    let clientDataJSON: Bytes
    let attestationObject: Bytes?
    let authenticatorData: Bytes?
    let signature: Bytes?
    let userHandle: Bytes?
    /// `response.transports` when present: an array whose elements are all strings.
    let transports: JSONReader.Value?
    /// `clientExtensionResults` (absent: nothing reported).
    let clientExtensionResults: ClientExtensionResults

    /// - Parameters:
    ///   - decode: base64url (padding allowed) of a member's decoded string, or nil when it is not base64url.
    ///   - equal: whether two decoded members are the same bytes (`id` against `rawId`).
    ///   - count: a decoded member's length.
    init(
        json: UnsafeRawBufferPointer, reader: inout JSONReader, decode: (UnsafeRawBufferPointer) -> Bytes?,
        equal: (Bytes, Bytes) -> Bool, count: (Bytes) -> Int
    ) throws(WebAuthnError) {
        try InputLimits.check("the credential response JSON", json.count, InputLimits.responseJSON)
        let root: JSONReader.Value
        do {
            root = try reader.parse(json)
        } catch {
            throw WebAuthnError(.malformedJSON, "credential response is not strict JSON: \(error)")
        }
        guard reader.kind(root) == .object else {
            throw WebAuthnError(.malformedRequest, "credential response is not a JSON object")
        }
        guard let type = reader.member(root, "type") else {
            throw WebAuthnError(.malformedRequest, "credential response has no 'type' (must be 'public-key')")
        }
        guard reader.string(type, equals: "public-key") else {
            throw WebAuthnError(.malformedRequest, "credential response type is not 'public-key'")
        }
        let id = try Self.bytes(reader, root, "id", "id", decode)
        let rawId = try Self.bytes(reader, root, "rawId", "rawId", decode)
        guard equal(id, rawId) else {
            throw WebAuthnError(.credentialIdMismatch, "credential response id and rawId differ")
        }
        guard count(rawId) > 0 else {
            throw WebAuthnError(.credentialIdEmpty, "credential response id and rawId are empty")
        }
        guard let response = reader.member(root, "response"), reader.kind(response) == .object else {
            throw WebAuthnError(.malformedRequest, "credential response has no object 'response'")
        }
        self.credentialID = rawId
        self.clientDataJSON = try Self.bytes(reader, response, "clientDataJSON", "response.clientDataJSON", decode)
        self.attestationObject = try Self.optionalBytes(
            reader, response, "attestationObject", "response.attestationObject", decode)
        self.authenticatorData = try Self.optionalBytes(
            reader, response, "authenticatorData", "response.authenticatorData", decode)
        self.signature = try Self.optionalBytes(reader, response, "signature", "response.signature", decode)
        self.userHandle = try Self.optionalBytes(reader, response, "userHandle", "response.userHandle", decode)
        if let handle = userHandle {
            try InputLimits.check("response.userHandle", count(handle), InputLimits.userHandle)
        }
        if let t = reader.member(response, "transports") {
            guard reader.kind(t) == .array else {
                throw WebAuthnError(.malformedRequest, "response.transports is not an array")
            }
            var bad = false
            guard reader.count(t) <= InputLimits.transports else {
                throw WebAuthnError(
                    .fieldTooLarge, "response.transports has \(reader.count(t)) values; at most \(InputLimits.transports) are accepted")
            }
            reader.forEachElement(t) { e in
                if reader.kind(e) != .string { bad = true }
            }
            if bad { throw WebAuthnError(.malformedRequest, "response.transports holds a non-string") }
            self.transports = t
        } else {
            self.transports = nil
        }
        if let x = reader.member(root, "clientExtensionResults") {
            self.clientExtensionResults = try ClientExtensionResults(reader: reader, value: x)
        } else {
            self.clientExtensionResults = ClientExtensionResults()
        }
    }

    static func optionalBytes(
        _ reader: JSONReader, _ object: JSONReader.Value, _ name: StaticString, _ path: String,
        _ decode: (UnsafeRawBufferPointer) -> Bytes?
    ) throws(WebAuthnError) -> Bytes? {
        guard let v = reader.member(object, name), reader.kind(v) != .null else { return nil }
        return try bytes(reader, object, name, path, decode)
    }

    static func bytes(
        _ reader: JSONReader, _ object: JSONReader.Value, _ name: StaticString, _ path: String,
        _ decode: (UnsafeRawBufferPointer) -> Bytes?
    ) throws(WebAuthnError) -> Bytes {
        guard let v = reader.member(object, name) else {
            throw WebAuthnError(.malformedRequest, "credential response has no '\(path)'")
        }
        guard let decoded = reader.withDecodedString(v, { decode($0) }) else {
            throw WebAuthnError(.malformedRequest, "credential response '\(path)' is not a string")
        }
        guard let bytes = decoded else {
            throw WebAuthnError(.invalidBase64URL, "credential response '\(path)' is not base64url")
        }
        return bytes
    }
}

extension WebAuthnVerifier {
    /// Verifies an authentication from the browser's `AuthenticationResponseJSON` text.
    ///
    /// The base64url members are decoded into the verifier's reusable scratch and verified in place, so a reused
    /// verifier allocates nothing here in steady state (the same checks, in the same order, as `CredentialResponseJSON`).
    /// `usernameless`: the login's allowCredentials was empty, so the response must carry a userHandle.
    public func verifyAuthentication(
        responseJSON: [UInt8], challenge: [UInt8], credential: StoredCredential, usernameless: Bool = false,
        relyingParty rp: RelyingParty
    ) throws(WebAuthnError) -> VerifiedAuthentication {
        try responseJSON.withBytes { (json) throws(WebAuthnError) in
            try withViews(credential.id, credential.aaguid) { (storedID, storedAAGUID) throws(WebAuthnError) in
                try withViews(challenge, credential.userHandle) { (ch, storedHandle) throws(WebAuthnError) in
                    try credential.publicKey.withBytes { (pk) throws(WebAuthnError) in
                        try verifyAuthentication(
                            responseJSON: json, challenge: ch!, publicKey: pk, storedSignCount: credential.signCount,
                            storedBackupEligible: credential.backupEligible, storedCredentialID: storedID,
                            storedAAGUID: storedAAGUID, storedUserHandle: storedHandle, usernameless: usernameless,
                            relyingParty: rp)
                    }
                }
            }
        }
    }

    /// Verifies an authentication from `AuthenticationResponseJSON` text given as a view (the wire path), with the
    /// same zero-allocation decoding as the array entry point.
    public func verifyAuthentication(
        responseJSON json: UnsafeRawBufferPointer, challenge: UnsafeRawBufferPointer, publicKey: UnsafeRawBufferPointer,
        storedSignCount: UInt32, storedBackupEligible: Bool? = nil, storedCredentialID: UnsafeRawBufferPointer? = nil,
        storedAAGUID: UnsafeRawBufferPointer? = nil, storedUserHandle: UnsafeRawBufferPointer? = nil,
        usernameless: Bool = false, relyingParty rp: RelyingParty
    ) throws(WebAuthnError) -> VerifiedAuthentication {
        try withAssertion(responseJSON: json) { (assertion) throws(WebAuthnError) in
            try verifyAuthentication(
                assertion, challenge: challenge, publicKey: publicKey, storedSignCount: storedSignCount,
                storedBackupEligible: storedBackupEligible, storedCredentialID: storedCredentialID,
                storedAAGUID: storedAAGUID, storedUserHandle: storedUserHandle, usernameless: usernameless, relyingParty: rp)
        }
    }

    /// Verifies an authentication from `AuthenticationResponseJSON` text whose challenge this service issued for
    /// `context`; pending until the replay store records the challenge.
    public func verifyAuthentication(
        responseJSON json: UnsafeRawBufferPointer, issuedBy keys: ChallengeKeyRing, context: UnsafeRawBufferPointer,
        stored: StoredCredentialView, nowMs: Int64? = nil, relyingParty rp: RelyingParty
    ) throws(WebAuthnError) -> PendingAuthentication {
        try withAssertion(responseJSON: json) { (assertion) throws(WebAuthnError) in
            try verifyAuthentication(assertion, issuedBy: keys, context: context, stored: stored, nowMs: nowMs, relyingParty: rp)
        }
    }

    /// Decodes `AuthenticationResponseJSON` into the verifier's reusable scratch and calls `body` with views of it.
    func withAssertion<R>(
        responseJSON json: UnsafeRawBufferPointer, _ body: (AssertionView) throws(WebAuthnError) -> R
    ) throws(WebAuthnError) -> R {
        try withResponseScratch(atLeast: json.count) { (scratch) throws(WebAuthnError) in
            // The decoded members are disjoint parts of the text and never longer than their base64url spelling,
            // so `json.count` bytes of scratch hold them all.
            var used = 0
            let response = try CredentialResponseMembers<UnsafeRawBufferPointer>(
                json: json, reader: &responseReader,
                decode: { encoded in
                    let out = UnsafeMutableRawBufferPointer(rebasing: scratch[used...])
                    guard let n = Base64URL.decode(encoded, into: out, allowPadding: true) else { return nil }
                    used += n
                    return UnsafeRawBufferPointer(rebasing: out[0..<n])
                },
                equal: { $0.elementsEqual($1) }, count: { $0.count })
            guard let authenticatorData = response.authenticatorData, let signature = response.signature else {
                throw WebAuthnError(
                    .malformedRequest, "authentication response lacks response.authenticatorData or response.signature")
            }
            return try body(
                AssertionView(
                    credentialID: response.credentialID, authenticatorData: authenticatorData,
                    clientDataJSON: response.clientDataJSON, signature: signature, userHandle: response.userHandle,
                    clientExtensions: response.clientExtensionResults))
        }
    }

    /// Verifies an authentication from raw byte fields.
    public func verifyAuthentication(
        credentialID: [UInt8]? = nil, authenticatorData: [UInt8], clientDataJSON: [UInt8], signature: [UInt8],
        challenge: [UInt8], credential: StoredCredential, relyingParty rp: RelyingParty
    ) throws(WebAuthnError) -> VerifiedAuthentication {
        try withViews(credentialID, credential.id) { (id, storedID) throws(WebAuthnError) in
            try authenticatorData.withBytes { (ad) throws(WebAuthnError) in
                try clientDataJSON.withBytes { (cd) throws(WebAuthnError) in
                    try signature.withBytes { (sig) throws(WebAuthnError) in
                        try challenge.withBytes { (ch) throws(WebAuthnError) in
                            try withViews(credential.publicKey, credential.aaguid) { (pk, storedAAGUID) throws(WebAuthnError) in
                                try verifyAuthentication(
                                    AssertionView(credentialID: id, authenticatorData: ad, clientDataJSON: cd, signature: sig),
                                    challenge: ch, publicKey: pk!, storedSignCount: credential.signCount,
                                    storedBackupEligible: credential.backupEligible, storedCredentialID: storedID,
                                    storedAAGUID: storedAAGUID, relyingParty: rp)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Verifies a registration from the browser's `RegistrationResponseJSON` text.
    public func verifyRegistration(
        responseJSON: [UInt8], challenge: [UInt8], relyingParty rp: RelyingParty
    ) throws(WebAuthnError) -> VerifiedRegistration {
        var reader = JSONReader()
        let response = try responseJSON.withBytes { (json) throws(WebAuthnError) in
            try CredentialResponseJSON(json: json, reader: &reader)
        }
        guard let attestationObject = response.attestationObject else {
            throw WebAuthnError(.malformedRequest, "registration response lacks response.attestationObject")
        }
        return try verifyRegistration(
            credentialID: response.credentialID, clientDataJSON: response.clientDataJSON,
            attestationObject: attestationObject, transports: response.transports,
            clientExtensions: response.clientExtensionResults, challenge: challenge, relyingParty: rp)
    }

    /// Verifies a registration from raw byte fields.
    public func verifyRegistration(
        credentialID: [UInt8]? = nil, clientDataJSON: [UInt8], attestationObject: [UInt8], transports: [String] = [],
        clientExtensions: ClientExtensionResults = ClientExtensionResults(), challenge: [UInt8], relyingParty rp: RelyingParty
    ) throws(WebAuthnError) -> VerifiedRegistration {
        try withViews(credentialID, nil) { (id, _) throws(WebAuthnError) in
            try clientDataJSON.withBytes { (cd) throws(WebAuthnError) in
                try attestationObject.withBytes { (ao) throws(WebAuthnError) in
                    try challenge.withBytes { (ch) throws(WebAuthnError) in
                        try verifyRegistration(
                            AttestationView(
                                credentialID: id, clientDataJSON: cd, attestationObject: ao, transports: transports,
                                clientExtensions: clientExtensions),
                            challenge: ch, relyingParty: rp)
                    }
                }
            }
        }
    }
}

/// Calls `body` with views of two optional arrays.
func withViews<R>(
    _ a: [UInt8]?, _ b: [UInt8]?,
    _ body: (UnsafeRawBufferPointer?, UnsafeRawBufferPointer?) throws(WebAuthnError) -> R
) throws(WebAuthnError) -> R {
    func inner(_ va: UnsafeRawBufferPointer?) throws(WebAuthnError) -> R {
        guard let b else { return try body(va, nil) }
        return try b.withBytes { (vb) throws(WebAuthnError) in try body(va, vb) }
    }
    guard let a else { return try inner(nil) }
    return try a.withBytes { (va) throws(WebAuthnError) in try inner(va) }
}
