extension PasskeydClient {
    /// Verifies one assertion. A failed ceremony is a result with an `errorCode`; a request the server could not serve
    /// throws `.server`. `timeout` overrides the configured per-call timeout.
    public func verifyAuthentication(
        _ request: AuthenticationRequest, timeout: Duration? = nil
    ) async throws(PasskeydClientError) -> AuthenticationResult {
        try await withConnection { (c) throws(PasskeydClientError) in try await c.verifyAuthentication(request, timeout: timeout) }
    }

    /// Verifies many assertions in one request (at most the server's `maxBatchItems`); results are in request order.
    public func verifyAuthenticationBatch(
        _ requests: [AuthenticationRequest], timeout: Duration? = nil
    ) async throws(PasskeydClientError) -> [AuthenticationResult] {
        try await withConnection { (c) throws(PasskeydClientError) in
            try await c.verifyAuthenticationBatch(requests, timeout: timeout)
        }
    }

    public func verifyRegistration(
        _ request: RegistrationRequest, timeout: Duration? = nil
    ) async throws(PasskeydClientError) -> RegistrationResult {
        try await withConnection { (c) throws(PasskeydClientError) in try await c.verifyRegistration(request, timeout: timeout) }
    }

    /// Verifies many registrations in one request; results are in request order.
    public func verifyRegistrationBatch(
        _ requests: [RegistrationRequest], timeout: Duration? = nil
    ) async throws(PasskeydClientError) -> [RegistrationResult] {
        try await withConnection { (c) throws(PasskeydClientError) in
            try await c.verifyRegistrationBatch(requests, timeout: timeout)
        }
    }

    /// Registration options with a server-minted challenge. Retried once on a fresh connection like the others:
    /// generating options has no effect on the server beyond the challenge it returns.
    public func generateRegistrationOptions(
        _ request: GenerateRegistrationOptionsRequest, timeout: Duration? = nil
    ) async throws(PasskeydClientError) -> GeneratedOptionsResult {
        try await withConnection { (c) throws(PasskeydClientError) in try await c.generateRegistrationOptions(request, timeout: timeout) }
    }

    /// Authentication options; empty `allowCredentials` generates a usernameless login.
    public func generateAuthenticationOptions(
        _ request: GenerateAuthenticationOptionsRequest, timeout: Duration? = nil
    ) async throws(PasskeydClientError) -> GeneratedOptionsResult {
        try await withConnection { (c) throws(PasskeydClientError) in try await c.generateAuthenticationOptions(request, timeout: timeout) }
    }

    public func health(timeout: Duration? = nil) async throws(PasskeydClientError) -> HealthStatus {
        try await withConnection { (c) throws(PasskeydClientError) in try await c.health(timeout: timeout) }
    }

    public func serverInfo(timeout: Duration? = nil) async throws(PasskeydClientError) -> ServerInfo {
        try await withConnection { (c) throws(PasskeydClientError) in try await c.serverInfo(timeout: timeout) }
    }
}
