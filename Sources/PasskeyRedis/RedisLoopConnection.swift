import Logging
import NIOCore
import NIOPosix
import PasskeyJSON
import PasskeyWebAuthn
import Synchronization

/// One connection to Redis, owned by one event loop: every method runs on `loop` (the requests that use it were read
/// on that loop, so asking the store costs no thread hop and its answer comes back on the loop that writes the
/// response).
///
/// Commands are pipelined: each request's `SET`s are appended to one buffer and every request of one loop tick
/// leaves in one write (`flush` runs as a task after the tick's reads), answers are matched in order. While the
/// connection is not ready — connecting, handshaking (AUTH, SELECT), or waiting to reconnect with exponential backoff —
/// requests are answered `unavailable` at once: nothing queues for a store that may never come back. A write that is
/// not fully answered within the timeout closes the connection (its requests become unavailable) and starts a
/// reconnect.
///
/// `@unchecked Sendable`: only its atomics and `lastError` are read off the loop; everything else is loop-confined.
final class RedisLoopConnection: @unchecked Sendable {
    let loop: EventLoop
    let options: RedisReplayStore.Options
    let logger: Logger
    let metrics: RedisStoreMetrics

    /// Read from any thread (health).
    let isUp = Atomic<Bool>(false)
    let lastError = Mutex<String>("not connected yet")

    private enum State {
        case idle
        case connecting
        case handshaking(Channel, remaining: Int)
        case ready(Channel)
        case retrying
        case stopped
    }

    private enum Expect {
        case handshake
        case record(RecordBatch, Int)
    }

    private var state = State.idle
    private var outstanding = CircularBuffer<Expect>()
    private var pendingWrite: ByteBuffer?
    private var flushScheduled = false
    private var answered = 0
    private var backoffMs: Int
    private var retryTask: Scheduled<Void>?
    /// Whether the current outage has been logged (one warning per outage, not per retry).
    private var outageLogged = false
    private var everConnected = false

    init(loop: EventLoop, options: RedisReplayStore.Options, logger: Logger, metrics: RedisStoreMetrics) {
        self.loop = loop
        self.options = options
        self.logger = logger
        self.metrics = metrics
        self.backoffMs = options.minimumBackoffMs
    }

    // MARK: - Recording

    /// Asks Redis to record each challenge once (`SET key 1 NX PX ttl`); `done` gets one verdict per challenge, on
    /// the loop, exactly once.
    func record(_ challenges: [IssuedChallenge], nowMs: Int64, _ done: @escaping ([ReplayVerdict]) -> Void) {
        loop.assertInEventLoop()
        guard case let .ready(channel) = state else {
            metrics.unavailable.increment(by: Int64(challenges.count))
            done(Array(repeating: .unavailable, count: challenges.count))
            return
        }
        guard !challenges.isEmpty else { return done([]) }
        let batch = RecordBatch(count: challenges.count, done: done)
        if pendingWrite == nil { pendingWrite = channel.allocator.buffer(capacity: 128 * challenges.count) }
        for (i, c) in challenges.enumerated() {
            let ttl = max(1, c.expiresAtMs - nowMs) + options.ttlMarginMs
            let key = options.keyPrefix + c.replayKey.withUnsafeBytes { Base64URL.encode($0) }
            RESPCommand.write("SET", key, "1", "NX", "PX", String(ttl), into: &pendingWrite!)
            outstanding.append(.record(batch, i))
        }
        metrics.commands.increment(by: Int64(challenges.count))
        if !flushScheduled {
            flushScheduled = true
            loop.execute { self.flush() }
        }
    }

    /// Writes everything this tick queued, in one write, and arms the timeout for it.
    private func flush() {
        flushScheduled = false
        guard case let .ready(channel) = state, let buffer = pendingWrite else { return }
        pendingWrite = nil
        metrics.roundTrips.increment()
        channel.writeAndFlush(buffer, promise: nil)
        armTimeout(channel)
    }

    private func armTimeout(_ channel: Channel) {
        let mark = answered + outstanding.count
        loop.scheduleTask(in: .milliseconds(Int64(options.timeoutMs))) { [self] in
            guard answered < mark, isCurrent(channel) else { return }
            fail("no answer within \(options.timeoutMs) ms")
            channel.close(promise: nil)
        }
    }

    private func isCurrent(_ channel: Channel) -> Bool {
        switch state {
        case let .ready(c), let .handshaking(c, _): c === channel
        default: false
        }
    }

    // MARK: - Connection

    func start() {
        loop.execute { self.connect() }
    }

    func stop() {
        loop.assertInEventLoop()
        retryTask?.cancel()
        let previous = state
        state = .stopped
        isUp.store(false, ordering: .relaxed)
        failOutstanding()
        switch previous {
        case let .ready(c), let .handshaking(c, _): c.close(promise: nil)
        default: break
        }
    }

    private func connect() {
        switch state {
        case .idle, .retrying: break
        default: return
        }
        state = .connecting
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(.milliseconds(Int64(options.timeoutMs)))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(RESPReplyHandler(connection: self))
                }
            }
        let connecting: EventLoopFuture<Channel>
        switch options.url.endpoint {
        case let .tcp(host, port): connecting = bootstrap.connect(host: host, port: port)
        case let .unix(path): connecting = bootstrap.connect(unixDomainSocketPath: path)
        }
        connecting.whenComplete { [self] result in
            switch result {
            case let .success(channel): connected(channel)
            case let .failure(error):
                guard case .connecting = state else { return }
                down("cannot connect to \(options.url): \(error)")
            }
        }
    }

    private func connected(_ channel: Channel) {
        guard case .connecting = state else {
            channel.close(promise: nil)
            return
        }
        var b = channel.allocator.buffer(capacity: 64)
        var steps = 0
        if let password = options.url.password {
            if let user = options.url.user {
                RESPCommand.write("AUTH", user, password, into: &b)
            } else {
                RESPCommand.write("AUTH", password, into: &b)
            }
            steps += 1
        }
        if options.url.database != 0 {
            RESPCommand.write("SELECT", String(options.url.database), into: &b)
            steps += 1
        }
        guard steps > 0 else { return ready(channel) }
        for _ in 0..<steps { outstanding.append(.handshake) }
        state = .handshaking(channel, remaining: steps)
        channel.writeAndFlush(b, promise: nil)
        armTimeout(channel)
    }

    private func ready(_ channel: Channel) {
        state = .ready(channel)
        backoffMs = options.minimumBackoffMs
        isUp.store(true, ordering: .relaxed)
        lastError.withLock { $0 = "" }
        metrics.connectionsUp.increment()
        if everConnected { metrics.reconnects.increment() }
        logger.info(everConnected ? "challenge store reconnected" : "challenge store connected", metadata: ["url": "\(options.url)"])
        everConnected = true
        outageLogged = false
    }

    /// A reply from the connection's handler, in command order.
    func received(_ value: RESPValue, on channel: Channel) {
        guard isCurrent(channel) else { return }
        guard let expect = outstanding.popFirst() else {
            fail("a reply nobody asked for")
            channel.close(promise: nil)
            return
        }
        answered += 1
        switch expect {
        case .handshake:
            if case let .error(message) = value {
                fail("AUTH/SELECT refused: \(message)")
                channel.close(promise: nil)
                return
            }
            guard case let .handshaking(c, remaining) = state else { return }
            if remaining == 1 { ready(c) } else { state = .handshaking(c, remaining: remaining - 1) }
        case let .record(batch, index):
            let verdict: ReplayVerdict
            switch value {
            case let v where v.isOK: verdict = .firstUse
            case .null: verdict = .reused
            default:
                // An error reply (OOM, READONLY, NOAUTH ...) decides nothing.
                verdict = .unavailable
                metrics.unavailable.increment()
                if case let .error(message) = value { lastError.withLock { $0 = "SET refused: \(message)" } }
            }
            batch.set(index, verdict)
        }
    }

    /// The connection's channel went away (closed by either side, or after a protocol error or timeout).
    func closed(_ channel: Channel) {
        guard isCurrent(channel) else { return }
        down(lastError.withLock { $0.isEmpty } ? "the connection was closed" : nil)
    }

    private func fail(_ message: String) {
        lastError.withLock { $0 = message }
    }

    private func down(_ message: String?) {
        if let message { fail(message) }
        if case .ready = state { metrics.connectionsUp.decrement() }
        isUp.store(false, ordering: .relaxed)
        state = .retrying
        pendingWrite = nil
        failOutstanding()
        if !outageLogged {
            outageLogged = true
            logger.warning(
                "challenge store unreachable; requests with issued challenges are answered UNAVAILABLE until it is back",
                metadata: ["url": "\(options.url)", "error": "\(lastError.withLock { $0 })"])
        }
        let delay = backoffMs
        backoffMs = min(options.maximumBackoffMs, backoffMs * 2)
        retryTask = loop.scheduleTask(in: .milliseconds(Int64(delay))) { [self] in
            guard case .retrying = state else { return }
            connect()
        }
    }

    private func failOutstanding() {
        let waiting = outstanding
        outstanding.removeAll()
        answered = 0
        var failed = 0
        for case let .record(batch, index) in waiting {
            batch.set(index, .unavailable)
            failed += 1
        }
        if failed > 0 { metrics.unavailable.increment(by: Int64(failed)) }
    }
}

/// The verdicts of one request's challenges, delivered once all have their answer.
final class RecordBatch {
    private var verdicts: [ReplayVerdict]
    private var remaining: Int
    private var done: (([ReplayVerdict]) -> Void)?

    init(count: Int, done: @escaping ([ReplayVerdict]) -> Void) {
        verdicts = Array(repeating: .unavailable, count: count)
        remaining = count
        self.done = done
    }

    func set(_ index: Int, _ verdict: ReplayVerdict) {
        guard done != nil else { return }
        verdicts[index] = verdict
        remaining -= 1
        if remaining == 0 {
            let d = done
            done = nil
            d?(verdicts)
        }
    }
}

/// Parses the replies on a Redis connection and hands them to its `RedisLoopConnection`.
final class RESPReplyHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let connection: RedisLoopConnection
    private let parser = RESPParser()
    private var buffer: ByteBuffer?

    init(connection: RedisLoopConnection) { self.connection = connection }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        if buffer == nil || buffer!.readableBytes == 0 {
            buffer = incoming
        } else {
            buffer!.writeBuffer(&incoming)
        }
        do throws(RESPError) {
            while let value = try parser.next(&buffer!) {
                connection.received(value, on: context.channel)
            }
        } catch {
            connection.lastError.withLock { $0 = "protocol error: \(error)" }
            context.close(promise: nil)
            return
        }
        buffer!.discardReadBytes()
    }

    func channelInactive(context: ChannelHandlerContext) {
        connection.closed(context.channel)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        connection.lastError.withLock { $0 = "\(error)" }
        context.close(promise: nil)
    }
}
