import ArgumentParser
import PasskeyClient
import PasskeyJSON
import PasskeyRequests
import PasskeyWebAuthn

struct OptionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "options",
        abstract: "Generate registration or authentication options on the server and print them as JSON.",
        discussion: """
            The request is the JSON object `passkeyd options` reads (see its help); the challenge is minted by the
            server's key ring. Prints {"ok": true, "options": {...}, "challenge_b64url", "expires_at_unix_ms",
            "timeout_ms"}. Exit status: 0 generated, 2 unusable input, a refusal, or a transport failure.
            """)

    @ParentCommand var root: Passkeyctl

    @Argument(help: "registration or authentication.")
    var kind: String

    @Argument(help: "Path of the request JSON, or - for standard input.")
    var request: String

    func run() async throws {
        guard let k = OptionsRequest.Kind(rawValue: kind) else {
            printError("passkeyctl: options: the kind must be registration or authentication, not '\(kind)'")
            throw ExitCode(2)
        }
        let bytes: [UInt8]
        do {
            bytes = try readAll(request)
        } catch {
            printError("passkeyctl: cannot read \(request): \(error)")
            throw ExitCode(2)
        }
        let call: Call
        do {
            call = try Self.parse(k, bytes)
        } catch {
            print(VerdictJSON.error(code: WebAuthnError.Code.malformedRequest.rawValue, message: error.description))
            throw ExitCode(2)
        }
        let client = try root.makeClient()
        let outcome: Result<GeneratedOptionsResult, PasskeydClientError>
        do throws(PasskeydClientError) {
            switch call {
            case let .registration(r): outcome = .success(try await client.generateRegistrationOptions(r))
            case let .authentication(r): outcome = .success(try await client.generateAuthenticationOptions(r))
            }
        } catch {
            outcome = .failure(error)
        }
        await client.close()
        switch outcome {
        case let .success(g):
            guard g.isGenerated else {
                print(VerdictJSON.error(code: g.errorCode ?? "", message: g.errorMessage))
                throw ExitCode(2)
            }
            var w = JSONWriter()
            w.beginObject()
            w.member("challenge_b64url", Base64URL.encode(g.challenge))
            w.member("expires_at_unix_ms", g.expiresAtUnixMs)
            w.member("timeout_ms", Int64(g.timeoutMs))
            w.endObject()
            print("{\"ok\":true,\"options\":" + g.optionsJSON + "," + String(w.text.dropFirst()))
        case let .failure(error):
            try report(error)
        }
    }

    enum Call {
        case registration(GenerateRegistrationOptionsRequest)
        case authentication(GenerateAuthenticationOptionsRequest)
    }

    /// The same members as `passkeyd options`, read by the same code, sent with the policy inline.
    static func parse(_ kind: OptionsRequest.Kind, _ json: [UInt8]) throws(RequestError) -> Call {
        try json.withBytes { (bytes) throws(RequestError) in
            var reader = JSONReader()
            let root: JSONReader.Value
            do {
                root = try reader.parse(bytes)
            } catch {
                throw RequestError("request is not strict JSON: \(error)")
            }
            guard reader.kind(root) == .object else { throw RequestError("request is not a JSON object") }
            var unknown: [String] = []
            let known = OptionsRequest.knownMembers(kind)
            reader.forEachMember(root) { k, _ in if let n = reader.string(k), !known.contains(n) { unknown.append(n) } }
            if !unknown.isEmpty { throw RequestError("unknown members: \(unknown.joined(separator: ", "))") }
            let f = JSONFields(reader: reader, root: root)
            let policy = try WireRequestJSON.policy(f)
            switch kind {
            case .registration:
                let e = try OptionsRequest.registration(f)
                var r = GenerateRegistrationOptionsRequest(
                    policy: policy, userID: e.user.id, userName: e.user.name, userDisplayName: e.user.displayName)
                r.excludeCredentials = e.excludeCredentials.map { PasskeydCredentialDescriptor(id: $0.id, transports: $0.transports) }
                r.context = e.context
                r.extensions = extensions(e.extensions)
                r.residentKey = e.residentKey?.rawValue ?? ""
                r.userVerification = e.userVerification?.rawValue ?? ""
                r.authenticatorAttachment = e.authenticatorAttachment?.rawValue ?? ""
                r.hints = e.hints?.map(\.rawValue) ?? []
                return .registration(r)
            case .authentication:
                let e = try OptionsRequest.authentication(f)
                var r = GenerateAuthenticationOptionsRequest(policy: policy)
                r.allowCredentials = e.allowCredentials.map { PasskeydCredentialDescriptor(id: $0.id, transports: $0.transports) }
                r.context = e.context
                r.extensions = extensions(e.extensions)
                r.userVerification = e.userVerification?.rawValue ?? ""
                r.hints = e.hints?.map(\.rawValue) ?? []
                return .authentication(r)
            }
        }
    }

    static func extensions(_ e: ExtensionInputs) -> PasskeydExtensionInputs? {
        guard !e.isEmpty else { return nil }
        func values(_ v: PRFValues) -> PasskeydExtensionInputs.PRFValues { .init(first: v.first, second: v.second) }
        var out = PasskeydExtensionInputs()
        if let p = e.prf {
            var byCredential: [PasskeydCredentialDescriptor.ID: PasskeydExtensionInputs.PRFValues] = [:]
            for entry in p.evalByCredential { byCredential[entry.credentialID] = values(entry.values) }
            out.prf = .init(eval: p.eval.map(values), evalByCredential: byCredential)
        }
        if let b = e.largeBlob { out.largeBlob = .init(support: b.support?.rawValue, read: b.read, write: b.write) }
        if let c = e.credProtect { out.credProtect = .init(policy: c.policy.rawValue, enforce: c.enforce) }
        return out
    }
}
