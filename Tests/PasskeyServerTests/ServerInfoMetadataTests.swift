@testable import PasskeyClient
import PasskeyCOSE
import PasskeyMetadata
import PasskeyWebAuthn
import PasskeyWire
import Testing

/// ServerInfo carries the metadata BLOB in use (no, nextUpdate, stale, entries), read from the server-wide
/// attestation policy's store at the time of the request.
@Suite struct ServerInfoMetadataTests {
    func info(_ registry: RelyingPartyRegistry) throws -> ServerInfo {
        let executor = WireExecutor(
            registry: registry, keyCache: KeyCache(capacity: 4), description: ServerDescription(version: "t", limits: WireLimits()))
        let payload = try EncodedRequest(.serverInfo, id: 1, maxPayload: 1 << 16).payload
        _ = try #require(payload.withUnsafeBytes { executor.decode($0) })
        let encoded = Array(executor.execute(snapshot: ServerSnapshot(draining: false, inFlight: 0, connections: 1)).payload)
        let decoded = encoded.withUnsafeBytes { p in
            Result { () throws(PasskeydClientError) -> PasskeydResponse in try PasskeydClientError.decode(p) }
        }
        guard case let .serverInfo(i) = try decoded.get() else { throw PasskeydClientError.protocolViolation("not info") }
        return i
    }

    @Test func metadataFieldsFollowTheStore() throws {
        let registry = RelyingPartyRegistry()
        #expect(try info(registry).metadata == nil)
        let store = MetadataStore()
        var policy = AttestationPolicy()
        policy.metadata = store
        registry.replaceAttestationDefaults(policy)
        #expect(try info(registry).metadata == nil)  // a store without a BLOB yet
        let entry = MetadataEntry(aaguid: Array(repeating: 1, count: 16), description: "k", statusReports: [])
        store.replace(MetadataIndex(entries: [entry], number: 12, nextUpdate: "2020-01-01"))
        #expect(try info(registry).metadata == ServerInfo.MetadataInfo(number: 12, nextUpdate: "2020-01-01", stale: true, entries: 1))
        store.replace(MetadataIndex(entries: [entry, entry], number: 13, nextUpdate: "2999-01-01"))
        #expect(try info(registry).metadata == ServerInfo.MetadataInfo(number: 13, nextUpdate: "2999-01-01", stale: false, entries: 2))
    }
}
