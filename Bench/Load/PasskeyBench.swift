import ArgumentParser
import PasskeyClient
import PasskeyCOSE

@main
struct PasskeyBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passkey-bench",
        abstract: "Closed-loop load test of a running passkeyd.",
        discussion: """
            Generates --credentials credentials and one valid assertion each (before measuring), then keeps
            --connections × --depth requests in flight for --duration seconds: single verify_authentication requests, or
            verify_authentication_batch requests of --batch items. The corpus is valid, so every non-ok result counts
            as an error. Prints a progress line every second and a summary at the end.
            """)

    @Option(name: .customLong("unix-socket"), help: "Unix socket of the server.")
    var unixSocket: String?

    @Option(name: .customLong("tcp"), help: "TCP address of the server, HOST:PORT.")
    var tcp: String?

    @Option(help: "Credentials (and assertions) in the corpus.")
    var credentials = 256

    @Option(help: "Connections to the server.")
    var connections = 4

    @Option(help: "Requests kept in flight per connection.")
    var depth = 16

    @Option(help: "Assertions per request: 1 sends verify_authentication, more sends verify_authentication_batch.")
    var batch = 1

    @Option(help: "Seconds of load.")
    var duration: Double = 10

    @Option(help: "Credential algorithm: es256, es384, es512, eddsa, ed448, ps256, rs256, ...")
    var algorithm = "es256"

    @Flag(name: .customLong("response-json"), help: "Send the assertions as response_json text instead of raw fields.")
    var responseJSON = false

    @Option(name: .customLong("server-pid"), help: "Server process to charge CPU time to (/proc/PID/stat).")
    var serverPID: Int32?

    @Option(name: .customLong("json"), help: "Also write the summary as JSON to this file.")
    var jsonPath: String?

    @Option(name: .customLong("client-threads"), help: "Event-loop threads of the client.")
    var clientThreads = 1

    @Option(help: "Per-request timeout in seconds.")
    var timeout: Double = 30

    @Option(
        name: .customLong("save-corpus"),
        help: "Write the corpus as JSON lines (for Bench/peer); without a server address, stop there.")
    var saveCorpus: String?

    @Option(name: .customLong("emit-request"), help: .hidden)
    var emitRequest: String?

    @Option(name: .customLong("emit-registration-request"), help: .hidden)
    var emitRegistrationRequest: String?

    func validate() throws {
        _ = try coseAlgorithm()
        guard credentials > 0 else { throw ValidationError("--credentials must be positive") }
        if emitRequest != nil || emitRegistrationRequest != nil { return }
        if saveCorpus != nil, unixSocket == nil, tcp == nil { return }
        guard (unixSocket == nil) != (tcp == nil) else { throw ValidationError("give exactly one of --unix-socket or --tcp") }
        if let tcp, BenchEndpoint.parseTCP(tcp) == nil { throw ValidationError("--tcp must be HOST:PORT") }
        guard connections > 0, depth > 0, batch > 0 else {
            throw ValidationError("--connections, --depth and --batch must be positive")
        }
        guard duration > 0, timeout > 0 else { throw ValidationError("--duration and --timeout must be positive") }
        guard clientThreads > 0 else { throw ValidationError("--client-threads must be positive") }
    }

    func coseAlgorithm() throws -> COSEAlgorithm {
        let wanted = algorithm.lowercased()
        guard let alg = COSEAlgorithm.allCases.first(where: { $0.name.lowercased() == wanted || "\($0)" == wanted }) else {
            throw ValidationError("unknown --algorithm '\(algorithm)'")
        }
        return alg
    }

    func run() async throws {
        let alg = try coseAlgorithm()
        if emitRequest != nil || emitRegistrationRequest != nil {
            try Fixtures.emit(authentication: emitRequest, registration: emitRegistrationRequest, algorithm: alg)
            return
        }
        let corpusStart = Clock.nanoseconds()
        let corpus = try Corpus(count: credentials, algorithm: alg, responseJSON: responseJSON)
        print("corpus: \(credentials) \(alg.name) credentials in \((Clock.nanoseconds() - corpusStart) / 1_000_000) ms")
        if let saveCorpus {
            do {
                try writeFile(saveCorpus, corpus.jsonLines(algorithm: alg))
            } catch {
                print("passkey-bench: cannot write \(saveCorpus): \(error)")
                throw ExitCode(2)
            }
        }
        guard unixSocket != nil || tcp != nil else { return }
        let endpoint: PasskeydEndpoint =
            if let unixSocket { .unixDomainSocket(path: unixSocket) } else { BenchEndpoint.parseTCP(tcp!)! }

        var configuration = PasskeydClientConfiguration(endpoint: endpoint, connections: connections)
        configuration.retryOnConnectionClosed = false  // count every connection loss
        configuration.eventLoopThreads = clientThreads
        configuration.connection.requestTimeout = .milliseconds(Int64(timeout * 1000))
        configuration.connection.maxRequestFrameBytes = Int.max  // let the server judge
        let client = PasskeydClient(configuration: configuration)

        let plan = LoadPlan(
            connections: connections, depth: depth, batch: batch, durationNanoseconds: UInt64(duration * 1e9))
        let report: LoadReport
        do {
            report = try await LoadRunner(client: client, corpus: corpus, plan: plan, serverPID: serverPID).run()
        } catch {
            await client.close()
            print("passkey-bench: \(endpoint): \(error)")
            throw ExitCode(2)
        }
        await client.close()

        let summary = Summary(
            report: report, plan: plan, endpoint: endpoint.description, algorithm: alg.name, credentials: credentials,
            responseJSON: responseJSON)
        print(summary.text)
        if let jsonPath {
            do {
                try writeFile(jsonPath, summary.json + "\n")
            } catch {
                print("passkey-bench: cannot write \(jsonPath): \(error)")
                throw ExitCode(2)
            }
        }
    }
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
