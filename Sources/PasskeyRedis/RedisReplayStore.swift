public import Logging
public import NIOCore
import Metrics
public import PasskeyWebAuthn

/// The shared replay store: issued challenges recorded in Redis with `SET <prefix><base64url(replayKey)> 1 NX PX <ttl>`
/// (`OK`: first use; nil: used before), so replicas sharing one Redis accept each challenge once.
///
/// One pipelined connection per event loop (`RedisLoopConnection`), connected at `start` and reconnected by itself
/// with exponential backoff. `record` must be called on one of those loops and answers on it. While a loop has no
/// connection, its requests get `unavailable` verdicts at once (fail closed: the executor answers `UNAVAILABLE`).
public final class RedisReplayStore: Sendable {
    public struct Options: Sendable {
        public var url: RedisURL
        /// Prepended to every key (a namespace when the Redis is shared with other uses).
        public var keyPrefix = "passkeyd:challenge:"
        /// Connecting, and the answer to every write, must take at most this long; past it the connection is closed
        /// and its requests are unavailable.
        public var timeoutMs = 1000
        public var minimumBackoffMs = 50
        public var maximumBackoffMs = 2000
        /// Records live this long past their challenge's expiry, so replicas whose clocks differ by less than this
        /// still see the record while they could accept the token.
        public var ttlMarginMs: Int64 = 30_000

        public init(url: RedisURL) { self.url = url }
    }

    public let options: Options
    private let connections: [ObjectIdentifier: RedisLoopConnection]
    private let ordered: [RedisLoopConnection]

    /// - Parameter loops: every event loop that will call `record` (the server's loops).
    public init(options: Options, loops: [EventLoop], logger: Logger) {
        self.options = options
        let metrics = RedisStoreMetrics()
        var map: [ObjectIdentifier: RedisLoopConnection] = [:]
        var list: [RedisLoopConnection] = []
        for loop in loops {
            let c = RedisLoopConnection(loop: loop, options: options, logger: logger, metrics: metrics)
            map[ObjectIdentifier(loop as AnyObject)] = c
            list.append(c)
        }
        connections = map
        ordered = list
    }

    /// Connects every loop's connection (asynchronously; until they are up, requests are unavailable).
    public func start() {
        for c in ordered { c.start() }
    }

    /// Closes every connection; requests still waiting get `unavailable`.
    public func stop() async {
        for c in ordered {
            try? await c.loop.submit { c.stop() }.get()
        }
    }

    /// Records `challenges` (one round trip shared with every other request of this loop tick); `done` is called
    /// on `loop`, once, with one verdict per challenge in order.
    public func record(
        _ challenges: [IssuedChallenge], nowMs: Int64, on loop: EventLoop, _ done: @escaping ([ReplayVerdict]) -> Void
    ) {
        guard let c = connections[ObjectIdentifier(loop as AnyObject)] else {
            done(Array(repeating: .unavailable, count: challenges.count))
            return
        }
        c.record(challenges, nowMs: nowMs, done)
    }

    /// nil when every loop is connected; otherwise the last error of a loop that is not.
    public var problem: String? {
        for c in ordered where !c.isUp.load(ordering: .relaxed) {
            let e = c.lastError.withLock { $0 }
            return e.isEmpty ? "not connected" : e
        }
        return nil
    }

    /// Loops whose connection is ready.
    public var connectedLoops: Int { ordered.reduce(0) { $0 + ($1.isUp.load(ordering: .relaxed) ? 1 : 0) } }
}

/// The store's metrics: round trips (writes), commands, challenges that got no verdict, reconnects and connections up.
struct RedisStoreMetrics: Sendable {
    let roundTrips = Counter(label: "passkeyd_challenge_store_round_trips_total")
    let commands = Counter(label: "passkeyd_challenge_store_commands_total")
    let unavailable = Counter(label: "passkeyd_challenge_store_unavailable_total")
    let reconnects = Counter(label: "passkeyd_challenge_store_reconnects_total")
    let connectionsUp = Meter(label: "passkeyd_challenge_store_connections_up")
}
