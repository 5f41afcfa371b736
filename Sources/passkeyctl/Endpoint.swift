import PasskeyRequests
import ArgumentParser
import PasskeyClient

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension Passkeyctl {
    /// The server address from the options, else the daemon's default socket. Exits 2 on a malformed --tcp.
    func endpoint() throws -> PasskeydEndpoint {
        if let tcp {
            guard let e = Self.parseTCP(tcp) else {
                printError("passkeyctl: --tcp must be HOST:PORT (got '\(tcp)')")
                throw ExitCode(2)
            }
            return e
        }
        return .unixDomainSocket(path: unixSocket ?? Self.defaultSocketPath())
    }

    /// HOST:PORT, with [v6]:PORT for IPv6 literals.
    static func parseTCP(_ s: String) -> PasskeydEndpoint? {
        guard let colon = s.lastIndex(of: ":"), let port = Int(s[s.index(after: colon)...]), (1...65535).contains(port)
        else { return nil }
        var host = String(s[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        return .tcp(host: host, port: port)
    }

    /// `$PASSKEYD_SOCKET`, else `/run/passkeyd/passkeyd.sock`, unless only `$XDG_RUNTIME_DIR/passkeyd.sock` exists
    /// (where the daemon listens when /run/passkeyd is not writable).
    static func defaultSocketPath() -> String {
        if let env = getenv("PASSKEYD_SOCKET"), env.pointee != 0 { return String(cString: env) }
        let system = "/run/passkeyd/passkeyd.sock"
        if access(system, F_OK) != 0, let xdg = getenv("XDG_RUNTIME_DIR"), xdg.pointee != 0 {
            let user = String(cString: xdg) + "/passkeyd.sock"
            if access(user, F_OK) == 0 { return user }
        }
        return system
    }

    /// A one-connection client for this invocation.
    func makeClient() throws -> PasskeydClient {
        var configuration = PasskeydClientConfiguration(endpoint: try endpoint(), connections: 1)
        configuration.connection.requestTimeout = .milliseconds(Int64(timeout * 1000))
        configuration.connection.connectTimeout = .milliseconds(Int64(min(timeout, 5) * 1000))
        return PasskeydClient(configuration: configuration)
    }
}
