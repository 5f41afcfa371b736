import Logging
import PasskeyCrypto
import PasskeyGRPC
import PasskeyMetadata
import PasskeyServer
import PasskeyWebAuthn
import PasskeyWire
import PasskeydSettings
import ServiceLifecycle
import UnixSignals

/// The daemon as one service of a `ServiceGroup`: start the listeners, reload on SIGHUP, and on graceful shutdown
/// (SIGTERM/SIGINT) drain: stop accepting, answer what was read, close. Throws when it cannot start or the drain ran
/// out of time (exit status 1).
struct PasskeydService: Service {
    let server: PasskeyServer
    /// The gRPC listener, when `grpc_port` is set (attached to `server`, which drains it).
    let grpc: GRPCListener?
    let registry: RelyingPartyRegistry
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
            try await grpc?.start()
        } catch {
            logger.critical("cannot start", metadata: ["error": "\(error)"])
            await server.shutdown()
            throw Failure(description: "cannot start: \(error)")
        }
        logger.info("started", metadata: ["version": "\(PasskeyServer.version)", "relying_parties": "\(settings.relyingParties.count)"])
        if let index = settings.metadataStore.index { logMetadata(index, "metadata loaded") }
        logChallengeKeys()

        // While the BLOB's nextUpdate has passed, say so once a day (and at every load).
        let reminder = Task { [logger, store = settings.metadataStore] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(86_400))
                if let index = store.index, index.isStale(at: WallClock.now()) {
                    logger.warning(
                        "metadata nextUpdate has passed; fetch a new BLOB and send SIGHUP",
                        metadata: ["no": "\(index.number)", "next_update": "\(index.nextUpdate)"])
                }
            }
        }
        defer { reminder.cancel() }

        var running = settings
        for await _ in hangups.cancelOnGracefulShutdown() {
            running = reload(running)
        }

        logger.info("shutdown requested")
        let complete = await server.drain(timeout: .milliseconds(settings.server.drainTimeoutMs))
        await server.shutdown()
        if !complete { throw Failure(description: "drain timed out with requests in flight") }
    }

    /// Re-reads the config file with the start's flags and environment, and the metadata BLOB. Only the relying
    /// parties, the server-wide attestation roots and the metadata change at run time; any other setting whose value
    /// changed is logged as needing a restart and keeps its running value. A file that no longer reads or checks
    /// changes nothing; a BLOB that no longer verifies keeps the running BLOB.
    func reload(_ running: ServeSettings) -> ServeSettings {
        var next = running
        if let path = running.configPath {
            do {
                let fresh = try running.reloaded()
                for setting in running.changes(to: fresh) {
                    let was = setting.value(in: running).map { setting.format($0) } ?? "none"
                    let now = setting.value(in: fresh).map { setting.format($0) } ?? "none"
                    logger.warning(
                        "needs a restart", metadata: ["setting": "\(setting.name)", "running": "\(was)", "new": "\(now)"])
                }
                // The fresh parties were built on the fresh server-wide policy, which shares the one metadata store.
                registry.replaceAttestationDefaults(fresh.attestation)
                server.reload(relyingParties: fresh.relyingParties)
                next.relyingParties = fresh.relyingParties
                next.attestation = fresh.attestation
            } catch {
                logger.error("reload failed; keeping the previous configuration", metadata: ["file": "\(path)", "error": "\(error)"])
            }
        } else if running.metadataBLOBPath == nil, running.challengeKeysPath == nil {
            logger.warning("SIGHUP without a config file, metadata or challenge keys file: nothing to reload")
        }
        reloadMetadata(running)
        reloadChallengeKeys(running)
        return next
    }

    /// The challenge keys file read again (the path the daemon started with) and swapped in whole: tokens of keys
    /// still listed stay valid, a new `mint` key mints from now on. A file that fails keeps the running keys.
    func reloadChallengeKeys(_ running: ServeSettings) {
        guard let path = running.challengeKeysPath else { return }
        do throws(ChallengeKeysError) {
            guard let ring = try running.loadChallengeKeys() else { return }
            registry.replaceChallengeKeys(ring)
            logger.info("challenge keys reloaded", metadata: ["mint": "\(ring.minting.name)", "keys": "\(ring.names.joined(separator: ","))"])
        } catch {
            logger.error(
                "challenge keys reload failed; keeping the running keys",
                metadata: ["file": "\(path)", "error": "\(error.message)", "mint": "\(registry.challengeKeys.minting.name)"])
        }
    }

    /// Which keys mint and check issued challenges, and where they came from (said once at start).
    func logChallengeKeys() {
        let ring = registry.challengeKeys
        if registry.challengeKeysAreEphemeral {
            logger.warning(
                "challenge keys: ephemeral (made at start: this process only, lost on restart, not shared with replicas); set challenge_keys_file to share them",
                metadata: ["mint": "\(ring.minting.name)"])
        } else {
            logger.info(
                "challenge keys: from file",
                metadata: [
                    "file": "\(settings.challengeKeysPath ?? "")", "mint": "\(ring.minting.name)",
                    "keys": "\(ring.names.joined(separator: ","))",
                ])
        }
    }

    /// The BLOB, root and CRLs read again (from the paths the daemon started with) and swapped in whole; requests
    /// in flight keep the index they started with. MDS3 §3.2: a BLOB whose `no` is not above the running one's is
    /// not taken (lower is an error, equal is "unchanged").
    func reloadMetadata(_ running: ServeSettings) {
        guard running.metadataBLOBPath != nil else { return }
        let current = running.metadataStore.index
        do throws(MetadataLoadError) {
            guard let fresh = try running.loadMetadata(minimumNumber: current?.number) else { return }
            if let current, fresh.number == current.number {
                logger.info("metadata unchanged", metadata: ["no": "\(current.number)", "next_update": "\(current.nextUpdate)"])
                if current.isStale(at: WallClock.now()) {
                    logger.warning("metadata nextUpdate has passed; fetch a new BLOB and send SIGHUP", metadata: ["no": "\(current.number)"])
                }
                return
            }
            running.metadataStore.replace(fresh)
            logMetadata(fresh, "metadata reloaded")
        } catch {
            logger.error(
                "metadata reload failed; keeping the previous BLOB",
                metadata: [
                    "error": "\(error)", "code": "\(error.code?.rawValue ?? "unreadable")",
                    "running_no": "\(current.map { String($0.number) } ?? "none")",
                ])
        }
    }

    /// `no`, `nextUpdate` and what the index holds, at every load; a warning when nextUpdate has passed.
    func logMetadata(_ index: MetadataIndex, _ event: String) {
        var fields: Logger.Metadata = [
            "no": "\(index.number)", "next_update": "\(index.nextUpdate)", "entries": "\(index.count)",
            "aaguids": "\(index.aaguidCount)", "key_identifiers": "\(index.keyIdentifierCount)",
        ]
        if case .verified(let algorithm, let signer) = index.provenance {
            fields["alg"] = "\(algorithm)"
            fields["signer"] = "\(signer)"
        }
        if index.duplicateKeys > 0 { fields["duplicate_keys"] = "\(index.duplicateKeys)" }
        if index.unknownStatusCount > 0 { fields["unknown_statuses"] = "\(index.unknownStatusCount)" }
        if index.unparsableRootCertificates > 0 { fields["unparsable_roots"] = "\(index.unparsableRootCertificates)" }
        logger.info("\(event)", metadata: fields)
        if index.isStale(at: WallClock.now()) {
            logger.warning(
                "metadata nextUpdate has passed; fetch a new BLOB and send SIGHUP",
                metadata: ["no": "\(index.number)", "next_update": "\(index.nextUpdate)"])
        }
    }
}
