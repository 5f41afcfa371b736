/// Where the shared replay store is: `redis://[[user]:password@]host[:port][/db]` (TCP; the port defaults to 6379,
/// IPv6 hosts in brackets) or `unix:///path/to/redis.sock[?password=...&db=N&user=...]`. Percent-escapes are decoded
/// in the user, password and path. `rediss` (TLS) is not supported: refused, not downgraded.
public struct RedisURL: Sendable, Equatable, CustomStringConvertible {
    public enum Endpoint: Sendable, Equatable {
        case tcp(host: String, port: Int)
        case unix(path: String)
    }

    public var endpoint: Endpoint
    public var user: String?
    public var password: String?
    public var database: Int

    public init(endpoint: Endpoint, user: String? = nil, password: String? = nil, database: Int = 0) {
        self.endpoint = endpoint
        self.user = user
        self.password = password
        self.database = database
    }

    /// The URL with the password hidden (for logs and errors).
    public var description: String {
        let auth = password == nil ? (user.map { "\($0)@" } ?? "") : "\(user ?? ""):***@"
        switch endpoint {
        case let .tcp(host, port):
            let h = host.contains(":") ? "[\(host)]" : host
            return "redis://\(auth)\(h):\(port)/\(database)"
        case let .unix(path):
            return "unix://\(path)?db=\(database)" + (password == nil ? "" : "&password=***")
        }
    }

    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
        init(_ d: String) { description = d }
    }

    public init(parsing text: String) throws(ParseError) {
        if text.hasPrefix("rediss://") { throw ParseError("rediss:// (TLS) is not supported; use redis:// on a trusted network or a Unix socket") }
        if text.hasPrefix("redis://") {
            try self.init(tcp: String(text.dropFirst("redis://".count)))
        } else if text.hasPrefix("unix://") {
            try self.init(unix: String(text.dropFirst("unix://".count)))
        } else {
            throw ParseError("a Redis URL starts with redis:// or unix://")
        }
    }

    private init(tcp rest: String) throws(ParseError) {
        var hostPart = Substring(rest)
        var path = Substring("")
        if let slash = hostPart.firstIndex(of: "/") {
            path = hostPart[hostPart.index(after: slash)...]
            hostPart = hostPart[..<slash]
        }
        guard !hostPart.contains("?"), !path.contains("?") else { throw ParseError("query parameters are only read for unix:// URLs") }
        var user: String? = nil, password: String? = nil
        if let at = hostPart.lastIndex(of: "@") {
            let auth = hostPart[..<at]
            hostPart = hostPart[hostPart.index(after: at)...]
            if let colon = auth.firstIndex(of: ":") {
                let u = try Self.unescape(auth[..<colon])
                user = u.isEmpty ? nil : u
                password = try Self.unescape(auth[auth.index(after: colon)...])
            } else {
                user = try Self.unescape(auth)
            }
        }
        var host: Substring
        var portText: Substring? = nil
        if hostPart.hasPrefix("[") {
            guard let close = hostPart.firstIndex(of: "]") else { throw ParseError("an IPv6 host needs its closing ]") }
            host = hostPart[hostPart.index(after: hostPart.startIndex)..<close]
            let after = hostPart[hostPart.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw ParseError("unexpected text after the host") }
                portText = after.dropFirst()
            }
        } else if let colon = hostPart.firstIndex(of: ":") {
            host = hostPart[..<colon]
            portText = hostPart[hostPart.index(after: colon)...]
        } else {
            host = hostPart
        }
        guard !host.isEmpty else { throw ParseError("the URL names no host") }
        var port = 6379
        if let portText {
            guard let p = Int(portText), (1...65535).contains(p) else { throw ParseError("port '\(portText)' is not 1–65535") }
            port = p
        }
        let database = path.isEmpty ? 0 : try Self.database(path)
        self.init(endpoint: .tcp(host: String(host), port: port), user: user, password: password, database: database)
    }

    private init(unix rest: String) throws(ParseError) {
        var pathPart = Substring(rest)
        var query = Substring("")
        if let q = pathPart.firstIndex(of: "?") {
            query = pathPart[pathPart.index(after: q)...]
            pathPart = pathPart[..<q]
        }
        let path = try Self.unescape(pathPart)
        guard path.hasPrefix("/") else { throw ParseError("a unix:// URL needs an absolute socket path (unix:///path)") }
        guard path.utf8.count <= 107 else { throw ParseError("the socket path is longer than 107 bytes") }
        var user: String? = nil, password: String? = nil, database = 0
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            guard let eq = pair.firstIndex(of: "=") else { throw ParseError("query parameter '\(pair)' has no value") }
            let name = pair[..<eq], value = pair[pair.index(after: eq)...]
            switch name {
            case "password": password = try Self.unescape(value)
            case "user": user = try Self.unescape(value)
            case "db": database = try Self.database(value)
            default: throw ParseError("unknown query parameter '\(name)' (password, user and db are read)")
            }
        }
        self.init(endpoint: .unix(path: path), user: user, password: password, database: database)
    }

    static func database(_ s: Substring) throws(ParseError) -> Int {
        guard let n = Int(s), (0...1_000_000).contains(n) else { throw ParseError("database '\(s)' is not a number") }
        return n
    }

    static func unescape(_ s: Substring) throws(ParseError) -> String {
        var out: [UInt8] = []
        var bytes = Array(s.utf8)[...]
        while let b = bytes.popFirst() {
            guard b == UInt8(ascii: "%") else { out.append(b); continue }
            guard bytes.count >= 2, let v = UInt8(String(decoding: bytes.prefix(2), as: UTF8.self), radix: 16) else {
                throw ParseError("a % escape needs two hex digits")
            }
            out.append(v)
            bytes = bytes.dropFirst(2)
        }
        guard let text = String(validating: out, as: UTF8.self) else { throw ParseError("an escape is not UTF-8") }
        return text
    }
}
