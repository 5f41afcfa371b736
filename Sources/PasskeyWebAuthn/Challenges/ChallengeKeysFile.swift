import PasskeyJSON

extension ChallengeKeyRing {
    /// At most this many keys in one file (a rotation needs two or three).
    public static let maximumFileKeys = 64

    /// A ring from the challenge keys file (`challenge_keys_file`):
    ///
    ///     {"mint": "2026-06", "keys": {"2026-06": "<standard base64, ≥ 32 bytes>", "2026-05": "..."}}
    ///
    /// `mint` names the key that mints new challenges; every key listed checks tokens (keep the previous key listed
    /// until its tokens have expired). Strict: unknown members, duplicate names, a secret that is not canonical
    /// standard base64 or shorter than 32 bytes are errors; the messages never contain a secret.
    public convenience init(keysFile bytes: [UInt8]) throws(WebAuthnError) {
        var reader = JSONReader()
        var mint: String?
        var keys: [ChallengeKey] = []
        var problem: String?
        bytes.withUnsafeBytes { raw in
            let root: JSONReader.Value
            do throws(JSONError) {
                root = try reader.parse(raw)
            } catch {
                problem = "not JSON: \(error)"
                return
            }
            guard reader.kind(root) == .object else {
                problem = "the file must hold one JSON object"
                return
            }
            reader.forEachMember(root) { name, value in
                guard problem == nil else { return }
                if reader.string(name, equals: "mint") {
                    guard reader.kind(value) == .string, let s = reader.string(value) else {
                        problem = "\"mint\" must be a key name (a string)"
                        return
                    }
                    mint = s
                } else if reader.string(name, equals: "keys") {
                    guard reader.kind(value) == .object else {
                        problem = "\"keys\" must be an object of name: base64 secret"
                        return
                    }
                    reader.forEachMember(value) { keyName, secret in
                        guard problem == nil else { return }
                        guard keys.count < Self.maximumFileKeys else {
                            problem = "more than \(Self.maximumFileKeys) keys"
                            return
                        }
                        let name = reader.string(keyName) ?? ""
                        guard reader.kind(secret) == .string, let text = reader.string(secret), let decoded = Base64.decode(text) else {
                            problem = "key '\(name)': the secret is not standard base64"
                            return
                        }
                        guard decoded.count >= 32 else {
                            problem = "key '\(name)': the secret has \(decoded.count) bytes; at least 32 are needed"
                            return
                        }
                        do throws(WebAuthnError) {
                            keys.append(try ChallengeKey(name: name, secret: decoded))
                        } catch {
                            problem = error.message
                        }
                    }
                } else {
                    problem = "unknown member \"\(reader.string(name) ?? "")\" (the file has \"mint\" and \"keys\")"
                }
            }
        }
        if let problem { throw WebAuthnError(.malformedRequest, problem) }
        guard let mint else { throw WebAuthnError(.malformedRequest, "\"mint\" is missing: name the key that mints challenges") }
        guard !keys.isEmpty else { throw WebAuthnError(.malformedRequest, "\"keys\" is missing or empty") }
        try self.init(keys: keys, minting: mint)
    }
}
