// The server's connection handlers without sockets: EmbeddedChannel drives the real pipeline (ServerPipeline.handlers)
// with bytes, a fake clock and a hand-run worker pool, so back-pressure, deadlines and limits are exact tests.
import Logging
import NIOCore
import NIOEmbedded
import NIOTLS
@testable import PasskeyClient
@testable import PasskeyServer
import PasskeySoftAuthenticator
import PasskeyWire
import PasskeyWebAuthn
import Testing

/// Counts the reads that reach the head of the pipeline (the socket).
final class ReadCounter: ChannelOutboundHandler {
    typealias OutboundIn = Any
    var reads = 0
    func read(context: ChannelHandlerContext) {
        reads += 1
        context.read()
    }
}

/// The worker pool, run by hand: offloaded work waits here until the test runs it.
final class ManualPool: @unchecked Sendable {
    var queue: [(promise: EventLoopPromise<OffloadResult>, work: @Sendable () -> OffloadResult)] = []
    var offload: Offload {
        Offload { loop, work in
            let promise = loop.makePromise(of: OffloadResult.self)
            self.queue.append((promise, work))
            return promise.futureResult
        }
    }
    func runOne() {
        let (promise, work) = queue.removeFirst()
        promise.succeed(work())
    }
}

/// What came back on the wire for one request.
struct Answer: Equatable, CustomStringConvertible {
    let id: UInt64
    /// The result's name ("health", "verify_authentication_batch", ...) or the request-level error code.
    let what: String
    var description: String { "\(id):\(what)" }
}

final class Connection {
    let core: ServerCore
    let channel: EmbeddedChannel
    let loop: EmbeddedEventLoop
    let reads = ReadCounter()
    let pool: ManualPool

    init(core: ServerCore, pool: ManualPool = ManualPool(), checkPeer: PeerCheck? = nil, extra: [ChannelHandler] = []) throws {
        self.core = core
        self.pool = pool
        loop = EmbeddedEventLoop()
        channel = EmbeddedChannel(
            handlers: [reads] + extra + ServerPipeline.handlers(core: core, checkPeer: checkPeer, offload: pool.offload), loop: loop)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
    }

    static func core(_ configure: (inout ServerConfiguration) -> Void = { _ in }) -> ServerCore {
        var config = ServerConfiguration()
        configure(&config)
        return ServerCore(
            configuration: config, registry: RelyingPartyRegistry(), version: "test",
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    convenience init(_ configure: (inout ServerConfiguration) -> Void = { _ in }) throws {
        try self.init(core: Self.core(configure))
    }

    func send(_ bytes: [UInt8]) throws {
        try channel.writeInbound(channel.allocator.buffer(bytes: bytes))
    }

    /// Each outbound write (one per flush), split into its frames' answers.
    func writes() throws -> [[Answer]] {
        var out: [[Answer]] = []
        while let b = try channel.readOutbound(as: ByteBuffer.self) {
            var bytes = Array(b.readableBytesView)
            var answers: [Answer] = []
            while !bytes.isEmpty {
                guard case let .frame(n) = bytes.withUnsafeBytes({ FrameScanner.scan($0, maximumPayload: 1 << 26) }) else {
                    Issue.record("a write does not hold whole frames")
                    break
                }
                let payload = Array(bytes[5..<(5 + n)])
                bytes.removeFirst(5 + n)
                answers.append(Self.answer(payload))
            }
            out.append(answers)
        }
        return out
    }

    func answers() throws -> [Answer] { try writes().flatMap { $0 } }

    static func answer(_ payload: [UInt8]) -> Answer {
        let id = payload.withUnsafeBytes { ResponseID.scan($0) } ?? .max
        let decoded = payload.withUnsafeBytes { p in
            Result { () throws(PasskeydClientError) -> PasskeydResponse in try PasskeydClientError.decode(p) }
        }
        switch decoded {
        case let .success(r): return Answer(id: id, what: r.name)
        case let .failure(.server(code, _)): return Answer(id: id, what: code.protoName)
        case let .failure(error): return Answer(id: id, what: "undecodable: \(error)")
        }
    }
}

/// Requests written by hand (protobuf wire format): the shapes the tests need exactly.
enum Wire {
    static func varint(_ v: UInt64) -> [UInt8] {
        var v = v
        var out: [UInt8] = []
        while v >= 0x80 {
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        return out + [UInt8(v)]
    }

    static func field(_ n: Int, _ body: [UInt8]) -> [UInt8] { varint(UInt64(n << 3 | 2)) + varint(UInt64(body.count)) + body }

    static func request(id: UInt64, method: Int, _ body: [UInt8] = []) -> [UInt8] { [0x08] + varint(id) + field(method, body) }

    static func frame(_ payload: [UInt8], flag: UInt8 = 0) -> [UInt8] {
        let n = payload.count
        return [flag, UInt8(n >> 24 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + payload
    }

    static func health(_ id: UInt64) -> [UInt8] { frame(request(id: id, method: 14)) }

    /// verify_authentication_batch (field 12) of `n` items, each `item` (field 1).
    static func batch(id: UInt64, items n: Int, item: [UInt8] = []) -> [UInt8] {
        let one = field(1, item)
        var body: [UInt8] = []
        body.reserveCapacity(n * one.count)
        for _ in 0..<n { body += one }
        return frame(request(id: id, method: 12, body))
    }
}

@Suite struct ConnectionPipelineTests {
    // MARK: - Framing

    @Test func pipelinedFramesInOneReadAreAnsweredInOneFlush() throws {
        let c = try Connection()
        try c.send(Wire.health(1) + Wire.health(2) + Wire.health(3))
        #expect(try c.writes() == [[Answer(id: 1, what: "health"), Answer(id: 2, what: "health"), Answer(id: 3, what: "health")]])
        #expect(c.channel.isActive)
    }

    @Test func aLongBurstIsAnsweredInWritesOfEightResponses() throws {
        // One read of 20 frames: the first answers must not wait for all the others' work (open-loop latency), so
        // the responses leave in writes carrying 8 each, in order, each answered once; a read of up to 8 (a
        // closed-loop pipeline) is still one write (pipelinedFramesInOneReadAreAnsweredInOneFlush).
        let c = try Connection()
        try c.send((1...20).flatMap { Wire.health(UInt64($0)) })
        let writes = try c.writes()
        #expect(writes.map(\.count) == [8, 8, 4])
        #expect(writes.flatMap { $0 } == (1...20).map { Answer(id: UInt64($0), what: "health") })
    }

    @Test func theOutputBufferKeptBetweenReadsNeverRewritesBytesStillQueued() throws {
        let c = try Connection()
        // The first read's write is still queued (nobody took it off the channel) when the second read is answered:
        // the kept buffer must not be reused under it, and neither write may repeat the other's frames.
        try c.send(Wire.health(1) + Wire.health(2))
        try c.send(Wire.frame(Wire.request(id: 3, method: 15)))
        #expect(try c.writes() == [
            [Answer(id: 1, what: "health"), Answer(id: 2, what: "health")], [Answer(id: 3, what: "server_info")],
        ])
        // Once taken, the buffer is reused: later reads still get exactly their own answers.
        for id in UInt64(4)...6 {
            try c.send(Wire.health(id))
            #expect(try c.writes() == [[Answer(id: id, what: "health")]])
        }
    }

    @Test func framesSplitAcrossReadsAreAnsweredOnceEach() throws {
        let c = try Connection()
        let stream = Wire.health(1) + Wire.frame(Wire.request(id: 2, method: 15)) + Wire.health(3)
        var i = 0
        var step = 1
        while i < stream.count {
            let n = min(step, stream.count - i)
            try c.send(Array(stream[i..<(i + n)]))
            i += n
            step = step % 6 + 1
        }
        #expect(try c.answers() == [Answer(id: 1, what: "health"), Answer(id: 2, what: "server_info"), Answer(id: 3, what: "health")])
        // One byte at a time, too.
        for b in Wire.health(4) { try c.send([b]) }
        #expect(try c.answers() == [Answer(id: 4, what: "health")])
    }

    @Test func oversizeHeaderIsRefusedBeforeItsPayload() throws {
        let c = try Connection { $0.limits.maxFrameBytes = 4096 }
        try c.send([0, 0, 0x10, 0])  // four bytes of a header: nothing yet
        #expect(try c.answers().isEmpty)
        try c.send([1])  // the fifth: 1 MiB + 1 > 4096, refused with no payload byte sent
        #expect(try c.answers() == [Answer(id: 0, what: "FRAME_TOO_LARGE")])
        c.loop.run()
        #expect(!c.channel.isActive)
    }

    @Test func aHeaderReadWhilePausedSizesNothing() throws {
        let c = try Connection { $0.limits.maxFrameBytes = 4096 }
        c.channel.isWritable = false
        c.channel.pipeline.fireChannelWritabilityChanged()
        // A header claiming 2 GiB arrives while frames are not being handed over: it must neither reserve nor grow.
        try c.send([0, 0x7F, 0xFF, 0xFF, 0xFF, 1, 2, 3])
        #expect(c.core.frameBudget.current == 0)
        #expect(try c.answers().isEmpty)
        c.channel.isWritable = true
        c.channel.pipeline.fireChannelWritabilityChanged()
        c.loop.run()
        #expect(try c.answers() == [Answer(id: 0, what: "FRAME_TOO_LARGE")])
    }

    @Test func aBadFlagIsRefusedFromItsFirstByte() throws {
        let c = try Connection()
        try c.send([1])
        #expect(try c.answers() == [Answer(id: 0, what: "MALFORMED_FRAME")])
        c.loop.run()
        #expect(!c.channel.isActive)
    }

    @Test func aMalformedPayloadIsAnsweredThenTheConnectionCloses() throws {
        let c = try Connection()
        try c.send(Wire.health(1) + Wire.frame([0xFF, 0xFF, 0xFF]) + Wire.health(3))
        // What came before it is answered; nothing after it is read.
        #expect(try c.answers() == [Answer(id: 1, what: "health"), Answer(id: 0, what: "MALFORMED_FRAME")])
        c.loop.run()
        #expect(!c.channel.isActive)
    }

    // MARK: - Memory per request

    @Test func batchTooLargeIsAnsweredFromThePrescanWithoutUnpacking() throws {
        let c = try Connection()
        let before = c.core.executor().arenaStatistics
        try c.send(Wire.batch(id: 42, items: 500_000))  // 1 MiB of empty items
        #expect(try c.answers() == [Answer(id: 42, what: "BATCH_TOO_LARGE")])
        let after = c.core.executor().arenaStatistics
        // Unpacking them would have taken ~70 MB; the arena never went past its main block.
        #expect(after.chunksMapped == before.chunksMapped)
        #expect(after.usedHighWater < 4096 || after.usedHighWater == before.usedHighWater)
        try c.send(Wire.health(43))
        #expect(try c.answers() == [Answer(id: 43, what: "health")])
    }

    @Test func resourceExhaustedKeepsTheConnectionUsable() throws {
        let c = try Connection()
        // verify_authentication { policy { origins: "" × ~500k } }
        var origins: [UInt8] = []
        origins.reserveCapacity(1 << 20)
        while origins.count < (1 << 20) - 32 { origins += [0x1A, 0x00] }
        try c.send(Wire.frame(Wire.request(id: 7, method: 11, Wire.field(1, origins))))
        #expect(try c.answers() == [Answer(id: 7, what: "RESOURCE_EXHAUSTED")])
        #expect(c.core.executor().arenaStatistics.mapped == 0)
        try c.send(Wire.health(8))
        #expect(try c.answers() == [Answer(id: 8, what: "health")])
        #expect(c.channel.isActive)
        #expect(c.core.state.inFlight.load(ordering: .relaxed) == 0)
    }

    @Test func aRequestThatOutgrowsTheArenaBlockGivesItsMemoryBackAtOnce() throws {
        let c = try Connection()
        // verify_authentication { policy { rp_id, 300 origins of ~1 KB } }: ~300 KB, more than the 256 KiB block.
        var policy = Wire.field(2, Array("example.com".utf8))
        for i in 0..<300 { policy += Wire.field(3, Array("https://\(i).example.com/".utf8) + [UInt8](repeating: 0x61, count: 1000)) }
        try c.send(Wire.frame(Wire.request(id: 9, method: 11, Wire.field(1, policy))))
        #expect(try c.answers() == [Answer(id: 9, what: "verify_authentication")])
        let arena = c.core.executor().arenaStatistics
        #expect(arena.mappedHighWater > 0)  // it did spill
        #expect(arena.mapped == 0)  // and the chunks are gone before any next request
    }

    // MARK: - Back-pressure

    @Test func aPeerThatDoesNotReadIsNotRead() throws {
        let c = try Connection()
        c.channel.read()
        #expect(c.reads.reads == 1)
        c.channel.isWritable = false
        c.channel.pipeline.fireChannelWritabilityChanged()
        // Frames already on their way are kept, not answered into a socket nobody reads; no more reads are made.
        try c.send(Wire.health(1) + Wire.health(2))
        #expect(try c.answers().isEmpty)
        c.channel.read()
        #expect(c.reads.reads == 1)
        c.channel.isWritable = true
        c.channel.pipeline.fireChannelWritabilityChanged()
        c.loop.run()
        #expect(try c.writes() == [[Answer(id: 1, what: "health"), Answer(id: 2, what: "health")]])
        #expect(c.reads.reads == 2)  // the read held back goes out now
    }

    @Test func offloadedRequestsAreCappedPerConnection() throws {
        let c = try Connection {
            $0.offloadBatchItems = 2
            $0.limits.maxInFlightPerConnection = 2
        }
        c.channel.read()
        #expect(c.reads.reads == 1)
        try c.send(Wire.batch(id: 1, items: 2) + Wire.batch(id: 2, items: 2) + Wire.batch(id: 3, items: 2) + Wire.health(4))
        // Two batches went to the pool; the third waits in the decoder, and so does the health check behind it.
        #expect(c.pool.queue.count == 2)
        #expect(try c.answers().isEmpty)
        c.channel.read()
        #expect(c.reads.reads == 1)
        c.pool.runOne()
        c.loop.run()
        // The third batch went in as the first came out, which filled the cap again: the health check still waits.
        #expect(try c.answers() == [Answer(id: 1, what: "verify_authentication_batch")])
        #expect(c.pool.queue.count == 2)
        #expect(c.reads.reads == 1)
        c.pool.runOne()
        c.loop.run()
        #expect(try c.answers() == [Answer(id: 2, what: "verify_authentication_batch"), Answer(id: 4, what: "health")])
        #expect(c.reads.reads == 2)  // below the cap with nothing left waiting: the held read goes out
        c.pool.runOne()
        c.loop.run()
        #expect(try c.answers() == [Answer(id: 3, what: "verify_authentication_batch")])
        #expect(c.core.state.inFlight.load(ordering: .relaxed) == 0)
    }

    // MARK: - Deadlines

    @Test func aFrameMustCompleteWithinTheFrameTimeout() throws {
        let c = try Connection { $0.frameTimeoutMs = 1000 }
        c.channel.read()
        let frame = Wire.health(1)
        try c.send(Array(frame.prefix(3)))
        c.loop.advanceTime(by: .milliseconds(600))
        try c.send(Array(frame[3..<5]))  // progress inside the same frame does not restart its clock
        c.loop.advanceTime(by: .milliseconds(399))
        #expect(c.channel.isActive)
        c.loop.advanceTime(by: .milliseconds(1))
        #expect(try c.answers() == [Answer(id: 0, what: "DEADLINE_EXCEEDED")])
        c.loop.run()
        #expect(!c.channel.isActive)
    }

    @Test func theFrameTimeoutIsPerFrame() throws {
        let c = try Connection { $0.frameTimeoutMs = 1000 }
        c.channel.read()
        // Every 900 ms a frame completes and the next one starts: never 1000 ms on one frame.
        var pending = Wire.health(1)
        try c.send(Array(pending.prefix(2)))
        for id: UInt64 in 2...6 {
            c.loop.advanceTime(by: .milliseconds(900))
            let next = Wire.health(id)
            try c.send(Array(pending.dropFirst(2)) + Array(next.prefix(2)))
            pending = next
        }
        #expect(c.channel.isActive)
        #expect(try c.answers().map(\.id) == [1, 2, 3, 4, 5])
        // And with nothing pending the clock does not run at all.
        let idle = try Connection { $0.frameTimeoutMs = 1000 }
        idle.loop.advanceTime(by: .seconds(30))
        #expect(idle.channel.isActive)
    }

    @Test func aTLSHandshakeMustFinishInTime() throws {
        let core = Connection.core { $0.frameTimeoutMs = 1000 }
        let slow = try Connection(core: core, extra: [TLSHandshakeDeadline(timeout: .milliseconds(1000), logger: core.logger)])
        slow.loop.advanceTime(by: .milliseconds(999))
        #expect(slow.channel.isActive)
        slow.loop.advanceTime(by: .milliseconds(1))
        #expect(!slow.channel.isActive)
        let done = try Connection(core: core, extra: [TLSHandshakeDeadline(timeout: .milliseconds(1000), logger: core.logger)])
        done.channel.pipeline.fireUserInboundEventTriggered(TLSUserEvent.handshakeCompleted(negotiatedProtocol: nil))
        done.loop.advanceTime(by: .seconds(5))
        #expect(done.channel.isActive)
        #expect(throws: (any Error).self) { try done.channel.pipeline.syncOperations.handler(type: TLSHandshakeDeadline.self) }
    }

    // MARK: - Admission

    @Test func thePeerUIDGateReadsNothingUntilThePeerIsAllowed() throws {
        let core = Connection.core()
        for (uid, allowed) in [(UInt32(1000), true), (UInt32(1001), false)] {
            let loop = EmbeddedEventLoop()
            let lookup = loop.makePromise(of: UInt32?.self)
            let reads = ReadCounter()
            let gate = PeerUIDGate(allowed: [1000], logger: core.logger, lookup: { _ in lookup.futureResult })
            let channel = EmbeddedChannel(handlers: [reads, gate], loop: loop)
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
            channel.read()
            #expect(reads.reads == 0)
            lookup.succeed(uid)
            loop.run()
            #expect(reads.reads == (allowed ? 1 : 0))
            #expect(channel.isActive == allowed)
        }
    }

    @Test func aConnectionPastTheMaximumIsRefused() throws {
        let core = Connection.core { $0.limits.maxConnections = 1 }
        let first = try Connection(core: core)
        let second = try Connection(core: core)
        #expect(try second.answers() == [Answer(id: 0, what: "OVERLOADED")])
        second.loop.run()
        #expect(!second.channel.isActive)
        #expect(core.state.connections.load(ordering: .relaxed) == 1)
        try first.send(Wire.health(1))
        #expect(try first.answers() == [Answer(id: 1, what: "health")])
    }

    // MARK: - Server-wide partial-frame budget

    @Test func largePartialFramesWaitForTheBudget() throws {
        let core = Connection.core {
            $0.maxBufferedFrameBytes = 300 << 10
            $0.limits.maxFrameBytes = 1 << 20
        }
        // Two 200 KiB frames (health requests padded with an unknown field): only one fits the budget at a time.
        func big(_ id: UInt64) -> [UInt8] {
            Wire.frame(Wire.request(id: id, method: 14) + Wire.field(99, [UInt8](repeating: 7, count: 200 << 10)))
        }
        let a = try Connection(core: core)
        let b = try Connection(core: core)
        let fa = big(1), fb = big(2)
        a.channel.read()
        b.channel.read()
        try a.send(Array(fa.prefix(1000)))
        #expect(core.frameBudget.current >= fa.count)
        try b.send(Array(fb.prefix(1000)))
        // b could not reserve: it is not read until a's frame is done.
        #expect(core.frameBudget.waiting == 1)
        b.channel.read()
        #expect(b.reads.reads == 1)
        a.channel.read()
        #expect(a.reads.reads == 2)
        try a.send(Array(fa.dropFirst(1000)))
        #expect(try a.answers() == [Answer(id: 1, what: "health")])
        b.loop.run()
        #expect(core.frameBudget.waiting == 0)
        #expect(b.reads.reads == 2)
        try b.send(Array(fb.dropFirst(1000)))
        #expect(try b.answers() == [Answer(id: 2, what: "health")])
        #expect(core.frameBudget.current == 0)
        // Small frames never wait, even with the budget taken.
        try a.send(Array(fa.prefix(1000)))
        try b.send(Wire.health(3))
        #expect(try b.answers() == [Answer(id: 3, what: "health")])
        try a.channel.close().wait()
        #expect(core.frameBudget.current == 0)
    }
}
