import Logging
import NIOCore
import NIOPosix
import PasskeyCOSE
import PasskeyRedis
import PasskeyWebAuthn
import PasskeyWire

/// What every connection handler shares: configuration, counters, the executors and the worker pool.
final class ServerCore: Sendable {
    let configuration: ServerConfiguration
    let state = ServerState()
    let metrics = ServerMetrics()
    let registry: RelyingPartyRegistry
    let keyCache: KeyCache
    let description: ServerDescription
    let offloadPool: NIOThreadPool
    /// Reservations of large partial frames, shared by every connection.
    let frameBudget: PartialFrameBudget
    let logger: Logger
    /// How executors record issued challenges: the embedded store inline, or deferred to `redis`.
    let replay: ChallengeReplayMode
    /// The shared replay store (challenge_store = redis), one connection per event loop.
    let redis: RedisReplayStore?
    /// What the handler asks for requests that wait: `redis`, or a store a test drives by hand.
    let deferredStore: (any DeferredReplayStore)?
    /// Why `redis` could not be made (an unparsable URL; the settings refuse one, so only a programmatic mistake).
    let redisProblem: String?
    private let executors = ThreadSpecificVariable<ExecutorBox>()

    init(
        configuration: ServerConfiguration, registry: RelyingPartyRegistry, version: String, logger: Logger,
        loops: [EventLoop] = [], deferredStore: (any DeferredReplayStore)? = nil
    ) {
        self.configuration = configuration
        self.registry = registry
        // Four shards per thread that can look keys up (the event loops and the offload pool), at least 16: with
        // 16 fixed shards, 16 threads would collide on a shard's mutex about once per lookup.
        let lookupThreads = (configuration.threads > 0 ? configuration.threads : System.coreCount) + System.coreCount
        self.keyCache = KeyCache(capacity: configuration.keyCacheCapacity, shardCount: max(16, 4 * lookupThreads))
        self.description = ServerDescription(
            version: version, limits: configuration.limits, challengeStore: configuration.challengeStore.rawValue,
            challengeLifetimeMs: configuration.challengeLifetimeMs)
        switch configuration.challengeStore {
        case .memory:
            replay = .inline(InMemoryReplayStore(capacity: configuration.challengeStoreCapacity))
            redis = nil
            redisProblem = nil
        case .redis:
            // Deferred even without a usable store: every issued-challenge request then fails closed (UNAVAILABLE).
            replay = .deferred
            do throws(RedisURL.ParseError) {
                var options = RedisReplayStore.Options(url: try RedisURL(parsing: configuration.redisURL ?? ""))
                options.keyPrefix = configuration.redisKeyPrefix
                options.timeoutMs = configuration.redisTimeoutMs
                redis = RedisReplayStore(options: options, loops: loops, logger: logger)
                redisProblem = nil
            } catch {
                redis = nil
                redisProblem = "redis_url: \(error)"
            }
        }
        self.deferredStore = deferredStore ?? redis
        self.offloadPool = NIOThreadPool(numberOfThreads: max(1, System.coreCount))
        self.frameBudget = PartialFrameBudget(limit: configuration.maxBufferedFrameBytes)
        self.logger = logger
    }

    /// Large batches run here (see `RequestHandler`).
    var offload: Offload {
        let pool = offloadPool
        return Offload { loop, work in pool.runIfActive(eventLoop: loop, work) }
    }

    /// A complete frame holding a request-level error, encoded by this thread's executor.
    func errorFrame(id: UInt64 = 0, code: WireErrorCode, message: String, allocator: ByteBufferAllocator) -> ByteBuffer {
        RequestHandler.frame(executor().errorResponse(id: id, code: code, message: message), allocator: allocator)
    }

    /// This thread's executor (event-loop and worker threads each get one, created on first use).
    func executor() -> WireExecutor {
        if let box = executors.currentValue { return box.executor }
        let e = WireExecutor(registry: registry, keyCache: keyCache, description: description, replay: replay)
        let metrics = self.metrics
        e.onVerdict = { method, code in metrics.verdict(method: method, code: code) }
        executors.currentValue = ExecutorBox(e)
        return e
    }

    var snapshot: ServerSnapshot {
        ServerSnapshot(
            draining: state.draining.load(ordering: .relaxed),
            inFlight: UInt64(max(0, state.inFlight.load(ordering: .relaxed))),
            connections: UInt64(max(0, state.connections.load(ordering: .relaxed))),
            challengeStore: challengeStoreHealth)
    }

    var challengeStoreHealth: ChallengeStoreHealth {
        guard configuration.challengeStore == .redis else { return .memory }
        guard let redis else { return .unreachable(redisProblem ?? "no store") }
        return redis.problem.map { .unreachable($0) } ?? .connected
    }
}

/// Holds a thread's executor in thread-specific storage. `@unchecked Sendable` is sound: a box is only ever
/// reached through `ThreadSpecificVariable` by the thread that created it.
final class ExecutorBox: @unchecked Sendable {
    let executor: WireExecutor
    init(_ e: WireExecutor) { executor = e }
}

/// A replay store answered asynchronously, on the loop that asked (Redis in the daemon; tests drive one by hand).
protocol DeferredReplayStore: Sendable {
    func record(
        _ challenges: [IssuedChallenge], nowMs: Int64, on loop: EventLoop, _ done: @escaping ([ReplayVerdict]) -> Void)
}

extension RedisReplayStore: DeferredReplayStore {}
