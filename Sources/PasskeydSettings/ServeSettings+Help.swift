extension ServeSettings {
    /// `passkeyd serve --help`, generated from the table.
    public static var help: String {
        let defaults = ServeSettings()
        var out = """
            USAGE: passkeyd serve [--name value | --name=value ...]

            Runs the passkeyd sidecar: a Unix socket (and, with tcp_port, TCP bound to 127.0.0.1) serving length-prefixed
            protobuf requests (Protos/README.md). The Unix socket is never TLS: its file mode and allowed_peer_uids guard it.

            Every setting below is a flag, an environment variable (PASSKEYD_ + the name in capitals) and a config file
            member (the snake_case name). The flag wins over the environment, the environment over the file, the file over
            the default. A value that does not parse or is out of range, in any source (even one that another overrides),
            stops the daemon with exit status 2, as do unknown flags, unknown members and unknown PASSKEYD_ variables
            (\(clientEnvironmentVariables.sorted().joined(separator: " and ")), read by clients and tests, are ignored). Booleans: on, off, true, false (JSON
            true/false in the file). Integers: decimal. socket_mode: octal (a string in the file). allowed_peer_uids: a JSON
            array in the file.

            Signals: SIGTERM/SIGINT stop accepting, answer everything already read, then exit (status 1 if drain_timeout_ms
            ran out). SIGHUP re-reads the config file's relying parties, trust anchors and attestation_roots, and the FIDO
            metadata BLOB with its root and CRLs; a changed setting is logged as needing a restart, a file that no longer
            reads keeps the running configuration, and a BLOB that no longer verifies keeps the running BLOB.

            The config file may also hold "attestation_roots": {"FORMAT": {"pem": [...], "pem_files": [...], "replace":
            false}}, the server-wide roots per attestation format that every relying party starts from.

            SETTINGS

            """
        for s in table {
            out += "  \(s.flag) \(s.placeholder)\n"
            out += "      env \(s.environmentVariable)" + (s.inConfigFile ? ", file \"\(s.name)\"" : " (not in the file)") + "\n"
            let shown = s.defaultNote ?? s.value(in: defaults).map { s.format($0) } ?? "none"
            out += wrap("\(s.help) Default: \(shown).", indent: 6)
        }
        out += """

            EXAMPLES
              passkeyd serve --unix-socket /tmp/passkeyd.sock
              PASSKEYD_TCP_PORT=7800 passkeyd serve --config /etc/passkeyd/config.json --metrics-port=9464

            """
        return out
    }

    /// Word-wraps `text` at 100 columns, every line indented by `indent` spaces.
    static func wrap(_ text: String, indent: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        var out = ""
        var line = pad
        for word in text.split(separator: " ") {
            if line.count > indent, line.count + 1 + word.count > 100 {
                out += line + "\n"
                line = pad
            }
            line += (line.count > indent ? " " : "") + word
        }
        return out + line + "\n"
    }
}
