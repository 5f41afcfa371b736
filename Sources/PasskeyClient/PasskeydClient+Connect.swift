extension PasskeydClient {
    /// A client for a Unix socket that opens its first connection before returning, so a wrong path or a server that
    /// is down fails here rather than on the first call. The other connections open lazily.
    public convenience init(unixSocket path: String, connections: Int = 4) async throws(PasskeydClientError) {
        self.init(endpoint: .unixDomainSocket(path: path), connections: connections)
        try await connectFirst()
    }

    /// A client for TCP that opens its first connection before returning.
    public convenience init(host: String, port: Int, connections: Int = 4) async throws(PasskeydClientError) {
        self.init(endpoint: .tcp(host: host, port: port), connections: connections)
        try await connectFirst()
    }

    private func connectFirst() async throws(PasskeydClientError) {
        do {
            _ = try await acquire(avoiding: nil)
        } catch {
            await close()
            throw error
        }
    }
}
