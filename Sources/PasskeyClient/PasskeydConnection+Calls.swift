extension PasskeydConnection {
    /// Verifies one assertion. A failed ceremony is a result with an `errorCode`; a request the server could not serve
    /// throws `.server`. `timeout` overrides `configuration.requestTimeout`.
    public func verifyAuthentication(
        _ request: AuthenticationRequest, timeout: Duration? = nil
    ) async throws(PasskeydClientError) -> AuthenticationResult {
        switch try await call(.authentication(request), timeout: timeout) {
        case let .authentication(r): return r
        case let other: throw .unexpected(other, expected: "verify_authentication")
        }
    }

    /// Verifies many assertions in one request; the results are in the order of `requests`.
    public func verifyAuthenticationBatch(
        _ requests: [AuthenticationRequest], timeout: Duration? = nil
    ) async throws(PasskeydClientError) -> [AuthenticationResult] {
        if requests.isEmpty { return [] }
        switch try await call(.authenticationBatch(requests), timeout: timeout) {
        case let .authenticationBatch(r):
            guard r.count == requests.count else { throw .countMismatch(r.count, requests.count) }
            return r
        case let other: throw .unexpected(other, expected: "verify_authentication_batch")
        }
    }

    /// Verifies one registration.
    public func verifyRegistration(
        _ request: RegistrationRequest, timeout: Duration? = nil
    ) async throws(PasskeydClientError) -> RegistrationResult {
        switch try await call(.registration(request), timeout: timeout) {
        case let .registration(r): return r
        case let other: throw .unexpected(other, expected: "verify_registration")
        }
    }

    /// Verifies many registrations in one request; the results are in the order of `requests`.
    public func verifyRegistrationBatch(
        _ requests: [RegistrationRequest], timeout: Duration? = nil
    ) async throws(PasskeydClientError) -> [RegistrationResult] {
        if requests.isEmpty { return [] }
        switch try await call(.registrationBatch(requests), timeout: timeout) {
        case let .registrationBatch(r):
            guard r.count == requests.count else { throw .countMismatch(r.count, requests.count) }
            return r
        case let other: throw .unexpected(other, expected: "verify_registration_batch")
        }
    }

    /// Registration options (WebAuthn L3 JSON) with a challenge the server minted. A refusal (unusable user,
    /// unknown relying party, ...) is a result with an `errorCode`.
    public func generateRegistrationOptions(
        _ request: GenerateRegistrationOptionsRequest, timeout: Duration? = nil
    ) async throws(PasskeydClientError) -> GeneratedOptionsResult {
        switch try await call(.registrationOptions(request), timeout: timeout) {
        case let .options(o): return o
        case let other: throw .unexpected(other, expected: "generate_registration_options")
        }
    }

    /// Authentication options; empty `allowCredentials` generates a usernameless login.
    public func generateAuthenticationOptions(
        _ request: GenerateAuthenticationOptionsRequest, timeout: Duration? = nil
    ) async throws(PasskeydClientError) -> GeneratedOptionsResult {
        switch try await call(.authenticationOptions(request), timeout: timeout) {
        case let .options(o): return o
        case let other: throw .unexpected(other, expected: "generate_authentication_options")
        }
    }

    public func health(timeout: Duration? = nil) async throws(PasskeydClientError) -> HealthStatus {
        switch try await call(.health, timeout: timeout) {
        case let .health(h): return h
        case let other: throw .unexpected(other, expected: "health")
        }
    }

    public func serverInfo(timeout: Duration? = nil) async throws(PasskeydClientError) -> ServerInfo {
        switch try await call(.serverInfo, timeout: timeout) {
        case let .serverInfo(i): return i
        case let other: throw .unexpected(other, expected: "server_info")
        }
    }
}

extension PasskeydClientError {
    static func unexpected(_ got: DecodedResponse, expected: String) -> PasskeydClientError {
        .protocolViolation("expected a \(expected) result, got \(got.name)")
    }

    static func countMismatch(_ got: Int, _ sent: Int) -> PasskeydClientError {
        .protocolViolation("batch of \(sent) items answered with \(got) results")
    }
}
