import Foundation
import PasskeyClient
import PasskeySoftAuthenticator
import Testing

/// The client's event-loop API (`PasskeydFrameConnection`, what passkey-bench's loop runner is built on): prepared
/// frames with their ids patched per send, paced by loop timers, answered by the real daemon.
@Suite(.serialized) struct FrameConnectionTests {
    let rp = RelyingPartyPolicy(rpID: "example.com", origins: ["https://example.com"])

    func request(_ auth: SoftAuthenticator, challenge: [UInt8], signedOver: [UInt8]? = nil) throws -> AuthenticationRequest {
        let a = try auth.assert(rpId: "example.com", origin: "https://example.com", challenge: signedOver ?? challenge)
        return AuthenticationRequest(
            policy: rp, challenge: challenge, credentialPublicKey: auth.cosePublicKey,
            credential: .fields(
                credentialID: a.credentialID, authenticatorData: a.authenticatorData, clientDataJSON: a.clientDataJSON,
                signature: a.signature, userHandle: nil))
    }

    @Test func storedFramesCarryThePlaceholderIDAndRefuseTamperedOnes() throws {
        let challenge = SoftRandom.bytes(32)
        var builder = PasskeydFrameStore.Builder()
        try builder.append(.authentication(try request(try SoftAuthenticator(algorithm: .es256), challenge: challenge)))
        try builder.append(.health)
        let store = PasskeydFrameStore(builder)
        #expect(store.count == 2)
        let (bytes, offsets) = builder.encoded
        #expect(offsets.count == 3 && offsets.last == bytes.count && store.byteCount == bytes.count)
        // Read back as a cache would: accepted intact, refused with one byte of an id changed.
        var again = PasskeydFrameStore.Builder()
        try again.append(encodedFrames: bytes, offsets: offsets)
        #expect(again.count == 2)
        var tampered = bytes
        tampered[offsets[1] + 7] ^= 0x01
        var refused = PasskeydFrameStore.Builder()
        #expect(throws: PasskeydClientError.self) { try refused.append(encodedFrames: tampered, offsets: offsets) }
        #expect(refused.count == 0)
    }

    /// What the driver saw: per request, when it was due, when it was answered, and the result's code.
    struct Seen: Sendable {
        var due: [UInt64]
        var answered: [UInt64]
        var codes: [Int32]
        var answers: Int
        var duplicates: Int
        var flushes: Int
    }

    /// Sends `count` requests at a fixed interval with at most `depth` in flight, from loop timers only.
    final class PacedDriver: PasskeydFrameDriver {
        let store: PasskeydFrameStore
        let count: Int
        let depth: Int
        let start: UInt64
        let interval: UInt64
        var done: CheckedContinuation<Seen, Never>?
        var seen: Seen
        var next = 0
        var inFlight = 0
        var link: PasskeydFrameLink?

        init(store: PasskeydFrameStore, count: Int, depth: Int, interval: UInt64, done: CheckedContinuation<Seen, Never>) {
            self.store = store
            self.count = count
            self.depth = depth
            self.interval = interval
            self.done = done
            start = PasskeydFrameLink.now() + 5_000_000
            seen = Seen(
                due: (0..<count).map { _ in 0 }, answered: (0..<count).map { _ in 0 }, codes: (0..<count).map { _ in -1 },
                answers: 0, duplicates: 0, flushes: 0)
        }

        func started(_ link: PasskeydFrameLink) {
            self.link = link
            arm(link)
        }

        func due(_ i: Int) -> UInt64 { start + UInt64(i) * interval }

        func arm(_ link: PasskeydFrameLink) {
            guard next < count, inFlight < depth else { return }
            link.schedule(at: due(next)) { [self] in
                let now = PasskeydFrameLink.now()
                while next < count, inFlight < depth, due(next) <= now {
                    seen.due[next] = due(next)
                    link.send(store, frame: next % store.count, id: PasskeydFrameStore.idRange.lowerBound + UInt64(next))
                    next += 1
                    inFlight += 1
                }
                arm(link)
            }
        }

        func received(id: UInt64, payload: UnsafeRawBufferPointer, link: PasskeydFrameLink) {
            let i = Int(id - PasskeydFrameStore.idRange.lowerBound)
            guard i >= 0, i < count else { return }
            if seen.answered[i] != 0 {
                seen.duplicates += 1
                return
            }
            seen.answered[i] = PasskeydFrameLink.now()
            seen.codes[i] = Self.resultCode(payload) ?? -1
            seen.answers += 1
            inFlight -= 1
            if inFlight == depth - 1 { arm(link) }
            if seen.answers == count, let done {
                self.done = nil
                seen.flushes = link.flushes
                link.detach()
                done.resume(returning: seen)
            }
        }

        func tickEnded(_ link: PasskeydFrameLink) {}

        func ended(_ error: PasskeydClientError?) {
            if let done {
                self.done = nil
                done.resume(returning: seen)
            }
        }

        /// `Response.verify_authentication` (11) → `error_code` (1).
        static func resultCode(_ payload: UnsafeRawBufferPointer) -> Int32? {
            var r = WireReader(payload)
            while !r.atEnd {
                guard let (field, value) = r.next() else { return nil }
                if field == 11, case let .lengthDelimited(body) = value {
                    var inner = WireReader(body)
                    var code: Int32 = 0
                    while !inner.atEnd {
                        guard let (f, v) = inner.next() else { return nil }
                        if f == 1, case let .varint(c) = v { code = Int32(truncatingIfNeeded: c) }
                    }
                    return code
                }
            }
            return nil
        }
    }

    @Test func pacedFramesAreAllAnsweredAndNeverSentBeforeTheirTime() async throws {
        let socket = NSTemporaryDirectory() + "pkd-frames-\(UUID().uuidString.prefix(8)).sock"
        let daemon = try DaemonClientTests.Daemon(socket: socket)
        defer { daemon.terminate() }
        let challenge = SoftRandom.bytes(32)
        var builder = PasskeydFrameStore.Builder()
        for _ in 0..<3 { try builder.append(.authentication(try request(try SoftAuthenticator(algorithm: .es256), challenge: challenge))) }
        // Frame 3: signed over another challenge, so the daemon answers CHALLENGE_MISMATCH.
        try builder.append(
            .authentication(try request(try SoftAuthenticator(algorithm: .es256), challenge: challenge, signedOver: SoftRandom.bytes(32))))
        let store = PasskeydFrameStore(builder)
        let loops = PasskeydEventLoops(threads: 1)
        let connection = try await PasskeydFrameConnection.connect(to: .unixDomainSocket(path: socket), loops: loops)
        let count = 80
        let seen = await withCheckedContinuation { (done: CheckedContinuation<Seen, Never>) in
            connection.start { PacedDriver(store: store, count: count, depth: 4, interval: 500_000, done: done) }
        }
        await connection.close()
        await loops.shutdown()

        #expect(seen.answers == count && seen.duplicates == 0)
        #expect(seen.answered.allSatisfy { $0 != 0 })
        // Answered no earlier than scheduled: nothing went out ahead of its due time.
        #expect(zip(seen.due, seen.answered).allSatisfy { $0.0 != 0 && $0.1 >= $0.0 })
        let mismatch = PasskeydErrorCode.challengeMismatch.rawValue
        for i in 0..<count {
            #expect(seen.codes[i] == (i % 4 == 3 ? mismatch : 0), "request \(i)")
        }
        // One write per timer tick at most: never more writes than requests.
        #expect(seen.flushes >= 1 && seen.flushes <= count)
    }
}
