import PasskeyClient

/// The measured outcome of one run.
struct RunOutcome: Sendable {
    var stats: RunStats
    /// From the first request's (intended) start to the last answer.
    var elapsedNanoseconds: UInt64
    var serverCPUNanoseconds: UInt64?
    var clientCPUNanoseconds: UInt64
    var memory: MemoryTrack
    /// Open loop: requests in the schedule, and those never sent because the tool fell more than --max-lag behind.
    var scheduled: Int?
    var notSent = 0
    /// CPU time all processes on the machine used during the run, and the load average before it.
    var hostBusyNanoseconds: UInt64?
    var loadAverageBefore: [Double]?
    /// The event-loop runner: writes (each flushed) the tool made, over every connection.
    var flushes: Int? = nil
}

/// Runs `plan` once against `client`.
///
/// `connections × depth` workers share one ticket counter. Closed loop: a worker takes a ticket, sends, waits for the
/// answer, and repeats until the duration is over or the tickets (count mode) run out. Open loop: ticket t's request is
/// due at `start + t × interval`; the worker that takes it sleeps until then (never sends early), sends, and records
/// latency from the due time, so a slow answer that holds up the following requests is charged to each of them (no
/// coordinated omission). If every worker is busy when a request is due, it goes out late and the lateness is part of
/// its latency; the send lag is recorded on its own so the report can say the tool fell behind.
///
/// The client's pool spreads the calls round-robin over its connections, so each carries about `depth` in flight.
struct LoadRunner {
    let client: PasskeydClient
    let workload: Workload
    let plan: LoadPlan
    let serverPID: Int32?
    /// Prefix of the progress lines (the sweep point), or nil for none.
    let progressLabel: String?
    let showProgress: Bool

    func run() async -> RunOutcome {
        let counters = LiveCounters()
        let openLoop = plan.intervalNanoseconds != nil
        let recorder = Recorder(workers: plan.workers, openLoop: openLoop, algorithms: workload.algorithmCount)
        let plan = self.plan
        let client = self.client
        let workload = self.workload
        let total = plan.totalRequests

        var memory = MemoryTrack()
        if let pid = serverPID {
            let m = ProcessMemory.of(pid: pid)
            memory.beforeKiB = m?.rssKiB
            memory.sample(m)
        }
        let loadAverage = HostCPU.loadAverage()
        let hostBefore = HostCPU.busy()
        let serverBefore = serverPID.flatMap { ProcessCPU.of(pid: $0) }
        let clientBefore = ProcessCPU.own()
        // Open loop: the first request is due a little after the workers start, so none begins the run late.
        let start = Clock.nanoseconds() + (openLoop ? 2_000_000 : 0)
        let end = plan.durationNanoseconds.map { start + $0 }

        let monitor = Monitor(
            counters: counters, start: start, plan: plan, serverPID: serverPID, label: progressLabel, show: showProgress)
        async let sampled = monitor.run()

        await withTaskGroup(of: Void.self) { group in
            for w in 0..<plan.workers {
                group.addTask {
                    let worker = Worker(
                        client: client, counters: counters, shard: recorder.shard(for: w), workload: workload,
                        maxLag: plan.maxLagNanoseconds)
                    if let interval = plan.intervalNanoseconds {
                        await worker.openLoop(start: start, interval: interval, total: total ?? 0)
                    } else {
                        await worker.closedLoop(end: end, total: total)
                    }
                }
            }
        }
        let finishedAt = Clock.nanoseconds()
        counters.stop.store(true, ordering: .relaxed)
        memory.merge(await sampled)

        let serverAfter = serverPID.flatMap { ProcessCPU.of(pid: $0) }
        let hostAfter = HostCPU.busy()
        if let pid = serverPID {
            let m = ProcessMemory.of(pid: pid)
            memory.afterKiB = m?.rssKiB
            memory.sample(m)
        }
        var outcome = RunOutcome(
            stats: recorder.collect(), elapsedNanoseconds: finishedAt > start ? finishedAt - start : 0,
            serverCPUNanoseconds: nil, clientCPUNanoseconds: ProcessCPU.own() - clientBefore, memory: memory)
        if let a = serverBefore, let b = serverAfter { outcome.serverCPUNanoseconds = b - a }
        if let a = hostBefore, let b = hostAfter, b >= a { outcome.hostBusyNanoseconds = b - a }
        outcome.loadAverageBefore = loadAverage
        if openLoop, let total {
            outcome.scheduled = total
            outcome.notSent = max(0, total - counters.started.load(ordering: .relaxed))
        }
        return outcome
    }
}

/// One worker: at most one request in flight.
struct Worker {
    let client: PasskeydClient
    let counters: LiveCounters
    let shard: Recorder.Shard
    let workload: Workload
    let maxLag: UInt64

    func closedLoop(end: UInt64?, total: Int?) async {
        while true {
            if let end, Clock.nanoseconds() >= end { return }
            let t = counters.tickets.wrappingAdd(1, ordering: .relaxed).oldValue
            if let total, t >= total { return }
            if await !send(ticket: t, intended: nil) {
                // Back off instead of spinning: a little after a request-level error (OVERLOADED, BATCH_TOO_LARGE ...),
                // the same after a transport failure (the server may be gone; the client reconnects on the next call).
                try? await Task.sleep(for: .milliseconds(2))
            }
        }
    }

    func openLoop(start: UInt64, interval: Double, total: Int) async {
        while !counters.abandoned.load(ordering: .relaxed) {
            let t = counters.tickets.wrappingAdd(1, ordering: .relaxed).oldValue
            if t >= total { return }
            let due = start + UInt64((Double(t) * interval).rounded())
            var now = Clock.nanoseconds()
            // Taking a ticket already due means no worker was free when it came due.
            let noFreeWorker = now >= due
            while now < due {
                // Task.sleep wakes 40–90 µs late on Linux (timer slack); the lag histogram shows how much.
                try? await Task.sleep(nanoseconds: due - now)
                now = Clock.nanoseconds()
            }
            if now - due > maxLag {
                counters.abandoned.store(true, ordering: .relaxed)
                return
            }
            _ = await send(ticket: t, intended: (due, noFreeWorker))
        }
    }

    /// Sends ticket `t`'s request and records the outcome; false when it failed as a whole.
    /// `intended`: open loop, the due time and whether the request waited for a free worker.
    private func send(ticket t: Int, intended: (UInt64, Bool)?) async -> Bool {
        counters.started.wrappingAdd(1, ordering: .relaxed)
        let t0 = Clock.nanoseconds()
        if workload.batch > 1 {
            let i = t % workload.batches.count
            do throws(PasskeydClientError) {
                let results = try await client.verifyAuthenticationBatch(workload.batches[i])
                record(t0, intended, results, slots: workload.batchSlots[i])
                return true
            } catch {
                failed(t0, intended, error, slots: workload.batchSlots[i])
                return false
            }
        } else {
            let i = t % workload.singles.count
            do throws(PasskeydClientError) {
                let result = try await client.verifyAuthentication(workload.singles[i])
                record(t0, intended, [result], slots: workload.singleSlots[i...i])
                return true
            } catch {
                failed(t0, intended, error, slots: workload.singleSlots[i...i])
                return false
            }
        }
    }

    private func record<S: Collection<UInt8>>(
        _ t0: UInt64, _ intended: (UInt64, Bool)?, _ results: [AuthenticationResult], slots: S
    ) {
        let done = Clock.nanoseconds()
        let latency = done - (intended?.0 ?? t0)
        let single = results.count == 1 && workload.batch == 1
        var bad = 0
        shard.stats.withLock { s in
            s.latency.recordClamped(latency)
            if let intended { Self.recordOpenLoop(&s, t0: t0, intended: intended, service: done - t0) }
            s.requests += 1
            s.assertions += results.count
            for (r, slot) in zip(results, slots) {
                let a = Int(slot)
                s.byAlgorithm[a].assertions += 1
                if let code = r.errorCode, workload.accepted.contains(code) {
                    s.accepted[code.protoName, default: 0] += 1
                } else if let code = r.errorCode {
                    s.errors[code.protoName, default: 0] += 1
                    s.byAlgorithm[a].errors += 1
                    bad += 1
                }
                if single {
                    s.byAlgorithm[a].requests += 1
                    s.byAlgorithm[a].latency.recordClamped(latency)
                }
            }
        }
        counters.requests.wrappingAdd(1, ordering: .relaxed)
        counters.assertions.wrappingAdd(results.count, ordering: .relaxed)
        if bad > 0 { counters.errors.wrappingAdd(bad, ordering: .relaxed) }
    }

    /// A request without results: every item in it counts as an error under the failure's name; no latency is
    /// recorded (there was no answer to time).
    private func failed<S: Collection<UInt8>>(
        _ t0: UInt64, _ intended: (UInt64, Bool)?, _ error: PasskeydClientError, slots: S
    ) {
        let name = Self.name(error)
        shard.stats.withLock { s in
            if let intended { Self.recordOpenLoop(&s, t0: t0, intended: intended, service: nil) }
            s.errors[name, default: 0] += slots.count
            for slot in slots { s.byAlgorithm[Int(slot)].errors += 1 }
        }
        counters.errors.wrappingAdd(slots.count, ordering: .relaxed)
    }

    private static func recordOpenLoop(_ s: inout RunStats, t0: UInt64, intended: (UInt64, Bool), service: UInt64?) {
        let (due, noFreeWorker) = intended
        let lag = t0 > due ? t0 - due : 0
        s.sendLag?.recordClamped(lag)
        if lag > RunStats.lateThresholdNanoseconds {
            s.lateStarts += 1
            if noFreeWorker { s.lateNoFreeWorker += 1 }
        }
        if let service { s.serviceTime?.recordClamped(service) }
    }

    static func name(_ e: PasskeydClientError) -> String {
        switch e {
        case let .server(code, _): code.protoName
        case .connectionClosed: "connection_closed"
        case .connectFailed: "connect_failed"
        case .timeout: "timeout"
        case .protocolViolation: "protocol_violation"
        case .requestTooLarge: "request_too_large"
        case .clientClosed: "client_closed"
        case .cancelled: "cancelled"
        }
    }
}
