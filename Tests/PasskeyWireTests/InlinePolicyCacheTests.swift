import PasskeyWire
import Testing

/// The inline-policy cache holds a bounded number of bytes: large policies are built for their request only, and a
/// flood of distinct policies cannot make it grow past its byte capacity.
@Suite struct InlinePolicyCacheTests {
    static let snapshot = ServerSnapshot(draining: false, inFlight: 1, connections: 1)

    /// Runs one verify_authentication whose only interesting member is `policy` (the item itself then fails).
    static func run(_ e: WireExecutor, policy: WireBytes) {
        var item = WireBytes()
        item.message(F.policy, policy)
        item.bytes(F.challenge, [1, 2, 3])
        let r = Requests.request(id: 1, method: F.verifyAuthentication, item)
        guard case .decoded = r.withPayload({ e.decodeRequest($0) }) else {
            Issue.record("not decoded")
            return
        }
        _ = e.execute(snapshot: snapshot)
    }

    /// A policy of `origins` origins (at most the inline cap of 256) of about `length` bytes each.
    static func policy(origins: Int, tag: Int, length: Int = 32) -> WireBytes {
        var p = Requests.inlinePolicy()
        let pad = String(repeating: "p", count: max(0, length - 32))
        for i in 0..<origins { p.string(F.origins, "https://o\(i)-\(tag)\(pad).example.com") }
        return p
    }

    @Test func aSmallPolicyIsCachedOnce() {
        let registry = RelyingPartyRegistry()
        let e = Requests.executor(registry: registry)
        for _ in 0..<10 { Self.run(e, policy: Requests.inlinePolicy()) }
        #expect(registry.inlineCount == 1)
        #expect(registry.inlineBytes > 0 && registry.inlineBytes < 100)
    }

    @Test func newAttestationDefaultsReachAnExecutorThatRemembersThePolicy() {
        let registry = RelyingPartyRegistry()
        let e = Requests.executor(registry: registry)
        Self.run(e, policy: Requests.inlinePolicy())
        Self.run(e, policy: Requests.inlinePolicy())
        #expect(registry.inlineCount == 1)
        // The reload drops the shared cache; the executor's memo of the policy must not outlive it.
        registry.replaceAttestationDefaults(registry.attestationDefaults)
        #expect(registry.inlineCount == 0)
        Self.run(e, policy: Requests.inlinePolicy())
        #expect(registry.inlineCount == 1)
    }

    @Test func aPolicyAboveTheKeyLimitIsNotKept() {
        let registry = RelyingPartyRegistry()
        let e = Requests.executor(registry: registry)
        let big = Self.policy(origins: 250, tag: 0, length: 260)  // ~66 KiB encoded
        #expect(big.bytes.count > registry.inlineKeyLimit)
        Self.run(e, policy: big)
        #expect(registry.inlineCount == 0)
        #expect(registry.inlineBytes == 0)
    }

    @Test func distinctPoliciesStayWithinTheByteCapacity() {
        let registry = RelyingPartyRegistry(inlineBytesCapacity: 256 << 10)
        let e = Requests.executor(registry: registry)
        var most = 0
        for i in 0..<40 {
            Self.run(e, policy: Self.policy(origins: 250, tag: i, length: 64))  // ~16 KiB each, all distinct
            most = max(most, registry.inlineBytes)
        }
        #expect(most <= 256 << 10)
        #expect(registry.inlineCount > 0)
    }
}

/// Inline policies' lists are capped before anything is built from them.
@Suite struct InlinePolicyListCapTests {
    @Test func tooManyOriginsIsAnUnusablePolicy() {
        let registry = RelyingPartyRegistry()
        let e = Requests.executor(registry: registry)
        InlinePolicyCacheTests.run(e, policy: InlinePolicyCacheTests.policy(origins: 256, tag: 0))  // 257 with the base origin
        #expect(registry.inlineCount == 0)
        InlinePolicyCacheTests.run(e, policy: InlinePolicyCacheTests.policy(origins: 255, tag: 0))  // plus the base policy's own origin: 256
        #expect(registry.inlineCount == 1)
    }
}
