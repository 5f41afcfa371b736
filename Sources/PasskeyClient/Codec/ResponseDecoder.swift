internal import CPasskeyProto
internal import PasskeyWire

/// A decoded `Response` result (request-level errors are thrown, never returned).
enum DecodedResponse: Sendable {
    case authentication(AuthenticationResult)
    case authenticationBatch([AuthenticationResult])
    case registration(RegistrationResult)
    case registrationBatch([RegistrationResult])
    case health(HealthStatus)
    case serverInfo(ServerInfo)
    case options(GeneratedOptionsResult)

    var name: String {
        switch self {
        case .authentication: "verify_authentication"
        case .authenticationBatch: "verify_authentication_batch"
        case .registration: "verify_registration"
        case .registrationBatch: "verify_registration_batch"
        case .health: "health"
        case .serverInfo: "server_info"
        case .options: "generate_options"
        }
    }
}

/// Unpacks a `Response` payload in a call-local arena and copies it out into Swift values.
enum ResponseDecoder {
    /// What unpacking one response may take. A batch result costs about 175 bytes of structs however few bytes
    /// encode it (6 for a verified assertion without counter or UV), so responses get more room per byte than
    /// requests on the server: `ClientResponseBudgetTests` measures the densest real response at 29×. A response
    /// shaped to amplify more (hundreds of thousands of empty results at ~85×, a message merged with itself) is
    /// refused instead of taking the client's memory.
    static let budget = UnpackBudget(baseBytes: 64 << 10, bytesPerPayloadByte: 40)

    static func decode(_ payload: UnsafeRawBufferPointer, budget: UnpackBudget = budget) throws(PasskeydClientError) -> DecodedResponse {
        let arena = ProtoArena(blockSize: 4096 + payload.count * 2)
        let limit = budget.bytes(forPayload: payload.count)
        arena.setBudget(limit)
        let base = payload.baseAddress?.assumingMemoryBound(to: UInt8.self)
        guard let response = passkeyd__v1__response__unpack(arena.allocator, payload.count, base) else {
            if arena.exhausted {
                throw .protocolViolation("a response of \(payload.count) bytes would take more than \(limit) bytes to unpack")
            }
            throw .protocolViolation("a frame payload is not a passkeyd.v1.Response")
        }
        let r = response.pointee
        switch r.result_case {
        case PASSKEYD__V1__RESPONSE__RESULT_VERIFY_AUTHENTICATION:
            guard let a = r.verify_authentication else { break }
            return .authentication(authentication(a.pointee))
        case PASSKEYD__V1__RESPONSE__RESULT_VERIFY_AUTHENTICATION_BATCH:
            guard let b = r.verify_authentication_batch?.pointee else { break }
            var out: [AuthenticationResult] = []
            out.reserveCapacity(b.n_results)
            for i in 0..<b.n_results {
                guard let item = b.results[i] else { throw .protocolViolation("batch result \(i) is missing") }
                out.append(authentication(item.pointee))
            }
            return .authenticationBatch(out)
        case PASSKEYD__V1__RESPONSE__RESULT_VERIFY_REGISTRATION:
            guard let reg = r.verify_registration else { break }
            return .registration(registration(reg.pointee))
        case PASSKEYD__V1__RESPONSE__RESULT_VERIFY_REGISTRATION_BATCH:
            guard let b = r.verify_registration_batch?.pointee else { break }
            var out: [RegistrationResult] = []
            out.reserveCapacity(b.n_results)
            for i in 0..<b.n_results {
                guard let item = b.results[i] else { throw .protocolViolation("batch result \(i) is missing") }
                out.append(registration(item.pointee))
            }
            return .registrationBatch(out)
        case PASSKEYD__V1__RESPONSE__RESULT_HEALTH:
            guard let h = r.health?.pointee else { break }
            let store: HealthStatus.ChallengeStore =
                switch h.challenge_store {
                case PASSKEYD__V1__HEALTH_RESPONSE__CHALLENGE_STORE__CHALLENGE_STORE_CONNECTED: .connected
                case PASSKEYD__V1__HEALTH_RESPONSE__CHALLENGE_STORE__CHALLENGE_STORE_UNREACHABLE: .unreachable
                default: .memory
                }
            return .health(
                HealthStatus(
                    status: h.status == PASSKEYD__V1__HEALTH_RESPONSE__STATUS__DRAINING ? .draining : .serving,
                    inFlight: h.in_flight, connections: h.connections,
                    challengeStore: store,
                    challengeStoreMessage: h.challenge_store_message.map { String(cString: $0) } ?? ""))
        case PASSKEYD__V1__RESPONSE__RESULT_SERVER_INFO:
            guard let i = r.server_info?.pointee else { break }
            return .serverInfo(serverInfo(i))
        case PASSKEYD__V1__RESPONSE__RESULT_GENERATE_REGISTRATION_OPTIONS:
            guard let o = r.generate_registration_options?.pointee else { break }
            return .options(options(o))
        case PASSKEYD__V1__RESPONSE__RESULT_GENERATE_AUTHENTICATION_OPTIONS:
            guard let o = r.generate_authentication_options?.pointee else { break }
            return .options(options(o))
        case PASSKEYD__V1__RESPONSE__RESULT_ERROR:
            let e = r.error?.pointee
            throw .server(
                code: e.flatMap { ErrorCodeName.of($0.code) } ?? "ERROR_CODE_NONE", message: string(e?.message))
        default:
            break
        }
        throw .protocolViolation("response \(r.id) carries no result")
    }

    /// Bytes protobuf-c takes to unpack a response, with no cap (nil when it is not a `Response`); for tests.
    static func unpackedBytes(_ payload: UnsafeRawBufferPointer) -> Int? {
        let arena = ProtoArena(blockSize: 4096)
        let base = payload.baseAddress?.assumingMemoryBound(to: UInt8.self)
        guard passkeyd__v1__response__unpack(arena.allocator, payload.count, base) != nil else { return nil }
        return arena.used
    }

    static func options(_ o: Passkeyd__V1__GenerateOptionsResult) -> GeneratedOptionsResult {
        GeneratedOptionsResult(
            errorCode: ErrorCodeName.of(o.error_code), errorMessage: string(o.error_message), optionsJSON: string(o.options_json),
            challenge: bytes(o.challenge), expiresAtUnixMs: o.expires_at_unix_ms, timeoutMs: o.timeout_ms)
    }

    static func extensionResults(_ p: UnsafeMutablePointer<Passkeyd__V1__ExtensionResults>?) -> PasskeydExtensionResults {
        guard let e = p?.pointee else { return PasskeydExtensionResults() }
        func flag(_ f: Passkeyd__V1__ExtensionFlag) -> Bool? {
            switch f {
            case PASSKEYD__V1__EXTENSION_FLAG__EXTENSION_FLAG_TRUE: true
            case PASSKEYD__V1__EXTENSION_FLAG__EXTENSION_FLAG_FALSE: false
            default: nil
            }
        }
        return PasskeydExtensionResults(
            credPropsRK: flag(e.cred_props_rk), credProtect: e.cred_protect == 0 ? nil : e.cred_protect,
            largeBlobSupported: flag(e.large_blob_supported), largeBlobWritten: flag(e.large_blob_written),
            prfEnabled: flag(e.prf_enabled), appidUsed: e.appid_used != 0)
    }

    static func authentication(_ a: Passkeyd__V1__VerifyAuthenticationResult) -> AuthenticationResult {
        var result = AuthenticationResult(
            errorCode: ErrorCodeName.of(a.error_code), errorMessage: string(a.error_message), signCount: a.sign_count,
            algorithm: a.algorithm, userPresent: a.user_present != 0, userVerified: a.user_verified != 0,
            backupEligible: a.backup_eligible != 0, backedUp: a.backed_up != 0,
            extensionOutputsCBOR: a.extension_outputs_cbor.len > 0 ? bytes(a.extension_outputs_cbor) : nil,
            riskSignals: signals(a.risk_signals, a.n_risk_signals))
        result.storedSignCount = a.stored_sign_count
        result.extensionResults = extensionResults(a.extension_results)
        return result
    }

    static func registration(_ r: Passkeyd__V1__VerifyRegistrationResult) -> RegistrationResult {
        var certificates: [[UInt8]] = []
        if let c = r.attestation_certificates {
            certificates = (0..<r.n_attestation_certificates).map { bytes(c[$0]) }
        }
        var result = RegistrationResult(
            errorCode: ErrorCodeName.of(r.error_code), errorMessage: string(r.error_message),
            credentialID: bytes(r.credential_id), credentialPublicKey: bytes(r.credential_public_key),
            algorithm: r.algorithm, signCount: r.sign_count, aaguid: bytes(r.aaguid), format: string(r.format),
            attestationType: string(r.attestation_type), attestationTrusted: r.attestation_trusted != 0,
            userPresent: r.user_present != 0, userVerified: r.user_verified != 0,
            backupEligible: r.backup_eligible != 0, backedUp: r.backed_up != 0,
            transports: strings(r.transports, r.n_transports),
            extensionOutputsCBOR: r.extension_outputs_cbor.len > 0 ? bytes(r.extension_outputs_cbor) : nil,
            riskSignals: signals(r.risk_signals, r.n_risk_signals), attestationCertificates: certificates)
        func optional(_ p: UnsafeMutablePointer<CChar>?) -> String? {
            let s = string(p)
            return s.isEmpty ? nil : s
        }
        result.attestationTrustSource = optional(r.attestation_trust_source)
        result.authenticatorDescription = optional(r.authenticator_description)
        result.certificationLevel = optional(r.certification_level)
        result.metadataStatus = optional(r.metadata_status)
        result.extensionResults = extensionResults(r.extension_results)
        if let d = r.attestation_details {
            result.attestationDetails = (0..<r.n_attestation_details).compactMap { i in
                d[i].map { PasskeydAttestationDetail(name: string($0.pointee.name), value: string($0.pointee.value)) }
            }
        }
        return result
    }

    static func serverInfo(_ i: Passkeyd__V1__ServerInfoResponse) -> ServerInfo {
        var algorithms: [Int64] = []
        if let a = i.algorithms { algorithms = Array(UnsafeBufferPointer(start: a, count: i.n_algorithms)) }
        return ServerInfo(
            version: string(i.version), algorithms: algorithms,
            attestationFormats: strings(i.attestation_formats, i.n_attestation_formats),
            maxFrameBytes: i.max_frame_bytes, maxInFlightPerConnection: i.max_in_flight_per_connection,
            maxInFlight: i.max_in_flight, maxConnections: i.max_connections, maxBatchItems: i.max_batch_items,
            idleTimeoutMs: i.idle_timeout_ms, defaultDeadlineMs: i.default_deadline_ms,
            relyingParties: strings(i.relying_parties, i.n_relying_parties),
            metadata: i.metadata_loaded == 0
                ? nil
                : ServerInfo.MetadataInfo(
                    number: i.metadata_number, nextUpdate: string(i.metadata_next_update), stale: i.metadata_stale != 0,
                    entries: i.metadata_entries))
    }

    static func signals(
        _ p: UnsafeMutablePointer<UnsafeMutablePointer<Passkeyd__V1__RiskSignal>?>?, _ n: Int
    ) -> [PasskeydRiskSignal] {
        guard let p, n > 0 else { return [] }
        return (0..<n).compactMap { i in
            p[i].map { PasskeydRiskSignal(code: ErrorCodeName.of($0.pointee.code) ?? "ERROR_CODE_NONE", message: string($0.pointee.message)) }
        }
    }
}
