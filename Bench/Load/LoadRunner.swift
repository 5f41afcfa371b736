import PasskeyClient

/// The measured outcome.
struct LoadReport: Sendable {
    var stats: WorkerStats
    var elapsedNanoseconds: UInt64
    var serverCPUNanoseconds: UInt64?
    var clientCPUNanoseconds: UInt64
}

/// Closed loop: `connections × depth` workers each send a request, wait for its answer and send the next, until the
/// duration is over. The client's pool spreads them round-robin over its connections, `depth` in flight on each.
struct LoadRunner {
    let client: PasskeydClient
    let corpus: Corpus
    let plan: LoadPlan
    let serverPID: Int32?

    func run() async throws -> LoadReport {
        // Open every connection before the clock starts (round-robin: one call per slot) and check the limits.
        for _ in 0..<plan.connections { _ = try await client.health() }
        let info = try await client.serverInfo()
        print("server: passkeyd \(info.version), max_batch_items \(info.maxBatchItems), "
            + "max_in_flight_per_connection \(info.maxInFlightPerConnection)")
        if plan.batch > 1, plan.batch > Int(info.maxBatchItems) {
            print("warning: --batch \(plan.batch) exceeds the server's max_batch_items (\(info.maxBatchItems))")
        }

        let singles = corpus.requests
        let batches = plan.batch > 1 ? corpus.batches(size: plan.batch) : []
        let counters = LiveCounters()
        let serverBefore = serverPID.flatMap { ProcessCPU.of(pid: $0) }
        let clientBefore = ProcessCPU.own()
        let start = Clock.nanoseconds()
        let end = start + plan.durationNanoseconds
        let plan = self.plan
        let client = self.client

        var total = WorkerStats()
        var finishedAt = start
        await withTaskGroup(of: WorkerStats?.self) { group in
            group.addTask {
                await Progress.run(counters: counters, start: start, plan: plan)
                return nil
            }
            for w in 0..<plan.workers {
                group.addTask {
                    var worker = Worker(client: client, counters: counters, batch: plan.batch)
                    worker.stats.latencies.reserveCapacity(1 << 14)
                    var next = w
                    while Clock.nanoseconds() < end {
                        if plan.batch > 1 {
                            await worker.send(batch: batches[next % batches.count])
                        } else {
                            await worker.send(single: singles[next % singles.count])
                        }
                        next = counters.cursor.wrappingAdd(1, ordering: .relaxed).oldValue
                    }
                    return worker.stats
                }
            }
            var finished = 0
            for await s in group {
                guard let s else { continue }
                total.merge(s)
                finished += 1
                if finished == plan.workers {
                    finishedAt = Clock.nanoseconds()
                    counters.stop.store(true, ordering: .relaxed)
                }
            }
        }
        // The window ends with the last answer, not when the progress task notices.
        let elapsed = finishedAt - start
        let serverAfter = serverPID.flatMap { ProcessCPU.of(pid: $0) }
        var serverCPU: UInt64?
        if let a = serverBefore, let b = serverAfter { serverCPU = b - a }
        return LoadReport(
            stats: total, elapsedNanoseconds: elapsed, serverCPUNanoseconds: serverCPU,
            clientCPUNanoseconds: ProcessCPU.own() - clientBefore)
    }
}

/// One closed-loop worker.
struct Worker {
    let client: PasskeydClient
    let counters: LiveCounters
    let batch: Int
    var stats = WorkerStats()

    mutating func send(single request: AuthenticationRequest) async {
        let t0 = Clock.nanoseconds()
        do throws(PasskeydClientError) {
            let result = try await client.verifyAuthentication(request)
            record(t0, [result])
        } catch {
            await failed(error, items: 1)
        }
    }

    mutating func send(batch requests: [AuthenticationRequest]) async {
        let t0 = Clock.nanoseconds()
        do throws(PasskeydClientError) {
            record(t0, try await client.verifyAuthenticationBatch(requests))
        } catch {
            await failed(error, items: requests.count)
        }
    }

    private mutating func record(_ t0: UInt64, _ results: [AuthenticationResult]) {
        stats.latencies.append(Clock.nanoseconds() - t0)
        stats.requests += 1
        stats.assertions += results.count
        var bad = 0
        for r in results {
            if let code = r.errorCode {
                stats.errors[code, default: 0] += 1
                bad += 1
            }
        }
        counters.requests.wrappingAdd(1, ordering: .relaxed)
        counters.assertions.wrappingAdd(results.count, ordering: .relaxed)
        if bad > 0 { counters.errors.wrappingAdd(bad, ordering: .relaxed) }
    }

    /// A request without results: every item in it counts as an error under the failure's name.
    private mutating func failed(_ error: PasskeydClientError, items: Int) async {
        stats.errors[Self.name(error), default: 0] += items
        counters.errors.wrappingAdd(items, ordering: .relaxed)
        // Back off instead of spinning: a little after a request-level error (OVERLOADED, BATCH_TOO_LARGE ...), more
        // after a transport failure (the server may be gone).
        if case .server = error {
            try? await Task.sleep(for: .milliseconds(1))
        } else {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    static func name(_ e: PasskeydClientError) -> String {
        switch e {
        case let .server(code, _): code
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
