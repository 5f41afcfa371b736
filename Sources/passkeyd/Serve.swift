import ArgumentParser
import Logging
import Metrics
import PasskeyGRPC
import PasskeyRequests
import PasskeyServer
import PasskeyWebAuthn
import PasskeyWire
import PasskeydSettings
import Prometheus
import ServiceLifecycle
import UnixSignals
internal import CPasskeySystem

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the passkeyd sidecar.",
        discussion: "`passkeyd serve --help` lists every setting, with its flag, environment variable, range and default.",
        // The settings table parses the arguments and prints the help, so the two cannot drift apart.
        helpNames: [])

    @Argument(parsing: .captureForPassthrough, help: "Settings, as --name value or --name=value.")
    var settings: [String] = []

    func run() async throws {
        if ServeSettings.wantsHelp(settings) {
            print(ServeSettings.help, terminator: "")
            return
        }
        if settings.contains("--version") {
            print(PasskeydVersion.string)
            return
        }
        let loaded: ServeSettings
        do {
            loaded = try ServeSettings.load(arguments: settings, environment: ProcessEnvironment.current())
        } catch {
            for problem in error.problems { printError("passkeyd: \(problem)") }
            throw ExitCode(2)
        }
        // A BLOB that does not verify stops the daemon like a setting that does not parse: exit 2, naming the check.
        do throws(MetadataLoadError) {
            loaded.metadataStore.replace(try loaded.loadMetadata())
        } catch {
            printError("passkeyd: \(error)")
            throw ExitCode(2)
        }

        // So does a challenge keys file that cannot be used.
        let challengeKeys: ChallengeKeyRing?
        do throws(ChallengeKeysError) {
            challengeKeys = try loaded.loadChallengeKeys()
        } catch {
            printError("passkeyd: \(error)")
            throw ExitCode(2)
        }

        // Large blocks (1 MiB frame buffers) come from mmap and go back to the system when freed.
        _ = passkey_set_mmap_threshold(256 << 10)
        let level = loaded.logLevel
        LoggingSystem.bootstrap { label in LogfmtLogHandler(label: label, level: level) }
        let prometheus = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: prometheus)
        // Verifications take tens of microseconds: buckets from 25 µs to 1 s.
        factory.defaultDurationHistogramBuckets = [
            .microseconds(25), .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500),
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(100), .milliseconds(250), .seconds(1),
        ]
        factory.defaultValueHistogramBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096]
        MetricsSystem.bootstrap(factory)
        let logger = Logger(label: "passkeyd")

        let registry = RelyingPartyRegistry(named: loaded.relyingParties)
        // Inline policies start from the server-wide attestation roots and metadata, as named parties do.
        registry.replaceAttestationDefaults(loaded.attestation)
        if let challengeKeys { registry.replaceChallengeKeys(challengeKeys) }
        let server = PasskeyServer(configuration: loaded.server, registry: registry, logger: logger, prometheus: prometheus)
        // The gRPC listener shares the server's executors, limits and drain (it is drained with the other listeners).
        let grpc = loaded.server.grpcPort.map { _ in GRPCListener(server: server) }
        if let grpc { server.attach(grpc) }
        // SIGTERM and SIGINT become a graceful shutdown of the service: it drains, then returns.
        let group = ServiceGroup(
            services: [PasskeydService(server: server, grpc: grpc, registry: registry, settings: loaded, logger: logger)],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        do {
            try await group.run()
        } catch {
            // PasskeydService logged the cause (cannot start, drain timed out).
            throw ExitCode(1)
        }
    }
}
