import PasskeyCOSE
import PasskeyCrypto
import PasskeySoftAuthenticator
import PasskeyWebAuthn
import Testing

/// Challenges the service mints and checks itself: the token's checks, rotation, the embedded replay store, and
/// both ceremonies verifying against an issued challenge (each failure with its own code).
@Suite struct IssuedChallengeTests {
    static let now: Int64 = 1_800_000_000_000
    let keyA = try! ChallengeKey(name: "2026-a", secret: [UInt8](repeating: 0xA1, count: 32))
    let keyB = try! ChallengeKey(name: "2026-b", secret: [UInt8](repeating: 0xB2, count: 32))

    func ring(_ keys: [ChallengeKey], minting: String) throws -> ChallengeKeyRing { try ChallengeKeyRing(keys: keys, minting: minting) }

    func assertion(_ auth: SoftAuthenticator, _ token: [UInt8], userHandle: [UInt8]? = nil) throws -> SoftAssertion {
        var o = SoftCeremonyOptions()
        o.userHandle = userHandle
        return try auth.assert(rpId: rpId, origin: origin, challenge: token, options: o)
    }

    func verify(
        _ a: SoftAssertion, _ auth: SoftAuthenticator, keys: ChallengeKeyRing, context: [UInt8], storedUserHandle: [UInt8]? = nil,
        nowMs: Int64 = IssuedChallengeTests.now, verifier: WebAuthnVerifier = WebAuthnVerifier()
    ) throws -> PendingAuthentication {
        try a.authenticatorData.withUnsafeBytes { ad in
            try a.clientDataJSON.withUnsafeBytes { cd in
                try a.signature.withUnsafeBytes { sig in
                    try auth.cosePublicKey.withUnsafeBytes { pk in
                        try context.withUnsafeBytes { ctx in
                            try withOptionalBytes(a.userHandle) { uh in
                                try withOptionalBytes(storedUserHandle) { suh in
                                    try verifier.verifyAuthentication(
                                        AssertionView(authenticatorData: ad, clientDataJSON: cd, signature: sig, userHandle: uh),
                                        issuedBy: keys, context: ctx,
                                        stored: StoredCredentialView(publicKey: pk, signCount: 0, userHandle: suh), nowMs: nowMs,
                                        relyingParty: try makeRP())
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test func tokenChecksEachHaveTheirCode() throws {
        let keys = try ring([keyA], minting: "2026-a")
        let auth = try KeyBank.authenticator(.es256)
        let session = Array("session-1".utf8)
        let issued = try keys.mint(.init(ceremony: .authentication, rpID: rpId, context: session), lifetimeMs: 60_000, nowMs: Self.now)
        #expect(issued.token.count == 66 && issued.expiresAtMs == Self.now + 60_000)
        let a = try assertion(auth, issued.token)
        let pending = try verify(a, auth, keys: keys, context: session)
        #expect(pending.challenge.replayKey == issued.replayKey && pending.challenge.keyName == "2026-a")
        // Expired one millisecond after its expiry.
        expectCode(.challengeExpired) { _ = try verify(a, auth, keys: keys, context: session, nowMs: Self.now + 60_001) }
        // Bound to another session.
        expectCode(.challengeRebound) { _ = try verify(a, auth, keys: keys, context: Array("session-2".utf8)) }
        // Minted for a registration.
        let create = try keys.mint(.init(ceremony: .registration, rpID: rpId, context: session), lifetimeMs: 60_000, nowMs: Self.now)
        expectCode(.challengeWrongCeremony) { _ = try verify(try assertion(auth, create.token), auth, keys: keys, context: session) }
        // Forged: any byte of the token changed (the MAC covers every one), an unknown key, a wrong length.
        for i in [0, 1, 5, 6, 13, 20, 40, 65] {
            var t = issued.token
            t[i] ^= 0x01
            let e = expectCode(.challengeForged) {
                _ = try verify(try assertion(auth, t), auth, keys: keys, context: session)
            }
            #expect(e != nil, "byte \(i)")
        }
        let other = try ring([keyB], minting: "2026-b")
        expectCode(.challengeForged) { _ = try verify(a, auth, keys: other, context: session) }
        expectCode(.challengeForged) { _ = try verify(try assertion(auth, Array(issued.token.prefix(40))), auth, keys: keys, context: session) }
        // A plain random challenge is not a token.
        expectCode(.challengeForged) { _ = try verify(try assertion(auth, SoftRandom.bytes(66)), auth, keys: keys, context: session) }
    }

    @Test func rotationKeepsOldTokensUntilTheyExpire() throws {
        let before = try ring([keyA], minting: "2026-a")
        let auth = try KeyBank.authenticator(.es256)
        let old = try before.mint(.init(ceremony: .authentication, rpID: rpId, context: []), lifetimeMs: 60_000, nowMs: Self.now)
        // Rotated: B mints, A still checks.
        let rotated = try ring([keyA, keyB], minting: "2026-b")
        let fresh = try rotated.mint(.init(ceremony: .authentication, rpID: rpId, context: []), lifetimeMs: 60_000, nowMs: Self.now)
        #expect(fresh.keyName == "2026-b")
        _ = try verify(try assertion(auth, old.token), auth, keys: rotated, context: [])
        _ = try verify(try assertion(auth, fresh.token), auth, keys: rotated, context: [])
        // A retired: its tokens are no longer this service's.
        let retired = try ring([keyB], minting: "2026-b")
        expectCode(.challengeForged) { _ = try verify(try assertion(auth, old.token), auth, keys: retired, context: []) }
        // Configuration errors.
        #expect(throws: WebAuthnError.self) { try ChallengeKeyRing(keys: [keyA], minting: "missing") }
        #expect(throws: WebAuthnError.self) { try ChallengeKey(name: "short", secret: [UInt8](repeating: 1, count: 31)) }
        #expect(ChallengeKeyRing.ephemeral().minting.name.hasPrefix("ephemeral-"))
    }

    @Test func replayStoreRecordsOnceAndFailsClosedOnEviction() throws {
        let keys = try ring([keyA], minting: "2026-a")
        func mint(_ life: Int64) throws -> IssuedChallenge {
            try keys.mint(.init(ceremony: .authentication, rpID: rpId, context: []), lifetimeMs: life, nowMs: Self.now)
        }
        let store = InMemoryReplayStore(capacity: 2, shardCount: 1)
        let a = try mint(10_000), b = try mint(20_000), c = try mint(30_000), d = try mint(5_000)
        #expect(store.record(a, nowMs: Self.now) == .firstUse)
        #expect(store.record(a, nowMs: Self.now) == .reused)
        #expect(store.record(b, nowMs: Self.now) == .firstUse)
        // Full: c evicts a (the earliest expiry); a, never provable again, is refused; so is any challenge expiring
        // no later than a's expiry, even one never seen (d).
        #expect(store.record(c, nowMs: Self.now) == .firstUse)
        #expect(store.record(a, nowMs: Self.now) == .reused)
        #expect(store.record(d, nowMs: Self.now) == .reused)
        #expect(store.count == 2)
        // Past their expiry, records are dropped and their room reused.
        let later = try keys.mint(.init(ceremony: .authentication, rpID: rpId, context: []), lifetimeMs: 60_000, nowMs: Self.now + 40_000)
        #expect(store.record(later, nowMs: Self.now + 40_000) == .firstUse)
        #expect(store.count == 1)
    }

    /// A small store holds as many challenges as its capacity says: its shards are not so small that two records
    /// hashed to one shard evict each other (and fail closed) while the store as a whole has room.
    @Test func smallStoreHoldsItsCapacity() throws {
        let keys = try ring([keyA], minting: "2026-a")
        let store = InMemoryReplayStore(capacity: 64)
        for _ in 0..<64 {
            let c = try keys.mint(.init(ceremony: .authentication, rpID: rpId, context: []), lifetimeMs: 60_000, nowMs: Self.now)
            #expect(store.record(c, nowMs: Self.now) == .firstUse)
        }
        #expect(store.count == 64)
    }

    @Test func ceremoniesCompleteOnlyOnFirstUse() throws {
        let keys = try ring([keyA], minting: "2026-a")
        let store = InMemoryReplayStore()
        let auth = try KeyBank.authenticator(.es256)
        let issued = try keys.mint(.init(ceremony: .authentication, rpID: rpId, context: [7]), lifetimeMs: 60_000, nowMs: Self.now)
        let a = try assertion(auth, issued.token)
        #expect(try verify(a, auth, keys: keys, context: [7]).complete(using: store, nowMs: Self.now).userPresent)
        // The same response again verifies as far as the store, which refuses it.
        let again = try verify(a, auth, keys: keys, context: [7])
        expectCode(.challengeReused) { _ = try again.complete(using: store, nowMs: Self.now) }
        expectCode(.challengeReused) { _ = try again.complete(.reused) }

        // Registration: the key enters the cache only once the store has said first use.
        let cache = KeyCache(capacity: 8)
        let verifier = WebAuthnVerifier(keyCache: cache)
        let regToken = try keys.mint(.init(ceremony: .registration, rpID: rpId, context: [7]), lifetimeMs: 60_000, nowMs: Self.now)
        let fresh = try SoftAuthenticator(algorithm: .es256)
        let reg = try fresh.register(rpId: rpId, origin: origin, challenge: regToken.token, attestation: .packedSelf)
        func pendingRegistration() throws -> PendingRegistration {
            try reg.clientDataJSON.withUnsafeBytes { cd in
                try reg.attestationObject.withUnsafeBytes { ao in
                    try [UInt8]([7]).withUnsafeBytes { ctx in
                        try verifier.verifyRegistration(
                            AttestationView(clientDataJSON: cd, attestationObject: ao), issuedBy: keys, context: ctx,
                            nowMs: Self.now, relyingParty: try makeRP())
                    }
                }
            }
        }
        let p1 = try pendingRegistration()
        #expect(cache.statistics.count == 0)
        _ = try p1.complete(using: store, nowMs: Self.now)
        #expect(cache.statistics.count == 1)
        expectCode(.challengeReused) { _ = try pendingRegistration().complete(using: store, nowMs: Self.now) }
        // An authentication token does not register.
        let wrong = try fresh.register(rpId: rpId, origin: origin, challenge: issued.token, attestation: .packedSelf)
        expectCode(.challengeWrongCeremony) {
            _ = try wrong.clientDataJSON.withUnsafeBytes { cd in
                try wrong.attestationObject.withUnsafeBytes { ao in
                    try [UInt8]([7]).withUnsafeBytes { ctx in
                        try verifier.verifyRegistration(
                            AttestationView(clientDataJSON: cd, attestationObject: ao), issuedBy: keys, context: ctx,
                            nowMs: Self.now, relyingParty: try makeRP())
                    }
                }
            }
        }
    }

    /// §7.2 step 6: usernameless logins must carry the user handle; a stored handle must match.
    @Test func userHandleRules() throws {
        let keys = try ring([keyA], minting: "2026-a")
        let auth = try KeyBank.authenticator(.es256)
        let user = Array("user-42".utf8)
        let usernameless = try keys.mint(
            .init(ceremony: .authentication, rpID: rpId, context: [], discoverable: true), lifetimeMs: 60_000, nowMs: Self.now)
        #expect(usernameless.discoverable)
        expectCode(.userHandleMissing) { _ = try verify(try assertion(auth, usernameless.token), auth, keys: keys, context: []) }
        _ = try verify(try assertion(auth, usernameless.token, userHandle: user), auth, keys: keys, context: [], storedUserHandle: user)
        expectCode(.userHandleMismatch) {
            _ = try verify(try assertion(auth, usernameless.token, userHandle: Array("user-43".utf8)), auth, keys: keys, context: [],
                           storedUserHandle: user)
        }
        // An identified login may omit the handle; when it sends one it must match.
        let identified = try keys.mint(.init(ceremony: .authentication, rpID: rpId, context: []), lifetimeMs: 60_000, nowMs: Self.now)
        _ = try verify(try assertion(auth, identified.token), auth, keys: keys, context: [], storedUserHandle: user)
        expectCode(.userHandleMismatch) {
            _ = try verify(try assertion(auth, identified.token, userHandle: [1]), auth, keys: keys, context: [], storedUserHandle: user)
        }
        // The expected-bytes path takes the usernameless flag from the caller.
        let plain = SoftRandom.bytes(32)
        let a = try assertion(auth, plain)
        expectCode(.userHandleMissing) {
            _ = try a.authenticatorData.withUnsafeBytes { ad in
                try a.clientDataJSON.withUnsafeBytes { cd in
                    try a.signature.withUnsafeBytes { sig in
                        try plain.withUnsafeBytes { ch in
                            try auth.cosePublicKey.withUnsafeBytes { pk in
                                try WebAuthnVerifier().verifyAuthentication(
                                    AssertionView(authenticatorData: ad, clientDataJSON: cd, signature: sig), challenge: ch,
                                    publicKey: pk, storedSignCount: 0, usernameless: true, relyingParty: try makeRP())
                            }
                        }
                    }
                }
            }
        }
    }
}

func withOptionalBytes<R>(_ a: [UInt8]?, _ body: (UnsafeRawBufferPointer?) throws -> R) rethrows -> R {
    guard let a else { return try body(nil) }
    return try a.withUnsafeBytes { try body($0) }
}
