import Foundation
import Testing

@testable import PasskeydSettings

/// The cases named in issue 8 and the rules around the table: UID lists, unknown names, the command line's shape,
/// the config file, cross-setting rules and reload.
@Suite struct SettingsSourcesTests {
    func problems(_ arguments: [String] = [], _ environment: [String: String] = [:]) -> [SettingProblem] {
        ServeSettings.read(arguments: arguments, environment: environment).1
    }

    @Test func exactMessages() {
        #expect(
            problems([], ["PASSKEYD_TCP_PORT": "abc"]).map(\.description)
                == ["PASSKEYD_TCP_PORT='abc' (environment): tcp_port must be an integer in 0...65535"])
        #expect(
            problems(["--allowed-peer-uids", "abc"]).map(\.description)
                == ["--allowed-peer-uids='abc' (flag): allowed_peer_uids must be a comma-separated list of UIDs in 0...4294967294, at least one"])
        #expect(
            problems(["--batching", "maybe"]).map(\.description)
                == ["--batching='maybe' (flag): batching must be on, off, true or false"])
    }

    @Test func uidLists() throws {
        for bad in ["abc", "1000,abc", "", " ", "1000, ", "1000,,1001", "1000 1001", "-1", "4294967295"] {
            let p = problems(["--allowed-peer-uids", bad])
            #expect(p.map(\.code) == [.invalidValue] && p.first?.setting == "allowed_peer_uids", "'\(bad)'")
            let e = problems([], ["PASSKEYD_ALLOWED_PEER_UIDS": bad])
            #expect(e.map(\.code) == [.invalidValue] && e.first?.source == .environment, "'\(bad)'")
        }
        let (s, p) = ServeSettings.read(arguments: ["--allowed-peer-uids", " 1000 , 1001"], environment: [:])
        #expect(p.isEmpty && s.server.allowedPeerUIDs == [1000, 1001])
        for bad in ["[]", "[1000, \"abc\"]", "\"1000\"", "[-1]", "null"] {
            let config = try TemporaryConfig("{\"allowed_peer_uids\": \(bad)}")
            defer { config.remove() }
            #expect(problems(["--config", config.path]).map(\.code) == [.invalidValue], "\(bad)")
        }
        // No list at all is the only way to have no check.
        #expect(ServeSettings.read(arguments: [], environment: [:]).0.server.allowedPeerUIDs.isEmpty)
    }

    @Test func unknownEnvironmentVariableIsAnError() {
        let p = problems([], ["PASSKEYD_ALLOWED_PEER_UID": "1000", "PASSKEYD_TCP_PORT": "7800"])
        #expect(p.map(\.code) == [.unknownEnvironmentVariable])
        #expect(p.first?.description.hasPrefix("PASSKEYD_ALLOWED_PEER_UID (environment): no such setting") == true)
        #expect(problems([], ["PASSKEYD_": "x"]).map(\.code) == [.unknownEnvironmentVariable])
    }

    @Test func clientSideEnvironmentNamesAndOtherVariablesAreIgnored() {
        let (s, p) = ServeSettings.read(
            arguments: [],
            environment: ["PASSKEYD_SOCKET": "/elsewhere.sock", "PASSKEYD_BIN": "/x/passkeyd", "HOME": "/root", "passkeyd_tcp_port": "x"])
        #expect(p.isEmpty, "\(p)")
        #expect(s.server.unixSocketPath != "/elsewhere.sock" && s.server.tcpPort == nil)
    }

    @Test func commandLineShape() {
        #expect(problems(["--tcp-prot", "7800"]).map(\.code) == [.unknownFlag])
        #expect(problems(["--tcp-port"]).map(\.code) == [.missingValue])
        #expect(problems(["--tls-cert", "--tcp-port", "7800"]).map(\.code) == [.missingValue])
        #expect(problems(["--tcp-port", "1", "--tcp-port=2"]).map(\.code) == [.repeatedFlag])
        #expect(problems(["7800"]).map(\.code) == [.unexpectedArgument])
        #expect(problems(["-p", "7800"]).map(\.code) == [.unexpectedArgument, .unexpectedArgument])
        #expect(problems(["--"]).map(\.code) == [.unexpectedArgument])
        let (s, p) = ServeSettings.read(arguments: ["--unix-socket=--odd", "--tcp-port=0", "--log-level", "debug"], environment: [:])
        #expect(p.isEmpty && s.server.unixSocketPath == "--odd" && s.server.tcpPort == 0 && s.logLevel == .debug)
        #expect(ServeSettings.wantsHelp(["--tcp-port", "1", "--help"]) && ServeSettings.wantsHelp(["-h"]))
        #expect(!ServeSettings.wantsHelp(["--tcp-port", "1"]))
    }

    @Test func everyProblemIsReportedAtOnce() {
        let p = problems(["--tcp-port", "x", "--nope", "1"], ["PASSKEYD_BATCHING": "maybe", "PASSKEYD_TYPO": "1"])
        #expect(p.map(\.code) == [.unknownFlag, .unknownEnvironmentVariable, .invalidValue, .invalidValue])
        #expect(p.compactMap(\.setting) == ["tcp_port", "batching"])
    }

    @Test func configFileMembersAndShape() throws {
        let config = try TemporaryConfig("{\"tcp_prot\": 7800}")
        defer { config.remove() }
        let unknown = problems(["--config", config.path])
        #expect(unknown.map(\.code) == [.unknownConfigMember])
        #expect(unknown.first?.description == "\"tcp_prot\" (config file \(config.path)): no such member; passkeyd serve --help lists the settings")
        for broken in ["", "{", "[]", "{\"a\": 1, \"a\": 2}", "{\"tcp_port\": 1} x"] {
            try config.write(broken)
            #expect(problems(["--config", config.path]).map(\.code) == [.unusableConfigFile], "\(broken)")
        }
        #expect(problems(["--config", config.directory + "/missing.json"]).map(\.code) == [.unusableConfigFile])
        try config.write("{\"batching\": \"maybe\"}")
        #expect(
            problems(["--config", config.path]).map(\.description)
                == ["batching=\"maybe\" (config file \(config.path)): batching must be true or false"])
    }

    @Test func relyingPartiesFromTheFile() throws {
        let config = try TemporaryConfig(
            "{\"relying_parties\": {\"main\": {\"rp_id\": \"example.com\", \"origins\": [\"https://example.com\"]}}}")
        defer { config.remove() }
        let (s, p) = ServeSettings.read(arguments: ["--config", config.path], environment: [:])
        #expect(p.isEmpty && s.relyingParties.keys.sorted() == ["main"])
        for bad in [
            "{\"relying_parties\": []}", "{\"relying_parties\": {\"main\": 1}}",
            "{\"relying_parties\": {\"main\": {\"rp_id\": \"example.com\", \"origin\": []}}}",
            "{\"relying_parties\": {\"main\": {\"origins\": [\"https://example.com\"]}}}",
        ] {
            try config.write(bad)
            #expect(problems(["--config", config.path]).map(\.code) == [.invalidRelyingParty], "\(bad)")
        }
    }

    @Test func tlsRules() {
        let tls = ["--tls-cert", "c.pem", "--tls-key", "k.pem"]
        #expect(problems(["--tls-cert", "c.pem", "--tcp-port", "0"]).map(\.code) == [.conflict])
        #expect(problems(["--tls-client-ca", "ca.pem", "--tcp-port", "0"]).map(\.code) == [.conflict])
        let noTCP = problems(tls)
        #expect(noTCP.map(\.code) == [.conflict])
        #expect(noTCP.first?.description == "tls_cert (flag), tls_key (flag): TLS applies to the TCP and gRPC listeners; set tcp_port or grpc_port too")
        #expect(problems(tls + ["--tcp-port", "0"]).isEmpty)
        #expect(problems(tls + ["--grpc-port", "0"]).isEmpty)
        #expect(problems(["--tcp-port", "0"], ["PASSKEYD_TLS_CERT": "c.pem", "PASSKEYD_TLS_KEY": "k.pem"]).isEmpty)
    }

    @Test func grpcListenerSettings() throws {
        let s = try ServeSettings.load(arguments: ["--grpc-port", "0", "--grpc-host", "::1"], environment: [:])
        #expect(s.server.grpcPort == 0 && s.server.grpcHost == "::1")
        let defaults = try ServeSettings.load(arguments: [], environment: [:])
        #expect(defaults.server.grpcPort == nil && defaults.server.grpcHost == "127.0.0.1")
        #expect(problems(["--grpc-port", "70000"]).map(\.setting) == ["grpc_port"])
        #expect(
            problems(["--grpc-port", "0", "--grpc-host", "example.com"]).map(\.description)
                == ["--grpc-host='example.com' (flag): grpc_host must be an IPv4 or IPv6 address, or localhost"])
        // Every source is parsed, including one a higher source overrides.
        #expect(problems(["--grpc-host", "0.0.0.0"], ["PASSKEYD_GRPC_HOST": "10.0.0.300"]).map(\.setting) == ["grpc_host"])
        let config = try TemporaryConfig("{\"grpc_host\": \"::\", \"grpc_port\": 7801}")
        defer { config.remove() }
        let file = try ServeSettings.load(arguments: ["--config", config.path], environment: [:])
        #expect(file.server.grpcHost == "::" && file.server.grpcPort == 7801)
        try config.write("{\"grpc_host\": 7801}")
        #expect(problems(["--config", config.path]).map(\.setting) == ["grpc_host"])
        #expect(problems(["--grpc-host", "localhost", "--grpc-port", "1"]).isEmpty)
    }

    /// The shared store needs a URL that parses (an error in it must stop the daemon, never fall back to memory),
    /// and a URL with the memory store would silently do nothing.
    @Test func challengeStoreRules() {
        #expect(problems(["--challenge-store", "redis", "--redis-url", "unix:///tmp/r.sock?db=2"]).isEmpty)
        #expect(problems(["--challenge-store", "redis"], ["PASSKEYD_REDIS_URL": "redis://:pw@127.0.0.1:6380/1"]).isEmpty)
        let noURL = problems(["--challenge-store", "redis"])
        #expect(noURL.map(\.code) == [.conflict] && noURL.first?.setting == "challenge_store", "\(noURL)")
        for bad in ["rediss://127.0.0.1", "http://127.0.0.1", "redis://127.0.0.1:99999", "unix:///tmp/r.sock?tls=1"] {
            let p = problems(["--challenge-store", "redis", "--redis-url", bad])
            #expect(p.map(\.code) == [.conflict] && p.first?.setting == "redis_url", "\(bad): \(p)")
        }
        let leftOver = problems(["--redis-url", "redis://127.0.0.1"])
        #expect(leftOver.map(\.code) == [.conflict] && leftOver.first?.setting == "redis_url", "\(leftOver)")
        #expect(problems(["--challenge-store", "disk"]).map(\.code) == [.invalidValue])
    }

    @Test func reloadReportsWhatNeedsARestart() throws {
        let config = try TemporaryConfig("{\"tcp_port\": 7800, \"max_batch_items\": 8}")
        defer { config.remove() }
        let running = try ServeSettings.load(arguments: ["--config", config.path, "--max-batch-items", "8"], environment: [:])
        try config.write(
            "{\"tcp_port\": 7801, \"max_batch_items\": 9, \"relying_parties\": {\"b\": {\"rp_id\": \"example.com\", \"origins\": [\"https://example.com\"]}}}"
        )
        let fresh = try running.reloaded()
        // max_batch_items is set by a flag, so the file's new value changes nothing.
        #expect(running.changes(to: fresh).map(\.name) == ["tcp_port"])
        #expect(fresh.relyingParties.keys.sorted() == ["b"])
        try config.write("{\"tcp_port\": \"7802\"}")
        #expect(throws: SettingsError.self) { _ = try running.reloaded() }
        try config.write("{\"tls_cert\": \"c.pem\"}")
        #expect(throws: SettingsError.self) { _ = try running.reloaded() }
    }

    @Test func defaultSocketPathFollowsTheRuntimeDirectory() {
        guard access("/run/passkeyd", W_OK) != 0 else { return }  // a machine with the system directory uses it
        let (s, p) = ServeSettings.read(arguments: [], environment: ["XDG_RUNTIME_DIR": "/run/user/1000"])
        #expect(p.isEmpty && s.server.unixSocketPath == "/run/user/1000/passkeyd.sock")
    }
}
