import Logging
import NIOCore
import NIOPosix
import PasskeyRedis
import PasskeyWebAuthn
import Synchronization
import Testing

/// The store against a small in-process RESP server on loopback (no Redis needed): one pipelined write per loop
/// tick, first use then reused, fail closed while the server is gone, and reconnection by itself.
@Suite struct RedisReplayStoreTests {
    static let keys = try! ChallengeKeyRing(
        keys: [try! ChallengeKey(name: "k", secret: [UInt8](repeating: 1, count: 32))], minting: "k")

    static func challenge() -> IssuedChallenge {
        try! keys.mint(.init(ceremony: .authentication, rpID: "example.com", context: []), lifetimeMs: 60_000, nowMs: 1_000)
    }

    /// Waits (bounded) until `condition` holds.
    static func eventually(_ what: String, _ condition: () -> Bool) async throws {
        for _ in 0..<400 {
            if condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("timed out waiting for \(what)")
    }

    static func record(_ store: RedisReplayStore, _ cs: [IssuedChallenge], on loop: EventLoop) async throws -> [ReplayVerdict] {
        try await loop.submit { () -> EventLoopFuture<[ReplayVerdict]> in
            let p = loop.makePromise(of: [ReplayVerdict].self)
            store.record(cs, nowMs: 2_000, on: loop) { p.succeed($0) }
            return p.futureResult
        }.flatMap { $0 }.get()
    }

    @Test func pipelinedFirstUseThenReusedThenReconnect() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let fake = FakeRedis()
        let server = try await fake.start(group: group)
        let port = server.localAddress!.port!
        let loop = group.next()
        var options = RedisReplayStore.Options(url: RedisURL(endpoint: .tcp(host: "127.0.0.1", port: port), password: "pw"))
        options.timeoutMs = 500
        options.minimumBackoffMs = 10
        options.maximumBackoffMs = 40
        let store = RedisReplayStore(options: options, loops: [loop], logger: Logger(label: "test"))
        store.start()
        try await Self.eventually("connected") { store.problem == nil }
        #expect(fake.log.withLock { $0.first } == ["AUTH", "pw"])

        let a = Self.challenge(), b = Self.challenge()
        // Three requests of one tick: one write carries all their commands.
        let verdicts = try await loop.submit { () -> EventLoopFuture<[[ReplayVerdict]]> in
            let ps = (0..<3).map { _ in loop.makePromise(of: [ReplayVerdict].self) }
            store.record([a, b], nowMs: 2_000, on: loop) { ps[0].succeed($0) }
            store.record([a], nowMs: 2_000, on: loop) { ps[1].succeed($0) }
            store.record([b], nowMs: 2_000, on: loop) { ps[2].succeed($0) }
            return EventLoopFuture.whenAllSucceed(ps.map(\.futureResult), on: loop)
        }.flatMap { $0 }.get()
        #expect(verdicts == [[.firstUse, .firstUse], [.reused], [.reused]])
        #expect(fake.writesWithSet.load(ordering: .relaxed) == 1)
        let set = fake.log.withLock { $0.last! }
        #expect(set[0] == "SET" && set[1].hasPrefix("passkeyd:challenge:") && set[2...4] == ["1", "NX", "PX"])
        // TTL: the time left (59 s) plus the margin.
        #expect(Int(set[5]) == 59_000 + 30_000)

        // The server goes away: fail closed at once, and the health says why. The listener closes first: closing
        // the connection first lets the store reconnect (10 ms backoff) before the listener is gone.
        try await server.close()
        try await fake.closeAll()
        try await Self.eventually("down") { store.problem != nil }
        #expect(try await Self.record(store, [Self.challenge()], on: loop) == [.unavailable])

        // It comes back on the same port: the store reconnects by itself.
        let again = try await fake.start(group: group, port: port)
        try await Self.eventually("reconnected") { store.problem == nil }
        #expect(try await Self.record(store, [a], on: loop) == [.reused])
        #expect(try await Self.record(store, [Self.challenge()], on: loop) == [.firstUse])

        await store.stop()
        try await again.close()
        try await group.shutdownGracefully()
    }

    @Test func aServerThatDoesNotAnswerTimesOut() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let fake = FakeRedis()
        fake.silent.store(true, ordering: .relaxed)
        let server = try await fake.start(group: group)
        let loop = group.next()
        var options = RedisReplayStore.Options(url: RedisURL(endpoint: .tcp(host: "127.0.0.1", port: server.localAddress!.port!)))
        options.timeoutMs = 100
        // No reconnect during the test: the problem must still be the timeout when it is read.
        options.minimumBackoffMs = 60_000
        options.maximumBackoffMs = 60_000
        let store = RedisReplayStore(options: options, loops: [loop], logger: Logger(label: "test"))
        store.start()
        try await Self.eventually("connected") { store.problem == nil }
        #expect(try await Self.record(store, [Self.challenge()], on: loop) == [.unavailable])
        #expect(store.problem?.contains("no answer") == true)
        await store.stop()
        try await server.close()
        try await group.shutdownGracefully()
    }
}

/// Answers AUTH/SELECT with +OK and SET ... NX with +OK the first time a key is seen, nil after; counts the writes
/// that carried SETs. `silent` swallows everything.
final class FakeRedis: Sendable {
    let keys = Mutex<Set<String>>([])
    let log = Mutex<[[String]]>([])
    let writesWithSet = Atomic<Int>(0)
    let silent = Atomic<Bool>(false)
    let children = Mutex<[Channel]>([])

    func start(group: EventLoopGroup, port: Int = 0) async throws -> Channel {
        try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                self.children.withLock { $0.append(channel) }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(FakeRedisHandler(fake: self))
                }
            }
            .bind(host: "127.0.0.1", port: port).get()
    }

    func closeAll() async throws {
        for c in children.withLock({ $0 }) { try? await c.close() }
        children.withLock { $0.removeAll() }
    }
}

final class FakeRedisHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let fake: FakeRedis
    var buffer = ByteBuffer()
    init(fake: FakeRedis) { self.fake = fake }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        buffer.writeBuffer(&incoming)
        guard !fake.silent.load(ordering: .relaxed) else { return }
        var out = context.channel.allocator.buffer(capacity: 64)
        var sawSet = false
        // Commands are arrays of bulk strings; parse them with the client's own reply parser.
        while let value = try? RESPParser().next(&buffer), case let .array(items) = value {
            let args = items.compactMap { item -> String? in
                if case var .bulkString(b) = item { return b.readString(length: b.readableBytes) }
                return nil
            }
            fake.log.withLock { $0.append(args) }
            if args.first == "SET" {
                sawSet = true
                let fresh = fake.keys.withLock { $0.insert(args[1]).inserted }
                out.writeString(fresh ? "+OK\r\n" : "$-1\r\n")
            } else {
                out.writeString("+OK\r\n")
            }
        }
        buffer.discardReadBytes()
        if sawSet { fake.writesWithSet.add(1, ordering: .relaxed) }
        context.writeAndFlush(wrapOutboundOut(out), promise: nil)
    }
}
