import Synchronization

/// Totals shared by every worker, read once a second for the progress line.
final class LiveCounters: Sendable {
    let requests = Atomic<Int>(0)
    let assertions = Atomic<Int>(0)
    let errors = Atomic<Int>(0)
    let stop = Atomic<Bool>(false)
    /// Round-robin cursor over the corpus batches.
    let cursor = Atomic<Int>(0)

    struct Snapshot {
        var requests = 0
        var assertions = 0
        var errors = 0
    }

    var snapshot: Snapshot {
        Snapshot(
            requests: requests.load(ordering: .relaxed), assertions: assertions.load(ordering: .relaxed),
            errors: errors.load(ordering: .relaxed))
    }
}

/// What one worker saw; merged at the end (no sharing on the hot path beyond the counters).
struct WorkerStats: Sendable {
    var latencies: [UInt64] = []
    var requests = 0
    var assertions = 0
    /// Non-ok results by wire code, and transport / request-level failures by kind.
    var errors: [String: Int] = [:]

    mutating func merge(_ other: WorkerStats) {
        latencies += other.latencies
        requests += other.requests
        assertions += other.assertions
        errors.merge(other.errors, uniquingKeysWith: +)
    }
}
