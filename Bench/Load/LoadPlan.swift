/// How requests are issued.
enum LoadMode: Sendable, Equatable {
    /// Every worker sends its next request as soon as the previous one is answered (maximum throughput).
    case closed
    /// Requests start at fixed intended times, `assertionsPerSecond / batch` requests a second, whatever the server
    /// does; latency counts from the intended start, so a stall delays (and is charged to) every request behind it.
    case open(assertionsPerSecond: Double)
}

/// When a run ends.
enum LoadLimit: Sendable, Equatable {
    case duration(nanoseconds: UInt64)
    /// Assertions to send (rounded up to whole requests).
    case count(assertions: Int)
}

/// What to run: one measured run (a sweep is several).
struct LoadPlan: Sendable {
    let connections: Int
    let depth: Int
    let batch: Int
    let mode: LoadMode
    let limit: LoadLimit
    /// Open loop: give up when the schedule is this far behind (requests left are reported as not sent).
    let maxLagNanoseconds: UInt64

    /// Concurrent workers: the most requests in flight (closed loop: always; open loop: at most).
    var workers: Int { connections * depth }

    /// Requests to send, when that is known up front: count mode, or an open-loop schedule (rate × duration).
    var totalRequests: Int? {
        switch (mode, limit) {
        case let (_, .count(n)):
            return (n + batch - 1) / batch
        case let (.open(rate), .duration(ns)):
            return max(1, Int((Double(ns) / 1e9 * rate / Double(batch)).rounded(.down)))
        case (.closed, .duration):
            return nil
        }
    }

    /// Open loop: nanoseconds between intended request starts.
    var intervalNanoseconds: Double? {
        if case let .open(rate) = mode { return 1e9 * Double(batch) / rate }
        return nil
    }

    var durationNanoseconds: UInt64? {
        if case let .duration(ns) = limit { return ns }
        return nil
    }

    /// "2×8" for tables.
    var shape: String { "\(connections)×\(depth)" }

    func with(connections: Int, depth: Int) -> LoadPlan {
        LoadPlan(
            connections: connections, depth: depth, batch: batch, mode: mode, limit: limit,
            maxLagNanoseconds: maxLagNanoseconds)
    }

    /// The same shape for `seconds`, for warming up.
    func warmup(seconds: Double) -> LoadPlan {
        LoadPlan(
            connections: connections, depth: depth, batch: batch, mode: mode,
            limit: .duration(nanoseconds: UInt64(seconds * 1e9)), maxLagNanoseconds: maxLagNanoseconds)
    }
}

/// `--sweep "1x1,1x4,2x8"`: connections × depth pairs.
enum Sweep {
    static func parse(_ text: String) -> [(connections: Int, depth: Int)]? {
        var out: [(Int, Int)] = []
        for part in text.split(separator: ",") {
            let pair = part.trimmingSpaces.lowercased().split(whereSeparator: { $0 == "x" || $0 == "×" })
            guard pair.count == 2, let c = Int(pair[0]), let d = Int(pair[1]), c > 0, d > 0 else { return nil }
            out.append((c, d))
        }
        return out.isEmpty ? nil : out
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return s
    }
}
