/// What every run of one invocation shares.
struct RunContext: Sendable {
    var endpoint: String
    var serverVersion: String
    var algorithm: String
    var algorithms: [String]
    var credentials: Int
    var corpusPath: String?
    var responseJSON: Bool
    var clientThreads: Int
    var cpus: Int
    var serverPID: Int32?
    /// How long making (or loading) the corpus took.
    var corpusMilliseconds: UInt64? = nil
    var runner = "loop"

    /// Members every result document starts with.
    var members: [(String, JSONValue)] {
        [
            ("tool", .string("passkey-bench")),
            ("schema", .int(2)),
            ("endpoint", .string(endpoint)),
            ("server_version", .string(serverVersion)),
            ("algorithm", .string(algorithm)),
            ("algorithms", .array(algorithms.map { .string($0) })),
            ("credentials", .int(credentials)),
            ("corpus", corpusPath.map { .string($0) } ?? .null),
            ("response_json", .bool(responseJSON)),
            ("client_threads", .int(clientThreads)),
            ("cpus", .int(cpus)),
            ("server_pid", serverPID.map { .int(Int64($0)) } ?? .null),
            ("corpus_ms", corpusMilliseconds.map { .uint($0) } ?? .null),
            ("runner", .string(runner)),
        ]
    }
}

/// One finished run and its numbers, as text, JSON and a Markdown table row.
struct RunResult: Sendable {
    let label: String?
    let plan: LoadPlan
    let outcome: RunOutcome
    let context: RunContext
    let startedAt: String

    private var stats: RunStats { outcome.stats }
    private var seconds: Double { Double(outcome.elapsedNanoseconds) / 1e9 }
    var assertionsPerSecond: Double { seconds > 0 ? Double(stats.assertions) / seconds : 0 }
    var requestsPerSecond: Double { seconds > 0 ? Double(stats.requests) / seconds : 0 }
    var latency: Percentiles { Percentiles(stats.latency) }
    var openLoop: Bool { plan.intervalNanoseconds != nil }

    var modeName: String {
        if case let .open(rate) = plan.mode { return "open loop at \(fixed(rate, 0)) assertions/s" }
        return "closed loop"
    }

    /// The open-loop schedule was not kept: requests were dropped, or more than 1 % started over 1 ms late.
    var fellBehind: Bool {
        guard openLoop else { return false }
        return outcome.notSent > 0 || stats.lateStarts * 100 > max(1, (outcome.scheduled ?? 0) - outcome.notSent)
    }

    /// Cores used during the run by processes other than this tool and the server (without --server-pid: other than
    /// this tool), from the machine's busy time; nil when /proc/stat is unreadable.
    var otherCores: Double? {
        guard let host = outcome.hostBusyNanoseconds, outcome.elapsedNanoseconds > 0 else { return nil }
        let ours = Double(outcome.clientCPUNanoseconds) + Double(outcome.serverCPUNanoseconds ?? 0)
        return max(0, Double(host) - ours) / Double(outcome.elapsedNanoseconds)
    }

    /// Other processes used enough CPU to disturb the numbers.
    var noisyHost: Bool { (otherCores ?? 0) > 0.15 }

    var serverCPUPerAssertion: Double? {
        guard let cpu = outcome.serverCPUNanoseconds, stats.assertions > 0 else { return nil }
        return Double(cpu) / Double(stats.assertions)
    }

    // MARK: Text

    var text: String {
        let p = latency
        var lines = [
            "",
            "== passkey-bench" + (label.map { " [\($0)]" } ?? "") + ": \(context.endpoint), \(context.credentials) "
                + "\(context.algorithm) credentials\(context.responseJSON ? " (response_json)" : ""), \(modeName), "
                + "\(plan.connections) connections × depth \(plan.depth), "
                + (plan.batch > 1 ? "batches of \(plan.batch)" : "single requests"),
            "elapsed        \(fixed(seconds, 2)) s",
            "assertions     \(stats.assertions)  (\(fixed(assertionsPerSecond, 0))/s)",
            "requests       \(stats.requests)  (\(fixed(requestsPerSecond, 0))/s)",
            "latency        " + Self.percentileText(p) + "  (per request, "
                + (openLoop ? "from the intended start)" : "from the send)"),
        ]
        if openLoop, let lag = stats.sendLag, let service = stats.serviceTime {
            let l = Percentiles(lag)
            lines.append("service time   " + Self.percentileText(Percentiles(service)) + "  (from the actual send)")
            lines.append(
                "send lag       p50 \(ms(l.p50))  p99 \(ms(l.p99))  max \(ms(l.max));  \(stats.lateStarts) requests "
                    + "started over 1 ms late (\(stats.lateNoFreeWorker) for want of a free worker)")
            if let scheduled = outcome.scheduled {
                lines.append(
                    "schedule       \(scheduled) requests scheduled, \(scheduled - outcome.notSent) sent"
                        + (outcome.notSent > 0 ? ", \(outcome.notSent) NOT SENT (over --max-lag behind)" : ""))
            }
        }
        lines.append("errors         \(stats.errorCount)")
        for (code, n) in stats.errors.sorted(by: { $0.value > $1.value }) { lines.append("  \(code): \(n)") }
        for (code, n) in stats.accepted.sorted(by: { $0.key < $1.key }) { lines.append("served as \(code) \(n)") }
        if stats.byAlgorithm.count > 1 {
            for (name, a) in zip(context.algorithms, stats.byAlgorithm) {
                var line = "  \(padRight(name, 8)) \(pad(a.assertions, 9)) assertions, \(a.errors) errors"
                if a.requests > 0 { line += ", latency " + Self.percentileText(Percentiles(a.latency)) }
                lines.append(line)
            }
        }
        if stats.requests == 0 { lines.append("warning: no request succeeded") }
        if let cpu = outcome.serverCPUNanoseconds, let per = serverCPUPerAssertion {
            lines.append(
                "server CPU     \(fixed(Double(cpu) / 1e9, 2)) s (\(fixed(Double(cpu) / Double(max(1, outcome.elapsedNanoseconds)), 2)) cores), "
                    + "\(fixed(per / 1000, 1)) µs per assertion")
        }
        let m = outcome.memory
        if let peak = m.peakKiB {
            lines.append(
                "server RSS     before \(mib(m.beforeKiB)), peak \(mib(peak)), after \(mib(m.afterKiB)) MiB "
                    + "(\(m.samples) samples; VmHWM \(mib(m.highWaterKiB)) MiB)")
        }
        let clientPer = stats.assertions > 0 ? Double(outcome.clientCPUNanoseconds) / Double(stats.assertions) : 0
        lines.append(
            "client CPU     \(fixed(Double(outcome.clientCPUNanoseconds) / 1e9, 2)) s, \(fixed(clientPer / 1000, 1)) µs per assertion"
                + (outcome.flushes.map { f in
                    "; \(fixed(Double(f) / Double(max(1, stats.requests)), 2)) writes per request (\(context.runner) runner)"
                } ?? " (\(context.runner) runner)"))
        if let host = outcome.hostBusyNanoseconds, let other = otherCores {
            lines.append(
                "host CPU       \(fixed(Double(host) / Double(max(1, outcome.elapsedNanoseconds)), 2)) of \(context.cpus) "
                    + "cores busy, \(fixed(other, 2)) by other processes"
                    + (outcome.loadAverageBefore.map { "; load average before \(fixed($0[0], 2))" } ?? ""))
        }
        if noisyHost {
            lines.append(
                "warning: other processes used \(fixed(otherCores ?? 0, 2)) cores during the run; these numbers are "
                    + "disturbed by them")
        }
        if fellBehind {
            let woke = stats.lateStarts - stats.lateNoFreeWorker
            var why: [String] = []
            if stats.lateNoFreeWorker > 0 || outcome.notSent > 0 {
                why.append(
                    "\(stats.lateNoFreeWorker) found all \(plan.workers) workers busy (the server is saturated at this "
                        + "rate, or raise --connections/--depth)")
            }
            if woke > 0 { why.append("\(woke) woke late (CPU contention or timer slack on the client)") }
            lines.append(
                "warning: the tool fell behind its schedule: \(stats.lateStarts) requests started over 1 ms late"
                    + (outcome.notSent > 0 ? ", \(outcome.notSent) were never sent" : "") + "; "
                    + why.joined(separator: "; ")
                    + ". Latency still counts from the intended starts, but the rate was not offered as asked.")
        }
        return lines.joined(separator: "\n")
    }

    static func percentileText(_ p: Percentiles) -> String {
        "p50 \(ms(p.p50))  p90 \(ms(p.p90))  p99 \(ms(p.p99))  p99.9 \(ms(p.p999))  max \(ms(p.max))"
    }

    // MARK: JSON

    /// The run as a JSON object: rates and latencies as decimals (µs), counts as integers.
    var json: JSONValue {
        var m: [(String, JSONValue)] = []
        if let label { m.append(("label", .string(label))) }
        m += [
            ("started_at", .string(startedAt)),
            ("mode", .string(openLoop ? "open" : "closed")),
            ("endpoint", .string(context.endpoint)),
            ("algorithm", .string(context.algorithm)),
            ("credentials", .int(context.credentials)),
            ("response_json", .bool(context.responseJSON)),
            ("connections", .int(plan.connections)),
            ("depth", .int(plan.depth)),
            ("batch", .int(plan.batch)),
            ("duration_ms", plan.durationNanoseconds.map { .uint($0 / 1_000_000) } ?? .null),
            ("count", { if case let .count(n) = plan.limit { return .int(n) } else { return .null } }()),
            ("elapsed_ms", .uint(outcome.elapsedNanoseconds / 1_000_000)),
            ("requests", .int(stats.requests)),
            ("assertions", .int(stats.assertions)),
            ("errors", .int(stats.errorCount)),
            ("assertions_per_second", .number(assertionsPerSecond, digits: 1)),
            ("requests_per_second", .number(requestsPerSecond, digits: 1)),
            ("latency_from", .string(openLoop ? "intended_start" : "send")),
            ("latency_us", Self.json(latency)),
            ("latency_distribution_us", Self.distribution(stats.latency)),
        ]
        if openLoop, case let .open(rate) = plan.mode, let lag = stats.sendLag, let service = stats.serviceTime {
            m.append(("target_assertions_per_second", .number(rate, digits: 1)))
            m.append(("service_time_us", Self.json(Percentiles(service))))
            m.append(("send_lag_us", Self.json(Percentiles(lag))))
            m.append(
                ("schedule",
                 .object([
                     ("requests_scheduled", .int(outcome.scheduled ?? 0)),
                     ("requests_not_sent", .int(outcome.notSent)),
                     ("late_starts", .int(stats.lateStarts)),
                     ("late_no_free_worker", .int(stats.lateNoFreeWorker)),
                     ("late_threshold_us", .uint(RunStats.lateThresholdNanoseconds / 1000)),
                     ("fell_behind", .bool(fellBehind)),
                 ])))
        }
        m.append(("errors_by_code", .object(stats.errors.sorted(by: { $0.key < $1.key }).map { ($0.key, .int($0.value)) })))
        m.append(("accepted_by_code", .object(stats.accepted.sorted(by: { $0.key < $1.key }).map { ($0.key, .int($0.value)) })))
        if stats.byAlgorithm.count > 1 {
            m.append(
                ("by_algorithm",
                 .object(
                     zip(context.algorithms, stats.byAlgorithm).map { name, a in
                         var o: [(String, JSONValue)] = [
                             ("assertions", .int(a.assertions)), ("errors", .int(a.errors)), ("requests", .int(a.requests)),
                         ]
                         if a.requests > 0 { o.append(("latency_us", Self.json(Percentiles(a.latency)))) }
                         return (name, .object(o))
                     })))
        }
        if let cpu = outcome.serverCPUNanoseconds {
            m.append(("server_cpu_ms", .uint(cpu / 1_000_000)))
            m.append(("server_cpu_ns_per_assertion", .uint(stats.assertions > 0 ? cpu / UInt64(stats.assertions) : 0)))
            m.append(("server_cores_used", .number(Double(cpu) / Double(max(1, outcome.elapsedNanoseconds)), digits: 2)))
        }
        let mem = outcome.memory
        if mem.peakKiB != nil {
            m.append(
                ("server_rss_kib",
                 .object([
                     ("before", .optional(mem.beforeKiB.map { .uint($0) })),
                     ("after", .optional(mem.afterKiB.map { .uint($0) })),
                     ("peak", .optional(mem.peakKiB.map { .uint($0) })),
                     ("high_water", .optional(mem.highWaterKiB.map { .uint($0) })),
                     ("samples", .int(mem.samples)),
                 ])))
        }
        if let host = outcome.hostBusyNanoseconds {
            m.append(
                ("host_cpu",
                 .object([
                     ("busy_cores", .number(Double(host) / Double(max(1, outcome.elapsedNanoseconds)), digits: 2)),
                     ("other_processes_cores", .optional(otherCores.map { .number($0, digits: 2) })),
                     ("noisy", .bool(noisyHost)),
                     ("load_average_before", .optional(outcome.loadAverageBefore.map { .array($0.map { .number($0, digits: 2) }) })),
                 ])))
        }
        m.append(("client_cpu_ms", .uint(outcome.clientCPUNanoseconds / 1_000_000)))
        m.append(("runner", .string(context.runner)))
        if let f = outcome.flushes {
            m.append(("client_writes", .int(f)))
            m.append(("client_writes_per_request", .number(Double(f) / Double(max(1, stats.requests)), digits: 3)))
        }
        m.append(
            ("client_cpu_ns_per_assertion",
             .uint(stats.assertions > 0 ? outcome.clientCPUNanoseconds / UInt64(stats.assertions) : 0)))
        return .object(m)
    }

    static func json(_ p: Percentiles) -> JSONValue {
        func us(_ ns: UInt64) -> JSONValue { .number(Double(ns) / 1000, digits: 1) }
        return .object([
            ("count", .uint(p.count)), ("min", us(p.min)), ("mean", .number(p.mean / 1000, digits: 1)), ("p50", us(p.p50)),
            ("p90", us(p.p90)), ("p99", us(p.p99)), ("p99_9", us(p.p999)), ("max", us(p.max)),
        ])
    }

    static func distribution(_ h: Latencies) -> JSONValue {
        .array(
            Percentiles.distribution(h).map { p, v in .array([.number(p, digits: 4), .number(Double(v) / 1000, digits: 1)]) })
    }

    // MARK: Markdown

    static let markdownHeader = [
        "| run | load | conn × depth | batch | assertions/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | errors "
            + "| server CPU µs/assertion | server RSS peak MiB |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]

    func markdownRow(index: Int) -> String {
        let p = latency
        let load: String
        if case let .open(rate) = plan.mode {
            load = "open \(fixed(rate, 0))/s" + (fellBehind ? " (fell behind)" : "")
        } else {
            load = "closed"
        }
        let noisy = noisyHost ? " (noisy host: \(fixed(otherCores ?? 0, 1)) cores used by others)" : ""
        let cells = [
            (label ?? "\(index)") + noisy, load, "\(plan.connections) × \(plan.depth)", "\(plan.batch)",
            fixed(assertionsPerSecond, 0), msCell(p.p50), msCell(p.p90), msCell(p.p99), msCell(p.p999), msCell(p.max),
            "\(stats.errorCount)", serverCPUPerAssertion.map { fixed($0 / 1000, 1) } ?? "–",
            outcome.memory.peakKiB.map { fixed(Double($0) / 1024, 1) } ?? "–",
        ]
        return "| " + cells.joined(separator: " | ") + " |"
    }

    /// Per-algorithm rows for a corpus with several algorithms.
    var markdownAlgorithms: [String] {
        guard stats.byAlgorithm.count > 1 else { return [] }
        var rows = [
            "| algorithm | assertions | errors | p50 ms | p99 ms | max ms |", "|---|---:|---:|---:|---:|---:|",
        ]
        for (name, a) in zip(context.algorithms, stats.byAlgorithm) {
            let p = Percentiles(a.latency)
            let lat = a.requests > 0 ? [msCell(p.p50), msCell(p.p99), msCell(p.max)] : ["–", "–", "–"]
            rows.append("| \(name) | \(a.assertions) | \(a.errors) | " + lat.joined(separator: " | ") + " |")
        }
        return rows
    }
}

/// The Markdown summary: one line of context, the table, notes.
func markdownDocument(_ results: [RunResult], context: RunContext) -> String {
    var lines = [
        "passkey-bench — \(utcTimestamp()), \(context.endpoint), passkeyd \(context.serverVersion), "
            + "\(context.credentials) \(context.algorithm) credentials" + (context.responseJSON ? " (response_json)" : "")
            + ", \(context.cpus) CPUs shared by the load tool and the server",
        "",
    ]
    lines += RunResult.markdownHeader
    for (i, r) in results.enumerated() { lines.append(r.markdownRow(index: i + 1)) }
    lines.append("")
    lines.append(
        "Latency per request (a batch is one request); open loop counts from each request's intended start, closed loop "
            + "from its send.")
    for (i, r) in results.enumerated() where !r.markdownAlgorithms.isEmpty {
        lines.append("")
        lines.append("By algorithm, run \(r.label ?? "\(i + 1)")" + (r.plan.batch > 1 ? " (batches: no per-algorithm latency)" : "") + ":")
        lines.append("")
        lines += r.markdownAlgorithms
    }
    return lines.joined(separator: "\n") + "\n"
}

private func ms(_ ns: UInt64) -> String { fixed(Double(ns) / 1e6, 3) + " ms" }
private func msCell(_ ns: UInt64) -> String { fixed(Double(ns) / 1e6, 3) }
private func mib(_ kib: UInt64?) -> String { kib.map { fixed(Double($0) / 1024, 1) } ?? "?" }
