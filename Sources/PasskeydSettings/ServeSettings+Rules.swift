import PasskeyRedis
import PasskeyServer

extension ServeSettings {
    /// Rules across settings, checked after each has parsed. Fail closed: half a TLS setup, or TLS with nothing to
    /// protect, is an error, never a quiet fallback to plain text.
    static let rules: [@Sendable (ServeSettings) -> SettingProblem?] = [
        { s in
            let c = s.server
            guard c.tlsCertificatePath != nil || c.tlsPrivateKeyPath != nil || c.tlsClientCAPath != nil else { return nil }
            guard c.tlsCertificatePath != nil, c.tlsPrivateKeyPath != nil else {
                let given = ["tls_cert", "tls_key", "tls_client_ca"].filter { s.sources[$0] != nil }
                return s.conflict(given, "TLS needs both tls_cert and tls_key (tls_client_ca adds client certificates)")
            }
            return nil
        },
        { s in
            let c = s.server
            guard c.tlsCertificatePath != nil, c.tlsPrivateKeyPath != nil, c.tcpPort == nil, c.grpcPort == nil else {
                return nil
            }
            return s.conflict(["tls_cert", "tls_key"], "TLS applies to the TCP and gRPC listeners; set tcp_port or grpc_port too")
        },
        { s in
            // A BLOB is only as good as the root it is verified against; a root or CRLs without a BLOB do nothing.
            switch (s.metadataBLOBPath != nil, s.metadataRootCertificatePath != nil) {
            case (true, false):
                return s.conflict(["metadata_blob_file"], "the metadata BLOB needs metadata_root_cert_file to be verified")
            case (false, _) where s.metadataRootCertificatePath != nil || !s.metadataCRLPaths.isEmpty:
                let given = ["metadata_root_cert_file", "metadata_crl_files"].filter { s.sources[$0] != nil }
                return s.conflict(given, "set metadata_blob_file too, or leave these out")
            default:
                return nil
            }
        },
        { s in
            // The shared store needs a URL that parses; a URL for the memory store would silently do nothing.
            let c = s.server
            switch (c.challengeStore, c.redisURL) {
            case (.redis, nil):
                return s.conflict(["challenge_store"], "challenge_store redis needs redis_url")
            case let (.redis, url?):
                do throws(RedisURL.ParseError) {
                    _ = try RedisURL(parsing: url)
                    return nil
                } catch {
                    return s.conflict(["redis_url"], "\(error)")
                }
            case (.memory, _?):
                return s.conflict(["redis_url"], "set challenge_store redis too, or leave redis_url out")
            case (.memory, nil):
                return nil
            }
        },
    ]

    private func conflict(_ names: [String], _ rule: String) -> SettingProblem {
        let given = names.map { "\($0) (\(source(of: $0)))" }.joined(separator: ", ")
        return SettingProblem(.conflict, setting: names.first, source: names.first.map { source(of: $0) }, "\(given): \(rule)")
    }
}
