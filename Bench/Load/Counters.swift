import Histogram
import Synchronization

/// Totals shared by every worker, read by the progress line; also the run's ticket dispenser.
final class LiveCounters: Sendable {
    let requests = Atomic<Int>(0)
    let assertions = Atomic<Int>(0)
    let errors = Atomic<Int>(0)
    /// Open loop: requests actually sent (the progress line's backlog is "due by now" minus this).
    let started = Atomic<Int>(0)
    /// Ticket t is the run's t-th request: it picks the corpus item and, in open loop, the intended start time.
    let tickets = Atomic<Int>(0)
    /// Set when the workers are done (stops the monitor), or when the open-loop schedule is hopelessly behind.
    let stop = Atomic<Bool>(false)
    let abandoned = Atomic<Bool>(false)

    struct Snapshot {
        var requests = 0
        var assertions = 0
        var errors = 0
        var started = 0
    }

    var snapshot: Snapshot {
        Snapshot(
            requests: requests.load(ordering: .relaxed), assertions: assertions.load(ordering: .relaxed),
            errors: errors.load(ordering: .relaxed), started: started.load(ordering: .relaxed))
    }
}

/// Latencies in nanoseconds, 3 significant digits, from 64 ns (the lowest discernible value, 100, rounded down to a
/// power of two) to 2 minutes; larger values are recorded as 2 minutes. About 100 KiB each.
typealias Latencies = Histogram<UInt32>

extension Histogram<UInt32> {
    static let ceiling: UInt64 = 120_000_000_000

    static func latencies() -> Latencies {
        Histogram(lowestDiscernibleValue: 100, highestTrackableValue: ceiling, numberOfSignificantValueDigits: .three)
    }

    mutating func recordClamped(_ nanoseconds: UInt64) {
        record(Swift.min(nanoseconds, Self.ceiling))
    }
}

/// What one algorithm of the corpus saw (reported for corpora with several).
struct AlgorithmStats: Sendable {
    var assertions = 0
    var errors = 0
    /// Single requests only: a batch mixes algorithms, so its latency belongs to none of them.
    var requests = 0
    var latency = Latencies.latencies()
}

/// Everything recorded in one run (one shard, or all merged).
struct RunStats: Sendable {
    /// Per request: from the intended start in open loop (what a caller of a service at that rate would see), from
    /// the send otherwise.
    var latency = Latencies.latencies()
    /// Open loop: from the actual send to the answer (what the server and the socket cost).
    var serviceTime: Latencies?
    /// Open loop: how late each request was sent against its intended start (timer precision, or no free worker).
    var sendLag: Latencies?
    var requests = 0
    var assertions = 0
    /// Non-ok results by wire code, and transport / request-level failures by kind (each item counts).
    var errors: [String: Int] = [:]
    /// Results with a code the workload accepts (issued-challenge mode: CHALLENGE_REUSED), by code.
    var accepted: [String: Int] = [:]
    var byAlgorithm: [AlgorithmStats]
    /// Open loop: requests sent more than `RunStats.lateThreshold` after their intended start.
    var lateStarts = 0
    /// Of those, the ones no worker was free for when they came due (the rest woke late: a busy CPU, timer slack).
    var lateNoFreeWorker = 0

    static let lateThresholdNanoseconds: UInt64 = 1_000_000

    init(openLoop: Bool, algorithms: Int) {
        if openLoop {
            serviceTime = Latencies.latencies()
            sendLag = Latencies.latencies()
        }
        byAlgorithm = (0..<algorithms).map { _ in AlgorithmStats() }
    }

    var errorCount: Int { errors.values.reduce(0, +) }

    mutating func merge(_ o: RunStats) {
        latency.add(o.latency)
        if let s = o.serviceTime { serviceTime?.add(s) }
        if let s = o.sendLag { sendLag?.add(s) }
        requests += o.requests
        assertions += o.assertions
        errors.merge(o.errors, uniquingKeysWith: +)
        accepted.merge(o.accepted, uniquingKeysWith: +)
        for i in byAlgorithm.indices where i < o.byAlgorithm.count {
            byAlgorithm[i].assertions += o.byAlgorithm[i].assertions
            byAlgorithm[i].errors += o.byAlgorithm[i].errors
            byAlgorithm[i].requests += o.byAlgorithm[i].requests
            byAlgorithm[i].latency.add(o.byAlgorithm[i].latency)
        }
        lateStarts += o.lateStarts
        lateNoFreeWorker += o.lateNoFreeWorker
    }
}

/// Where workers record: a few mutex-guarded shards (worker w uses shard w mod count), so recording is an uncontended
/// lock and memory does not grow with the number of workers (a sweep point may have hundreds).
final class Recorder: Sendable {
    final class Shard: Sendable {
        let stats: Mutex<RunStats>
        init(_ s: RunStats) { stats = Mutex(s) }
    }

    private let shards: [Shard]

    init(workers: Int, openLoop: Bool, algorithms: Int) {
        let n = max(1, min(workers, 8))
        shards = (0..<n).map { _ in Shard(RunStats(openLoop: openLoop, algorithms: algorithms)) }
    }

    func shard(for worker: Int) -> Shard { shards[worker % shards.count] }

    func collect() -> RunStats {
        var total = shards[0].stats.withLock { $0 }
        for s in shards.dropFirst() {
            let part = s.stats.withLock { $0 }
            total.merge(part)
        }
        return total
    }
}

/// The usual percentiles of a histogram, in nanoseconds.
struct Percentiles: Sendable {
    var count: UInt64
    var min: UInt64
    var mean: Double
    var p50: UInt64
    var p90: UInt64
    var p99: UInt64
    var p999: UInt64
    var max: UInt64

    init(_ h: Latencies) {
        count = h.totalCount
        min = h.totalCount == 0 ? 0 : h.min
        mean = h.mean
        p50 = h.valueAtPercentile(50)
        p90 = h.valueAtPercentile(90)
        p99 = h.valueAtPercentile(99)
        p999 = h.valueAtPercentile(99.9)
        max = h.maxRecorded
    }

    /// (percentile, nanoseconds) points of the whole distribution, for HdrHistogram-style plots: five ticks per
    /// halving of the distance to 100 %, up to the largest value.
    static func distribution(_ h: Latencies) -> [(Double, UInt64)] {
        guard h.totalCount > 0 else { return [] }
        var out: [(Double, UInt64)] = []
        for v in h.percentiles(ticksPerHalfDistance: 5) {
            let p = v.percentileLevelIteratedTo
            if p >= 100 { break }
            out.append((p, Swift.min(v.value, h.maxRecorded)))
        }
        out.append((100, h.maxRecorded))
        return out
    }
}
