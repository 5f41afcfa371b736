import Foundation
import Testing

/// `passkeyd serve` through the real executable: a setting that does not parse stops the daemon with status 2 and a
/// message naming the setting and its source; a valid configuration starts and stops on SIGTERM.
@Suite struct ServeCommandTests {
    func serve(_ arguments: [String], environment: [String: String] = [:]) throws -> DaemonProcess.Outcome {
        let dir = try DaemonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        return try DaemonProcess.run(["serve", "--unix-socket", dir + "/s.sock"] + arguments, environment: environment)
    }

    /// Issue 8: `--allowed-peer-uids abc` used to parse to an empty list, which switched the peer-UID check off.
    @Test func unparsableUIDListStopsTheDaemon() throws {
        let outcome = try serve(["--allowed-peer-uids", "abc"])
        #expect(outcome.status == 2, "stderr: \(outcome.stderr)")
        #expect(outcome.stderr.contains("--allowed-peer-uids='abc' (flag): allowed_peer_uids"), "stderr: \(outcome.stderr)")
    }

    @Test func unparsableEnvironmentVariableStopsTheDaemon() throws {
        let outcome = try serve([], environment: ["PASSKEYD_TCP_PORT": "abc"])
        #expect(outcome.status == 2)
        #expect(
            outcome.stderr == "passkeyd: PASSKEYD_TCP_PORT='abc' (environment): tcp_port must be an integer in 0...65535\n",
            "stderr: \(outcome.stderr)")
    }

    @Test func unknownEnvironmentVariableStopsTheDaemon() throws {
        let outcome = try serve([], environment: ["PASSKEYD_ALLOWED_PEER_UID": "1000"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.hasPrefix("passkeyd: PASSKEYD_ALLOWED_PEER_UID (environment): no such setting"), "stderr: \(outcome.stderr)")
    }

    @Test func invalidConfigMemberStopsTheDaemon() throws {
        let config = try TemporaryConfig("{\"batching\": \"maybe\"}")
        defer { config.remove() }
        let outcome = try serve(["--config", config.path])
        #expect(outcome.status == 2)
        #expect(
            outcome.stderr.contains("passkeyd: batching=\"maybe\" (config file \(config.path)): batching must be true or false"),
            "stderr: \(outcome.stderr)")
    }

    @Test func helpIsGeneratedFromTheTable() throws {
        let outcome = try DaemonProcess.run(["serve", "--help"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.contains("--allowed-peer-uids <uid,uid,...>"))
        #expect(outcome.stdout.contains("env PASSKEYD_TCP_PORT, file \"tcp_port\""))
    }

    /// Flags, environment and file together start the daemon; SIGHUP with a changed port logs that it needs a
    /// restart and keeps serving; SIGTERM drains and exits 0.
    @Test func validConfigurationStartsReloadsAndStops() throws {
        let dir = try DaemonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let socket = dir + "/s.sock"
        let config = try TemporaryConfig(
            "{\"tcp_port\": 0, \"batching\": false, \"allowed_peer_uids\": [\(getuid())], \"relying_parties\": {\"main\": {\"rp_id\": \"example.com\", \"origins\": [\"https://example.com\"]}}}"
        )
        defer { config.remove() }
        let daemon = try DaemonProcess.start(
            ["serve", "--unix-socket", socket, "--config=\(config.path)", "--socket-mode", "600"],
            environment: ["PASSKEYD_MAX_BATCH_ITEMS": "8", "PASSKEYD_BIN": "/ignored/by/the/daemon"])
        defer {
            DaemonProcess.stop(daemon.process)
            daemon.remove()
        }
        let started = DaemonProcess.eventually(.seconds(15)) { daemon.stderr().contains("msg=started") || !daemon.process.isRunning }
        #expect(started && daemon.process.isRunning, "stderr: \(daemon.stderr())")
        #expect(daemon.stderr().contains("relying_parties=1"))
        let mode = try FileManager.default.attributesOfItem(atPath: socket)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        try config.write("{\"tcp_port\": 1, \"relying_parties\": {}}")
        kill(daemon.process.processIdentifier, SIGHUP)
        #expect(DaemonProcess.eventually(.seconds(10)) { daemon.stderr().contains("msg=reloaded") }, "stderr: \(daemon.stderr())")
        let log = daemon.stderr()
        #expect(log.contains("msg=\"needs a restart\" new=1 running=0 setting=tcp_port"), "stderr: \(log)")
        #expect(log.contains("setting=batching") && log.contains("setting=allowed_peer_uids"))

        kill(daemon.process.processIdentifier, SIGTERM)
        #expect(DaemonProcess.wait(daemon.process, timeout: .seconds(15)))
        #expect(daemon.process.terminationStatus == 0)
        #expect(daemon.stderr().contains("drained complete=true"))
    }
}
