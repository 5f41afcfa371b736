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
        var stdout: String
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
        defer { process.remove() }
        return Outcome(
            status: exited ? process.process.terminationStatus : nil, stdout: process.stdout(), stderr: process.stderr())
    }

    struct Running {
        let process: Process
        let stdoutPath: String
        let stderrPath: String
        func stdout() -> String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
        func stderr() -> String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }
        func remove() {
            try? FileManager.default.removeItem(atPath: stdoutPath)
            try? FileManager.default.removeItem(atPath: stderrPath)
        }
    }

    static func start(_ arguments: [String], environment extra: [String: String] = [:]) throws -> Running {
        guard let binary else { throw DaemonProcessError("passkeyd executable not found next to the test bundle") }
        let base = NSTemporaryDirectory() + "pkd-set-\(UUID().uuidString.prefix(8))"
        let (stdoutPath, stderrPath) = (base + ".out", base + ".err")
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        let p = Process()
        p.executableURL = binary
        p.arguments = arguments
        p.environment = environment(extra)
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = out
        p.standardError = err
        try p.run()
        try out.close()
        try err.close()
        return Running(process: p, stdoutPath: stdoutPath, stderrPath: stderrPath)
    }

    /// Polls until the process exits or `timeout` passes; true when it exited.
    static func wait(_ p: Process, timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while p.isRunning, ContinuousClock.now < deadline { usleep(20_000) }
        if p.isRunning { return false }
        p.waitUntilExit()
        return true
    }

    /// Polls `condition` every 20 ms for up to `timeout`; true once it holds.
    static func eventually(_ timeout: Duration, _ condition: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            if ContinuousClock.now >= deadline { return false }
            usleep(20_000)
        }
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
