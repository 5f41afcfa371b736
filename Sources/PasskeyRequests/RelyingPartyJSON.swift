import PasskeyJSON
public import PasskeyWebAuthn
import PasskeyCOSE
import PasskeyCrypto

#if canImport(Glibc)
    import Glibc
#endif

/// The relying-party members shared by `passkeyd verify` requests and the server's config file:
/// rp_id, origins, android_apk_cert_sha256, require_user_verification, require_user_presence_at_registration, allowed_algorithms,
/// allow_cross_origin, top_origins, sign_count_policy, backup_eligibility_policy, backup_state_policy,
/// minimum_rsa_bits, verify_at_unix, trust_anchors_pem (and, in the config file, trust_anchors_pem_files).
public enum RelyingPartyJSON {
    public static let members: Set<String> = [
        "rp_id", "origins", "android_apk_cert_sha256", "require_user_verification", "require_user_presence_at_registration",
        "allowed_algorithms", "allow_cross_origin", "top_origins", "sign_count_policy", "backup_eligibility_policy",
        "backup_state_policy", "minimum_rsa_bits", "verify_at_unix", "trust_anchors_pem", "attestation_mode",
        "allowed_aaguids", "android_key_allow_software", "safetynet_max_skew_ms", "compromised_authenticator_policy",
        "attestation_roots", "attestation_allow_rs1", "options", "app_id",
    ]

    /// Decodes the members of `object` into a relying party. Relative `trust_anchors_pem_files` are resolved against
    /// `directory`.
    /// `attestation` is what the party starts from: the server's roots per format and its metadata store.
    public static func decode(
        reader: JSONReader, object: JSONReader.Value, directory: String? = nil,
        attestation: AttestationPolicy = AttestationPolicy()
    ) throws(RequestError) -> RelyingParty {
        try decode(JSONFields(reader: reader, root: object), directory: directory, attestation: attestation)
    }

    static func decode(
        _ fields: JSONFields, directory: String? = nil, attestation: AttestationPolicy = AttestationPolicy()
    ) throws(RequestError) -> RelyingParty {
        var policy = Policy()
        policy.attestation = attestation
        try decodeAttestation(fields, into: &policy, directory: directory)
        try decodeOptions(fields, into: &policy)
        if let v = try fields.bool("require_user_verification") { policy.requireUserVerification = v }
        if let v = try fields.bool("require_user_presence_at_registration") { policy.requireUserPresenceAtRegistration = v }
        if let v = try fields.bool("allow_cross_origin") { policy.allowCrossOrigin = v }
        if let v = try fields.strings("top_origins") { policy.allowedTopOrigins = v }
        if let v = try fields.int("minimum_rsa_bits") { policy.minimumRSAModulusBits = Int(v) }
        if let v = try fields.int("verify_at_unix"), v != 0 { policy.verificationTime = v }  // 0 means now, as on the wire
        if let algs = try fields.ints("allowed_algorithms") {
            var set = Set<COSEAlgorithm>()
            for a in algs {
                guard let alg = COSEAlgorithm(rawValue: a) else {
                    throw RequestError("allowed_algorithms: \(a) is not a supported COSE algorithm")
                }
                set.insert(alg)
            }
            policy.allowedAlgorithms = set
        }
        policy.signCountRegression = try fields.action("sign_count_policy") ?? .reject
        policy.backupEligibilityChange = try fields.action("backup_eligibility_policy") ?? .reject
        policy.backupStateWithoutEligibility = try fields.action("backup_state_policy") ?? .reject
        var pems = try fields.strings("trust_anchors_pem") ?? []
        for file in try fields.strings("trust_anchors_pem_files") ?? [] {
            let path: String = file.hasPrefix("/") || directory == nil ? file : directory! + "/" + file
            guard let text = readTextFile(path) else { throw RequestError("cannot read trust anchor file \(path)") }
            pems.append(contentsOf: splitPEM(text))
        }
        if !pems.isEmpty {
            do throws(WebAuthnError) {
                policy.trustAnchors = try TrustAnchors(pem: pems)
            } catch {
                throw RequestError(error.message)
            }
        }
        let rp: RelyingParty
        let rpID = try fields.requiredString("rp_id")
        let origins = try fields.strings("origins") ?? []
        let android = try fields.strings("android_apk_cert_sha256") ?? []
        do throws(WebAuthnError) {
            rp = try RelyingParty(id: rpID, origins: origins, androidAPKSigningCertificateSHA256: android, policy: policy)
        } catch {
            throw RequestError(error.message)
        }
        return rp
    }

    /// attestation_mode, allowed_aaguids, android_key_allow_software, safetynet_max_skew_ms,
    /// compromised_authenticator_policy and attestation_roots: {"FORMAT": {"pem": [...], "pem_files": [...],
    /// "replace": false}} (extends the format's roots unless "replace" is true).
    static func decodeAttestation(_ fields: JSONFields, into policy: inout Policy, directory: String?) throws(RequestError) {
        if let mode = try fields.string("attestation_mode") {
            guard let m = AttestationPolicy.Mode(rawValue: mode) else {
                throw RequestError("'attestation_mode' must be \"none\", \"verify\" or \"trusted\"")
            }
            policy.attestation.mode = m
        }
        if let ids = try fields.strings("allowed_aaguids") {
            var set = Set<[UInt8]>()
            for id in ids {
                guard let bytes = parseUUID(id) else { throw RequestError("allowed_aaguids: '\(id)' is not a UUID") }
                set.insert(bytes)
            }
            policy.attestation.allowedAAGUIDs = set
        }
        if let v = try fields.bool("android_key_allow_software") { policy.attestation.androidKeyAllowSoftware = v }
        if let v = try fields.bool("attestation_allow_rs1") { policy.attestation.allowRS1AttestationSignatures = v }
        if let v = try fields.int("safetynet_max_skew_ms") {
            guard (1...86_400_000).contains(v) else { throw RequestError("'safetynet_max_skew_ms' must be 1...86400000") }
            policy.attestation.safetyNetMaxSkewMilliseconds = v
        }
        if let a = try fields.action("compromised_authenticator_policy") { policy.compromisedAuthenticator = a }
        guard let roots = fields.value("attestation_roots") else { return }
        let r = fields.reader
        guard r.kind(roots) == .object else { throw RequestError("'attestation_roots' must be an object of formats") }
        var problem: RequestError?
        r.forEachMember(roots) { k, v in
            guard problem == nil, let format = r.string(k) else { return }
            do throws(RequestError) {
                guard AttestationFormats.supported.contains(format) else {
                    throw RequestError("attestation_roots: '\(format)' is not an attestation format")
                }
                let spec = JSONFields(reader: r, root: v)
                guard r.kind(v) == .object else { throw RequestError("attestation_roots.\(format) must be an object") }
                var pems = try spec.strings("pem") ?? []
                for file in try spec.strings("pem_files") ?? [] {
                    let path: String = file.hasPrefix("/") || directory == nil ? file : directory! + "/" + file
                    guard let text = readTextFile(path) else { throw RequestError("cannot read attestation root file \(path)") }
                    pems.append(contentsOf: splitPEM(text))
                }
                var certificates: [Certificate] = []
                for (i, pem) in pems.enumerated() {
                    do throws(CryptoError) {
                        certificates.append(try Certificate(pem: pem))
                    } catch {
                        throw RequestError("attestation_roots.\(format)[\(i)] is not a PEM certificate: \(error.message)")
                    }
                }
                if try spec.bool("replace") ?? false {
                    policy.attestation.formatRoots.replace(format, with: certificates)
                } else {
                    policy.attestation.formatRoots.extend(format, with: certificates)
                }
            } catch {
                problem = error
            }
        }
        if let problem { throw problem }
    }

    /// A UUID in its 8-4-4-4-12 hex spelling (either case) as 16 bytes.
    public static func parseUUID(_ s: String) -> [UInt8]? {
        let groups = s.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12] else { return nil }
        return Hex.decode(groups.joined())
    }

    /// Splits a PEM bundle into single certificates.
    static func splitPEM(_ text: String) -> [String] {
        var out: [String] = []
        var current: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("-----BEGIN CERTIFICATE-----") { current = [] }
            current.append(line)
            if line.hasPrefix("-----END CERTIFICATE-----") { out.append(current.joined(separator: "\n") + "\n") }
        }
        return out
    }
}

/// Reads a whole text file (config and PEM files are small).
public func readTextFile(_ path: String) -> String? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
        if n == 0 { break }
        bytes.append(contentsOf: chunk[0..<n])
        if bytes.count > 64 << 20 { return nil }
    }
    return String(decoding: bytes, as: UTF8.self)
}
