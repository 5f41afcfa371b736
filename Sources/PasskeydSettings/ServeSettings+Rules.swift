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
            guard c.tlsCertificatePath != nil, c.tlsPrivateKeyPath != nil, c.tcpPort == nil else { return nil }
            return s.conflict(["tls_cert", "tls_key"], "TLS applies to the TCP listener; set tcp_port too")
        },
    ]

    private func conflict(_ names: [String], _ rule: String) -> SettingProblem {
        let given = names.map { "\($0) (\(source(of: $0)))" }.joined(separator: ", ")
        return SettingProblem(.conflict, setting: names.first, source: names.first.map { source(of: $0) }, "\(given): \(rule)")
    }
}
