import Logging
import PasskeyServer
import PasskeydSettings
import ServiceLifecycle
import UnixSignals

/// The daemon as one service of a `ServiceGroup`: start the listeners, reload on SIGHUP, and on graceful shutdown
/// (SIGTERM/SIGINT) drain: stop accepting, answer what was read, close. Throws when it cannot start or the drain ran
/// out of time (exit status 1).
struct PasskeydService: Service {
    let server: PasskeyServer
    let settings: ServeSettings
    let logger: Logger

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    func run() async throws {
        // Trapped before the socket exists, so an early SIGHUP is never its default action (terminate).
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        do {
            try await server.start()
        } catch {
            logger.critical("cannot start", metadata: ["error": "\(error)"])
            await server.shutdown()
            throw Failure(description: "cannot start: \(error)")
        }
        logger.info("started", metadata: ["version": "\(PasskeyServer.version)", "relying_parties": "\(settings.relyingParties.count)"])

        var running = settings
        for await _ in hangups.cancelOnGracefulShutdown() {
            running = reload(running)
        }

        logger.info("shutdown requested")
        let complete = await server.drain(timeout: .milliseconds(settings.server.drainTimeoutMs))
        await server.shutdown()
        if !complete { throw Failure(description: "drain timed out with requests in flight") }
    }

    /// Re-reads the config file with the start's flags and environment. Only the relying parties change at run time;
    /// any other setting whose value changed is logged as needing a restart and keeps its running value. A file that
    /// no longer reads or checks changes nothing.
    func reload(_ running: ServeSettings) -> ServeSettings {
        guard let path = running.configPath else {
            logger.warning("SIGHUP without a config file: nothing to reload")
            return running
        }
        let fresh: ServeSettings
        do {
            fresh = try running.reloaded()
        } catch {
            logger.error("reload failed; keeping the previous configuration", metadata: ["file": "\(path)", "error": "\(error)"])
            return running
        }
        for setting in running.changes(to: fresh) {
            let was = setting.value(in: running).map { setting.format($0) } ?? "none"
            let now = setting.value(in: fresh).map { setting.format($0) } ?? "none"
            logger.warning(
                "needs a restart", metadata: ["setting": "\(setting.name)", "running": "\(was)", "new": "\(now)"])
        }
        server.reload(relyingParties: fresh.relyingParties)
        var next = running
        next.relyingParties = fresh.relyingParties
        return next
    }
}
