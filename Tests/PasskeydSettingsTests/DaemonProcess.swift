import Foundation

/// Runs the real `passkeyd` executable (built next to the test bundle) with bounded waits.
enum DaemonProcess {
    static var binary: URL? {
        var dir = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("passkeyd")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    struct Outcome {
        /// nil when the process was still running at the deadline (it is then stopped).
        var status: Int32?
        var stderr: String
    }

    /// A fresh short directory (Unix socket paths are limited to ~100 bytes).
    static func temporaryDirectory() throws -> String {
        let dir = "/tmp/pkd-set-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// The test runner's environment without any `PASSKEYD_*` variable, plus `extra`.
    static func environment(_ extra: [String: String]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PASSKEYD_") }
        env.merge(extra) { $1 }
        return env
    }

    /// Starts `passkeyd ARGS` and waits up to `timeout` for it to exit.
    static func run(_ arguments: [String], environment extra: [String: String] = [:], timeout: Duration = .seconds(5))
        throws -> Outcome
    {
        let process = try start(arguments, environment: extra)
        let exited = wait(process.process, timeout: timeout)
        if !exited { stop(process.process) }
        return Outcome(status: exited ? process.process.terminationStatus : nil, stderr: process.stderr())
    }

    struct Running {
        let process: Process
        let stderrPath: String
        func stderr() -> String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }
    }

    static func start(_ arguments: [String], environment extra: [String: String] = [:]) throws -> Running {
        guard let binary else { throw DaemonProcessError("passkeyd executable not found next to the test bundle") }
        let stderrPath = NSTemporaryDirectory() + "pkd-set-\(UUID().uuidString.prefix(8)).log"
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        let p = Process()
        p.executableURL = binary
        p.arguments = arguments
        p.environment = environment(extra)
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardError = log
        try p.run()
        try log.close()
        return Running(process: p, stderrPath: stderrPath)
    }

    /// Polls until the process exits or `timeout` passes; true when it exited.
    static func wait(_ p: Process, timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while p.isRunning, ContinuousClock.now < deadline { usleep(20_000) }
        if p.isRunning { return false }
        p.waitUntilExit()
        return true
    }

    /// SIGTERM, then SIGKILL if it has not gone within 10 s.
    static func stop(_ p: Process) {
        guard p.isRunning else { return }
        p.terminate()
        if !wait(p, timeout: .seconds(10)) {
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
        }
    }
}

struct DaemonProcessError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
