public import PasskeyWebAuthn

/// The daemon's config file (JSON). Every server setting is optional (flags and environment override it); relying
/// parties are named and referenced by requests' `policy.relying_party`. Re-read on SIGHUP.
///
/// ```json
/// {"unix_socket": "/run/passkeyd/passkeyd.sock", "socket_mode": "660", "allowed_peer_uids": [1000],
///  "tcp_host": "127.0.0.1", "tcp_port": 7800, "metrics_port": 9464, "threads": 0, "log_level": "info",
///  "max_frame_bytes": 1048576, "max_in_flight_per_connection": 1024, "max_in_flight": 65536,
///  "max_connections": 10000, "max_batch_items": 4096, "idle_timeout_ms": 60000, "default_deadline_ms": 5000,
///  "drain_timeout_ms": 10000, "frame_timeout_ms": 10000, "key_cache_capacity": 50000, "batching": true,
///  "offload_batch_items": 256, "tls_cert": "server.pem", "tls_key": "server.key", "tls_client_ca": "clients-ca.pem",
///  "relying_parties": {"example": {"rp_id": "example.com", "origins": ["https://example.com"],
///                                  "trust_anchors_pem_files": ["anchors.pem"], "require_user_verification": true}}}
/// ```
public struct ConfigFile: Sendable {
    public var settings: [String: Int64] = [:]
    public var strings: [String: String] = [:]
    public var flags: [String: Bool] = [:]
    public var allowedPeerUIDs: [UInt32]?
    public var relyingParties: [String: RelyingParty] = [:]

    static let integerMembers: Set<String> = [
        "tcp_port", "metrics_port", "threads", "max_frame_bytes", "max_in_flight_per_connection", "max_in_flight",
        "max_connections", "max_batch_items", "idle_timeout_ms", "default_deadline_ms", "drain_timeout_ms",
        "key_cache_capacity", "offload_batch_items", "frame_timeout_ms",
    ]
    static let stringMembers: Set<String> = [
        "unix_socket", "socket_mode", "tcp_host", "log_level", "tls_cert", "tls_key", "tls_client_ca",
    ]
    static let boolMembers: Set<String> = ["batching"]

    public init() {}

    /// Reads and validates the file at `path`; relative trust-anchor files are resolved against its directory.
    public init(path: String) throws(RequestError) {
        guard let text = readTextFile(path) else { throw RequestError("cannot read config file \(path)") }
        let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let bytes = Array(text.utf8)
        self = try bytes.withBytes { (b) throws(RequestError) in
            var reader = JSONReader()
            let root: JSONReader.Value
            do {
                root = try reader.parse(b)
            } catch {
                throw RequestError("config file \(path) is not strict JSON: \(error)")
            }
            return try Self.decode(reader, root, directory: directory)
        }
    }

    static func decode(_ r: JSONReader, _ root: JSONReader.Value, directory: String) throws(RequestError) -> ConfigFile {
        guard r.kind(root) == .object else { throw RequestError("the config file is not a JSON object") }
        var config = ConfigFile()
        var problem: RequestError?
        r.forEachMember(root) { k, v in
            guard problem == nil, let name = r.string(k) else { return }
            if integerMembers.contains(name) {
                if let i = r.int64(v) { config.settings[name] = i } else { problem = RequestError("'\(name)' must be an integer") }
            } else if stringMembers.contains(name) {
                if let s = r.string(v) { config.strings[name] = s } else { problem = RequestError("'\(name)' must be a string") }
            } else if boolMembers.contains(name) {
                if let b = r.bool(v) { config.flags[name] = b } else { problem = RequestError("'\(name)' must be true or false") }
            } else if name == "allowed_peer_uids" {
                var uids: [UInt32] = []
                r.forEachElement(v) { e in
                    if let i = r.int64(e), let u = UInt32(exactly: i) { uids.append(u) } else { problem = RequestError("'allowed_peer_uids' must hold UIDs") }
                }
                config.allowedPeerUIDs = uids
            } else if name == "relying_parties" {
                guard r.kind(v) == .object else {
                    problem = RequestError("'relying_parties' must be an object of named relying parties")
                    return
                }
                r.forEachMember(v) { nk, nv in
                    guard problem == nil, let rpName = r.string(nk) else { return }
                    var unknown: [String] = []
                    r.forEachMember(nv) { mk, _ in
                        if let m = r.string(mk), !RelyingPartyJSON.members.contains(m), m != "trust_anchors_pem_files" {
                            unknown.append(m)
                        }
                    }
                    if !unknown.isEmpty {
                        problem = RequestError("relying party '\(rpName)': unknown members \(unknown.joined(separator: ", "))")
                        return
                    }
                    do throws(RequestError) {
                        config.relyingParties[rpName] = try RelyingPartyJSON.decode(reader: r, object: nv, directory: directory)
                    } catch {
                        problem = RequestError("relying party '\(rpName)': \(error.description)")
                    }
                }
            } else {
                problem = RequestError("unknown config member '\(name)'")
            }
        }
        if let problem { throw problem }
        return config
    }
}
