import PasskeyJSON
import ArgumentParser
import PasskeyClient
import PasskeyWebAuthn

struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health", abstract: "Print the server's health as JSON (exit 0 serving, 1 draining, 2 unreachable).")

    @ParentCommand var root: Passkeyctl

    func run() async throws {
        let client = try root.makeClient()
        let outcome: Result<HealthStatus, PasskeydClientError>
        do throws(PasskeydClientError) {
            outcome = .success(try await client.health())
        } catch {
            outcome = .failure(error)
        }
        await client.close()
        let h: HealthStatus
        switch outcome {
        case let .success(v): h = v
        case let .failure(e): try report(e)
        }
        var w = JSONWriter()
        w.beginObject()
        w.member("status", h.status.rawValue.lowercased())
        w.member("in_flight", Int64(clamping: h.inFlight))
        w.member("connections", Int64(clamping: h.connections))
        w.member("challenge_store", h.challengeStore.rawValue.lowercased())
        if !h.challengeStoreMessage.isEmpty { w.member("challenge_store_message", h.challengeStoreMessage) }
        w.endObject()
        print(w.text)
        if h.status != .serving { throw ExitCode(1) }
    }
}

struct InfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info", abstract: "Print the server's version, algorithms, formats, limits and FIDO metadata BLOB as JSON.")

    @ParentCommand var root: Passkeyctl

    func run() async throws {
        let client = try root.makeClient()
        let outcome: Result<ServerInfo, PasskeydClientError>
        do throws(PasskeydClientError) {
            outcome = .success(try await client.serverInfo())
        } catch {
            outcome = .failure(error)
        }
        await client.close()
        let i: ServerInfo
        switch outcome {
        case let .success(v): i = v
        case let .failure(e): try report(e)
        }
        var w = JSONWriter()
        w.beginObject()
        w.member("version", i.version)
        w.key("algorithms")
        w.beginArray()
        for a in i.algorithms { w.int(a) }
        w.endArray()
        w.key("attestation_formats")
        w.beginArray()
        for f in i.attestationFormats { w.string(f) }
        w.endArray()
        w.member("max_frame_bytes", Int64(i.maxFrameBytes))
        w.member("max_in_flight_per_connection", Int64(i.maxInFlightPerConnection))
        w.member("max_in_flight", Int64(i.maxInFlight))
        w.member("max_connections", Int64(i.maxConnections))
        w.member("max_batch_items", Int64(i.maxBatchItems))
        w.member("idle_timeout_ms", Int64(i.idleTimeoutMs))
        w.member("default_deadline_ms", Int64(i.defaultDeadlineMs))
        w.key("relying_parties")
        w.beginArray()
        for r in i.relyingParties { w.string(r) }
        w.endArray()
        w.key("metadata")
        if let m = i.metadata {
            w.beginObject()
            w.member("no", Int64(clamping: m.number))
            w.member("next_update", m.nextUpdate)
            w.member("stale", m.stale)
            w.member("entries", Int64(m.entries))
            w.endObject()
        } else {
            w.null()
        }
        w.endObject()
        print(w.text)
    }
}
