import PasskeyWebAuthn

/// The final numbers, as text and as JSON.
struct Summary {
    let report: LoadReport
    let plan: LoadPlan
    let endpoint: String
    let algorithm: String
    let credentials: Int
    let responseJSON: Bool

    private var seconds: Double { Double(report.elapsedNanoseconds) / 1e9 }
    private var errorCount: Int { report.stats.errors.values.reduce(0, +) }
    var assertionsPerSecond: Double { Double(report.stats.assertions) / seconds }
    var requestsPerSecond: Double { Double(report.stats.requests) / seconds }

    /// p50, p90, p99 and max latency in nanoseconds (nearest rank).
    var percentiles: (p50: UInt64, p90: UInt64, p99: UInt64, max: UInt64) {
        let sorted = report.stats.latencies.sorted()
        guard !sorted.isEmpty else { return (0, 0, 0, 0) }
        func at(_ q: Double) -> UInt64 { sorted[min(sorted.count - 1, Int((q * Double(sorted.count)).rounded(.up)) - 1)] }
        return (at(0.50), at(0.90), at(0.99), sorted[sorted.count - 1])
    }

    /// CPU per assertion in nanoseconds.
    private func perAssertion(_ cpu: UInt64) -> UInt64 {
        report.stats.assertions > 0 ? cpu / UInt64(report.stats.assertions) : 0
    }

    var text: String {
        let p = percentiles
        var lines = [
            "",
            "== passkey-bench: \(endpoint), \(credentials) \(algorithm) credentials"
                + "\(responseJSON ? " (response_json)" : ""), \(plan.connections) connections × depth \(plan.depth), "
                + (plan.batch > 1 ? "batches of \(plan.batch)" : "single requests"),
            "elapsed        \(fixed(seconds, 2)) s",
            "assertions     \(report.stats.assertions)  (\(fixed(assertionsPerSecond, 0))/s)",
            "requests       \(report.stats.requests)  (\(fixed(requestsPerSecond, 0))/s)",
            "latency        p50 \(ms(p.p50))  p90 \(ms(p.p90))  p99 \(ms(p.p99))  max \(ms(p.max))  (per request)",
            "errors         \(errorCount)",
        ]
        for (code, n) in report.stats.errors.sorted(by: { $0.value > $1.value }) { lines.append("  \(code): \(n)") }
        if report.stats.requests == 0 { lines.append("warning: no request succeeded") }
        if let cpu = report.serverCPUNanoseconds {
            lines.append(
                "server CPU     \(fixed(Double(cpu) / 1e9, 2)) s (\(fixed(Double(cpu) / Double(report.elapsedNanoseconds), 2)) cores), "
                    + "\(fixed(Double(perAssertion(cpu)) / 1000, 1)) µs per assertion")
        }
        lines.append(
            "client CPU     \(fixed(Double(report.clientCPUNanoseconds) / 1e9, 2)) s, "
                + "\(fixed(Double(perAssertion(report.clientCPUNanoseconds)) / 1000, 1)) µs per assertion")
        return lines.joined(separator: "\n")
    }

    /// Integers only (JSONWriter has no floating point): rates rounded, times in µs / ns as named.
    var json: String {
        let p = percentiles
        var w = JSONWriter()
        w.beginObject()
        w.member("endpoint", endpoint)
        w.member("algorithm", algorithm)
        w.member("credentials", Int64(credentials))
        w.member("response_json", responseJSON)
        w.member("connections", Int64(plan.connections))
        w.member("depth", Int64(plan.depth))
        w.member("batch", Int64(plan.batch))
        w.member("duration_ms", Int64(plan.durationNanoseconds / 1_000_000))
        w.member("elapsed_ms", Int64(report.elapsedNanoseconds / 1_000_000))
        w.member("requests", Int64(report.stats.requests))
        w.member("assertions", Int64(report.stats.assertions))
        w.member("errors", Int64(errorCount))
        w.member("assertions_per_second", Int64(assertionsPerSecond.rounded()))
        w.member("requests_per_second", Int64(requestsPerSecond.rounded()))
        w.key("latency_us")
        w.beginObject()
        w.member("p50", Int64(p.p50 / 1000))
        w.member("p90", Int64(p.p90 / 1000))
        w.member("p99", Int64(p.p99 / 1000))
        w.member("max", Int64(p.max / 1000))
        w.endObject()
        w.key("errors_by_code")
        w.beginObject()
        for (code, n) in report.stats.errors.sorted(by: { $0.key < $1.key }) { w.member(code, Int64(n)) }
        w.endObject()
        if let cpu = report.serverCPUNanoseconds {
            w.member("server_cpu_ms", Int64(cpu / 1_000_000))
            w.member("server_cpu_ns_per_assertion", Int64(perAssertion(cpu)))
        }
        w.member("client_cpu_ms", Int64(report.clientCPUNanoseconds / 1_000_000))
        w.member("client_cpu_ns_per_assertion", Int64(perAssertion(report.clientCPUNanoseconds)))
        w.endObject()
        return w.text
    }

    private func ms(_ ns: UInt64) -> String { fixed(Double(ns) / 1e6, 3) + " ms" }
}

/// `v` with `digits` decimals, without Foundation's String(format:).
func fixed(_ v: Double, _ digits: Int) -> String {
    guard v.isFinite else { return "\(v)" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (abs(v) * scale).rounded()
    let whole = Int64(scaled / scale)
    let sign = v < 0 && scaled != 0 ? "-" : ""
    guard digits > 0 else { return sign + "\(whole)" }
    let frac = Int64(scaled - Double(whole) * scale)
    var f = "\(frac)"
    while f.count < digits { f = "0" + f }
    return sign + "\(whole).\(f)"
}
