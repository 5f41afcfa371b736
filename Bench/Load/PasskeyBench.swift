import ArgumentParser
import PasskeyClient
import PasskeyCOSE
import PasskeyWebAuthn

@main
struct PasskeyBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passkey-bench",
        abstract: "Load test of a running passkeyd: closed loop (maximum throughput) or open loop (fixed rate).",
        discussion: """
            Makes --credentials credentials and one valid assertion each before measuring (or loads them with \
            --corpus), so nothing is signed under load. Then drives the server with --connections × --depth \
            concurrent requests: single verify_authentication requests, or verify_authentication_batch requests of \
            --batch items, for --duration seconds or --count assertions.

            Closed loop (default): each of the --connections × --depth workers sends its next request when the last \
            is answered. Open loop (--rate R): requests start at fixed intended times, R assertions a second; latency \
            counts from the intended start, so a stall is charged to every request it delays (no coordinated \
            omission). If no worker is free when a request is due it goes out late (reported as send lag and \
            "fell behind"); more than --max-lag behind, the rest is not sent.

            --sweep "1x1,2x8,8x32" runs once per connections×depth pair, each for --duration, and writes every run \
            into --json as "runs" (Bench/plot.py draws them). The corpus is valid, so every non-ok result is an \
            error. Latency percentiles come from an HdrHistogram (3 significant digits). With --server-pid, the \
            server's CPU time per assertion and its RSS (before, after, peak of 100 ms samples) are reported.
            """)

    @Option(name: .customLong("unix-socket"), help: "Unix socket of the server.")
    var unixSocket: String?

    @Option(name: .customLong("tcp"), help: "TCP address of the server, HOST:PORT.")
    var tcp: String?

    @Option(help: "Credentials (and assertions) to generate (default 256).")
    var credentials: Int?

    @Option(
        help: """
            Credential algorithm: es256 (default), es384, es512, eddsa, ed448, ps256, rs256, ...; a comma-separated \
            list, or mix (ES256, RS256, PS256, ES384, EdDSA): credential i gets the (i mod n)-th.
            """)
    var algorithm: String?

    @Option(name: .customLong("corpus"), help: "Load the credentials and assertions from a --save-corpus file.")
    var corpusPath: String?

    @Option(
        name: .customLong("save-corpus"),
        help: "Write the corpus as JSON lines (for --corpus and Bench/peer); without a server address, stop there.")
    var saveCorpus: String?

    @Option(
        name: .customLong("issued-challenges"),
        help: """
            Challenge keys file (the daemon's --challenge-keys-file): each credential's assertion signs its own \
            challenge, minted with the file's minting key, and requests carry issued_challenge instead of the bytes. \
            Each challenge verifies once: later rounds of the corpus are answered CHALLENGE_REUSED after the same \
            full verification and replay-store write, and count as served ("served as CHALLENGE_REUSED"), not as \
            errors. Generates the corpus (no --corpus).
            """)
    var issuedChallenges: String?

    @Flag(name: .customLong("response-json"), help: "Send the assertions as response_json text instead of raw fields.")
    var responseJSON = false

    @Option(help: "Connections to the server.")
    var connections = 4

    @Option(help: "Requests in flight per connection (closed loop: always; open loop: at most).")
    var depth = 16

    @Option(help: "Assertions per request: 1 sends verify_authentication, more sends verify_authentication_batch.")
    var batch = 1

    @Option(help: "Seconds of load (default 10; with --sweep, for each point).")
    var duration: Double?

    @Option(help: "Assertions to send instead of a duration (rounded up to whole requests).")
    var count: Int?

    @Option(help: "Open loop: assertions per second, started at fixed intended times.")
    var rate: Double?

    @Option(name: .customLong("max-lag"), help: "Open loop: stop sending when this many seconds behind the schedule.")
    var maxLag: Double = 5

    @Option(help: "Seconds of unmeasured load of the same shape before each measured run (0: none).")
    var warmup: Double = 1

    @Option(help: "Runs for each connections×depth pair, e.g. \"1x1,1x4,2x8,4x16,8x32\" (overrides --connections, --depth).")
    var sweep: String?

    @Option(help: "A name for the run in the summaries.")
    var label: String?

    @Option(name: .customLong("server-pid"), help: "Server process to measure: CPU time (/proc/PID/stat), RSS (/proc/PID/status).")
    var serverPID: Int32?

    @Option(name: .customLong("json"), help: "Write the results as JSON to this file (a sweep: every run, under \"runs\").")
    var jsonPath: String?

    @Option(name: .customLong("markdown"), help: "Write a Markdown summary table to this file.")
    var markdownPath: String?

    @Option(name: .customLong("client-threads"), help: "Event-loop threads of the client.")
    var clientThreads = 1

    @Option(help: "Per-request timeout in seconds.")
    var timeout: Double = 30

    @Option(
        help: """
            loop (default): every request is made on its connection's event loop from frames encoded up front (no \
            task, thread hop, lock or allocation per request); async: one Swift task per in-flight request through \
            PasskeydClient (the tool before round 2, kept to compare).
            """)
    var runner: RunnerKind = .loop

    @Option(
        help: """
            A rotation corpus of N distinct ES256 credentials, kept only as encoded request frames (about 0.5 KB \
            each), every request a different credential in turn; cached under --cache-dir by N and --seed. Loop \
            runner, single requests.
            """)
    var rotation: Int?

    @Option(name: .customLong("cache-dir"), help: "Where --rotation corpora are kept between runs (none: not cached).")
    var cacheDir: String?

    @Option(help: "Names a cached --rotation corpus: a different seed makes (and caches) a different one.")
    var seed = 1

    @Option(
        name: .customLong("pace-quantum-us"),
        help: """
            Open loop, loop runner: at most one timer wakeup per connection every this many µs (default 0: one per due \
            time). Requests due in between go out together, late, never early; the lateness counts in their latency.
            """)
    var paceQuantumMicroseconds: Double = 0

    @Option(name: .customLong("emit-request"), help: .hidden)
    var emitRequest: String?

    @Option(name: .customLong("emit-registration-request"), help: .hidden)
    var emitRegistrationRequest: String?

    func validate() throws {
        let algs = try chosenAlgorithms()
        if emitRequest != nil || emitRegistrationRequest != nil {
            guard algs.count == 1 else { throw ValidationError("--emit-request needs one --algorithm") }
            return
        }
        if let rotation {
            guard rotation > 0 else { throw ValidationError("--rotation must be positive") }
            guard corpusPath == nil, issuedChallenges == nil, credentials == nil, algorithm == nil, !responseJSON,
                batch == 1, runner == .loop
            else { throw ValidationError("--rotation makes its own ES256 corpus of single requests (loop runner)") }
            // Without a server address: make (and cache) the corpus, then stop.
            if unixSocket == nil, tcp == nil { return }
        }
        if issuedChallenges != nil, corpusPath != nil { throw ValidationError("--issued-challenges generates its corpus: no --corpus") }
        if corpusPath != nil {
            if algorithm != nil { throw ValidationError("--algorithm comes from the --corpus file") }
            if credentials != nil { throw ValidationError("--credentials comes from the --corpus file") }
        }
        if let credentials, credentials <= 0 { throw ValidationError("--credentials must be positive") }
        if saveCorpus != nil, unixSocket == nil, tcp == nil { return }
        guard (unixSocket == nil) != (tcp == nil) else { throw ValidationError("give exactly one of --unix-socket or --tcp") }
        if let tcp, BenchEndpoint.parseTCP(tcp) == nil { throw ValidationError("--tcp must be HOST:PORT") }
        guard connections > 0, depth > 0, batch > 0 else {
            throw ValidationError("--connections, --depth and --batch must be positive")
        }
        if duration != nil, count != nil { throw ValidationError("give --duration or --count, not both") }
        if let duration, !(duration > 0) { throw ValidationError("--duration must be positive") }
        if let count, count <= 0 { throw ValidationError("--count must be positive") }
        if let rate, !(rate > 0 && rate.isFinite) { throw ValidationError("--rate must be positive") }
        guard timeout > 0, maxLag > 0, warmup >= 0 else {
            throw ValidationError("--timeout and --max-lag must be positive, --warmup not negative")
        }
        guard clientThreads > 0 else { throw ValidationError("--client-threads must be positive") }
        if let sweep, Sweep.parse(sweep) == nil {
            throw ValidationError("--sweep takes connections x depth pairs: \"1x1,1x4,2x8\"")
        }
    }

    func chosenAlgorithms() throws -> [COSEAlgorithm] {
        guard let algs = AlgorithmChoice.parse(algorithm ?? "es256") else {
            throw ValidationError("unknown --algorithm '\(algorithm ?? "")'")
        }
        return algs
    }

    func run() async throws {
        let algs = try chosenAlgorithms()
        if emitRequest != nil || emitRegistrationRequest != nil {
            try Fixtures.emit(authentication: emitRequest, registration: emitRegistrationRequest, algorithm: algs[0])
            return
        }
        if let rotation { return try await runRotation(rotation) }
        let corpusStart = Clock.nanoseconds()
        let corpus = try await makeCorpus(algs)
        let corpusMs = (Clock.nanoseconds() - corpusStart) / 1_000_000
        if let saveCorpus {
            try write(saveCorpus, CorpusFile.text(corpus))
            say("corpus: written to \(saveCorpus)")
        }
        guard unixSocket != nil || tcp != nil else { return }
        let endpoint: PasskeydEndpoint =
            if let unixSocket { .unixDomainSocket(path: unixSocket) } else { BenchEndpoint.parseTCP(tcp!)! }

        let points = sweep.flatMap(Sweep.parse) ?? [(connections, depth)]
        let limit: LoadLimit =
            if let count { .count(assertions: count) } else { .duration(nanoseconds: UInt64((duration ?? 10) * 1e9)) }
        let mode: LoadMode = rate.map { .open(assertionsPerSecond: $0) } ?? .closed
        let basePlan = LoadPlan(
            connections: connections, depth: depth, batch: batch, mode: mode, limit: limit,
            maxLagNanoseconds: UInt64(maxLag * 1e9))
        let workload = corpus.workload(
            batch: batch, responseJSON: responseJSON, accepted: issuedChallenges == nil ? [] : [.challengeReused])

        var context = RunContext(
            endpoint: endpoint.description, serverVersion: "?", algorithm: corpus.algorithmLabel,
            algorithms: corpus.algorithms.map(AlgorithmChoice.name), credentials: corpus.items.count,
            corpusPath: corpusPath, responseJSON: responseJSON, clientThreads: clientThreads, cpus: onlineCPUs(),
            serverPID: serverPID)
        context.corpusMilliseconds = corpusMs
        var frames: FrameWorkload?
        if runner == .loop {
            do {
                frames = try FrameWorkload(workload)
            } catch {
                say("passkey-bench: cannot encode the corpus: \(error)")
                throw ExitCode(2)
            }
        }
        try await runPoints(points, basePlan: basePlan, endpoint: endpoint, workload: workload, frames: frames, context: context)
    }

    /// Runs each sweep point (or the one plan) and writes the results.
    func runPoints(
        _ points: [(connections: Int, depth: Int)], basePlan: LoadPlan, endpoint: PasskeydEndpoint, workload: Workload?,
        frames: FrameWorkload?, context: RunContext
    ) async throws {
        var context = context
        var results: [RunResult] = []
        for (i, point) in points.enumerated() {
            let plan = basePlan.with(connections: point.connections, depth: point.depth)
            let pointLabel = sweep == nil ? label : (label.map { "\($0) " } ?? "") + "\(point.connections)x\(point.depth)"
            let startedAt = utcTimestamp()
            context.runner = frames == nil ? "async" : "loop"
            let outcome: RunOutcome
            if let frames {
                outcome = try await loopRun(
                    endpoint, frames: frames, plan: plan, pointLabel: pointLabel, announce: i == 0,
                    progress: sweep == nil ? nil : "\(point.connections)x\(point.depth)", context: &context)
            } else {
                outcome = try await asyncRun(
                    endpoint, workload: workload!, plan: plan, pointLabel: pointLabel, announce: i == 0,
                    progress: sweep == nil ? nil : "\(point.connections)x\(point.depth)", context: &context)
            }
            let result = RunResult(label: pointLabel, plan: plan, outcome: outcome, context: context, startedAt: startedAt)
            say(result.text)
            results.append(result)
        }

        if results.count > 1 {
            say()
            for line in RunResult.markdownHeader + results.enumerated().map({ $0.element.markdownRow(index: $0.offset + 1) }) {
                say(line)
            }
        }
        if let jsonPath { try write(jsonPath, document(results, context: context).render() + "\n") }
        if let markdownPath { try write(markdownPath, markdownDocument(results, context: context)) }
        if results.contains(where: { $0.outcome.stats.requests == 0 }) { throw ExitCode(1) }
    }

    /// One point with the task-per-request runner through `PasskeydClient`.
    private func asyncRun(
        _ endpoint: PasskeydEndpoint, workload: Workload, plan: LoadPlan, pointLabel: String?, announce: Bool,
        progress: String?, context: inout RunContext
    ) async throws -> RunOutcome {
        let client = makeClient(endpoint, connections: plan.connections)
        do {
            let info = try await prepare(client, plan: plan, announce: announce)
            context.serverVersion = info.version
            if warmup > 0 {
                let w = await LoadRunner(
                    client: client, workload: workload, plan: plan.warmup(seconds: warmup), serverPID: nil,
                    progressLabel: nil, showProgress: false
                ).run()
                say("warm-up\(pointLabel.map { " [\($0)]" } ?? ""): \(w.stats.assertions) assertions in "
                    + "\(fixed(Double(w.elapsedNanoseconds) / 1e9, 1)) s, \(w.stats.errorCount) errors")
            }
        } catch {
            await client.close()
            say("passkey-bench: \(endpoint): \(error)")
            throw ExitCode(2)
        }
        let outcome = await LoadRunner(
            client: client, workload: workload, plan: plan, serverPID: serverPID, progressLabel: progress,
            showProgress: true
        ).run()
        await client.close()
        return outcome
    }

    /// One point with the event-loop runner: the server's limits through a one-connection client, then the load over
    /// `plan.connections` frame connections opened before the clock starts.
    private func loopRun(
        _ endpoint: PasskeydEndpoint, frames: FrameWorkload, plan: LoadPlan, pointLabel: String?, announce: Bool,
        progress: String?, context: inout RunContext
    ) async throws -> RunOutcome {
        let loops = PasskeydEventLoops(threads: clientThreads)
        let info = makeClient(endpoint, connections: 1)
        var connections: [PasskeydFrameConnection] = []
        do {
            context.serverVersion = try await prepare(info, plan: plan, announce: announce).version
            await info.close()
            connections = try await LoopRunner.connect(endpoint, loops: loops, count: plan.connections)
        } catch {
            await info.close()
            for c in connections { await c.close() }
            await loops.shutdown()
            say("passkey-bench: \(endpoint): \(error)")
            throw ExitCode(2)
        }
        let timeoutNs = UInt64(timeout * 1e9)
        let quantum = UInt64(max(0, paceQuantumMicroseconds) * 1000)
        if warmup > 0 {
            let w = await LoopRunner(
                loops: loops, endpoint: endpoint, workload: frames, plan: plan.warmup(seconds: warmup), serverPID: nil,
                progressLabel: nil, showProgress: false, timeoutNanoseconds: timeoutNs, quantumNanoseconds: quantum
            ).run(on: connections)
            say("warm-up\(pointLabel.map { " [\($0)]" } ?? ""): \(w.stats.assertions) assertions in "
                + "\(fixed(Double(w.elapsedNanoseconds) / 1e9, 1)) s, \(w.stats.errorCount) errors")
        }
        let outcome = await LoopRunner(
            loops: loops, endpoint: endpoint, workload: frames, plan: plan, serverPID: serverPID, progressLabel: progress,
            showProgress: true, timeoutNanoseconds: timeoutNs, quantumNanoseconds: quantum
        ).run(on: connections)
        for c in connections { await c.close() }
        await loops.shutdown()
        return outcome
    }

    private func makeCorpus(_ algs: [COSEAlgorithm]) async throws -> Corpus {
        let t0 = Clock.nanoseconds()
        let corpus: Corpus
        if let corpusPath {
            do {
                corpus = try CorpusFile.load(path: corpusPath)
            } catch {
                say("passkey-bench: \(error)")
                throw ExitCode(2)
            }
        } else if let issuedChallenges {
            let keys: ChallengeKeyRing
            do {
                guard let bytes = readFileBytes(issuedChallenges) else { throw WebAuthnError(.malformedRequest, "cannot read it") }
                keys = try ChallengeKeyRing(keysFile: bytes)
            } catch {
                say("passkey-bench: --issued-challenges \(issuedChallenges): \(error)")
                throw ExitCode(2)
            }
            corpus = try await Corpus.generateIssued(count: credentials ?? 256, algorithms: algs, keys: keys)
        } else {
            corpus = try await Corpus.generate(count: credentials ?? 256, algorithms: algs)
        }
        let ms = (Clock.nanoseconds() - t0) / 1_000_000
        say("corpus: \(corpus.items.count) \(corpus.algorithms.map(AlgorithmChoice.name).joined(separator: "/")) "
            + "credentials " + (corpusPath == nil ? "generated" : "loaded from \(corpusPath!)") + " in \(ms) ms")
        return corpus
    }

    private func makeClient(_ endpoint: PasskeydEndpoint, connections: Int) -> PasskeydClient {
        var configuration = PasskeydClientConfiguration(endpoint: endpoint, connections: connections)
        configuration.retryOnConnectionClosed = false  // count every connection loss
        configuration.eventLoopThreads = clientThreads
        configuration.connection.requestTimeout = .milliseconds(Int64(timeout * 1000))
        configuration.connection.maxRequestFrameBytes = Int.max  // let the server judge
        return PasskeydClient(configuration: configuration)
    }

    /// Opens every connection before the clock starts (round-robin: one call per slot) and checks the limits.
    private func prepare(_ client: PasskeydClient, plan: LoadPlan, announce: Bool) async throws -> ServerInfo {
        for _ in 0..<plan.connections { _ = try await client.health() }
        let info = try await client.serverInfo()
        if announce {
            say("server: passkeyd \(info.version), max_batch_items \(info.maxBatchItems), "
                + "max_in_flight_per_connection \(info.maxInFlightPerConnection), max_in_flight \(info.maxInFlight)")
        }
        if plan.batch > 1, plan.batch > Int(info.maxBatchItems) {
            say("warning: --batch \(plan.batch) exceeds the server's max_batch_items (\(info.maxBatchItems))")
        }
        if plan.depth > Int(info.maxInFlightPerConnection) {
            say("note: --depth \(plan.depth) is above the server's max_in_flight_per_connection "
                + "(\(info.maxInFlightPerConnection)): the server stops reading beyond it")
        }
        return info
    }

    /// One run: its own members after the shared ones. A sweep: the shared members and every run under "runs".
    private func document(_ results: [RunResult], context: RunContext) -> JSONValue {
        var members = context.members
        if sweep == nil, let only = results.first, case let .object(own) = only.json {
            members.append(("kind", .string("run")))
            let taken = Set(members.map(\.0))
            members += own.filter { !taken.contains($0.0) }
        } else {
            members.append(("kind", .string("sweep")))
            members.append(("sweep", .string(sweep ?? "")))
            members.append(("runs", .array(results.map(\.json))))
        }
        return .object(members)
    }

    private func write(_ path: String, _ text: String) throws {
        do {
            try writeFile(path, text)
        } catch {
            say("passkey-bench: cannot write \(path): \(error)")
            throw ExitCode(2)
        }
    }
}

enum RunnerKind: String, ExpressibleByArgument, Sendable {
    case loop
    case async
}

enum BenchEndpoint {
    /// HOST:PORT, with [v6]:PORT for IPv6 literals.
    static func parseTCP(_ s: String) -> PasskeydEndpoint? {
        guard let colon = s.lastIndex(of: ":"), let port = Int(s[s.index(after: colon)...]), (1...65535).contains(port)
        else { return nil }
        var host = String(s[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host.isEmpty ? nil : .tcp(host: host, port: port)
    }
}
