import PasskeyJSON
import PasskeyCOSE
import PasskeySoftAuthenticator
import PasskeyWebAuthn

/// `--emit-request` / `--emit-registration-request`: one valid request in the JSON shape of `passkeyd verify`, made by
/// the soft authenticator (fixtures for passkeyctl and the daemon's CLI).
enum Fixtures {
    static func emit(authentication: String?, registration: String?, algorithm: COSEAlgorithm) throws {
        if let path = authentication {
            let challenge = SoftRandom.bytes(32)
            let (authenticator, assertion) = try Corpus.credential(algorithm, challenge: challenge)
            let text = "{" + common(kind: "authentication", challenge: challenge)
                + ",\"credential_public_key_b64url\":\(q(Base64URL.encode(authenticator.cosePublicKey)))"
                + ",\"stored_sign_count\":0,\"stored_backup_eligible\":false"
                + ",\"stored_credential_id_b64url\":\(q(Base64URL.encode(authenticator.credentialID)))"
                + ",\"response\":" + String(decoding: assertion.json, as: UTF8.self) + "}\n"
            try writeFile(path, text)
        }
        if let path = registration {
            let authenticator = try SoftAuthenticator(algorithm: algorithm)
            let challenge = SoftRandom.bytes(32)
            let created = try authenticator.register(rpId: BenchRP.id, origin: BenchRP.origin, challenge: challenge)
            let text = "{" + common(kind: "registration", challenge: challenge)
                + ",\"response\":" + String(decoding: created.json, as: UTF8.self) + "}\n"
            try writeFile(path, text)
        }
    }

    private static func common(kind: String, challenge: [UInt8]) -> String {
        "\"kind\":\(q(kind)),\"rp_id\":\(q(BenchRP.id)),\"origins\":[\(q(BenchRP.origin))]"
            + ",\"challenge_b64url\":\(q(Base64URL.encode(challenge)))"
    }

    private static func q(_ s: String) -> String { JSONWriter.quoted(s) }
}
