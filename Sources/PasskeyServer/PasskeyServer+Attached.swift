public import Logging
public import NIOCore
public import NIOPosix

/// A listener that lives in another module (the gRPC listener, PasskeyGRPC) but shares this server's executors,
/// limits, counters and drain. `drain` tells it first (`draining`), waits for every in-flight request of every
/// listener, then lets it close (`close`) with what is left of the drain timeout.
public protocol AttachedListener: Sendable {
    /// The server has started to drain: requests are refused with SHUTTING_DOWN from now on.
    func draining() async
    /// Every request has been answered (or the drain timeout is close): stop, within `timeout`.
    func close(timeout: Duration) async
}

/// What an attached listener uses of the server.
extension PasskeyServer {
    /// Runs one `passkeyd.v1.Request` payload as the framed listeners run a frame's (admission, unpack budget,
    /// inline or worker-pool execution, waiting for the shared replay store, metrics) and returns the `Response` payload.
    /// Refusals are `Response.error`.
    public func respond(to request: ByteBuffer) async -> ByteBuffer {
        await core.respond(to: request, on: ownLoop)
    }

    /// The loop this task runs on when it is one of the server's (the replay store keeps a connection per loop and
    /// answers on the loop that asked), else the next one.
    private var ownLoop: EventLoop {
        if let current = MultiThreadedEventLoopGroup.currentEventLoop,
            group.makeIterator().contains(where: { ObjectIdentifier($0) == ObjectIdentifier(current) })
        {
            return current
        }
        return group.next()
    }

    /// The event loops the framed listeners run on, for the attached listener's connections.
    public var eventLoopGroup: MultiThreadedEventLoopGroup { group }

    public var configuration: ServerConfiguration { core.configuration }

    public var logger: Logger { core.logger }

    /// True once `drain` has begun.
    public var isDraining: Bool { core.state.draining.load(ordering: .relaxed) }

    /// Counts a new connection of an attached listener against `maxConnections`; false (and nothing counted) when
    /// the server is full, and the caller closes it.
    public func admitConnection() -> Bool {
        let n = core.state.connections.wrappingAdd(1, ordering: .relaxed).newValue
        guard n <= core.configuration.limits.maxConnections else {
            core.state.connections.wrappingSubtract(1, ordering: .relaxed)
            core.metrics.requestError(.overloaded)
            return false
        }
        core.metrics.connections.record(n)
        return true
    }

    /// An admitted connection of an attached listener has closed.
    public func connectionClosed() {
        core.metrics.connections.record(core.state.connections.wrappingSubtract(1, ordering: .relaxed).newValue)
    }

    /// Drains and closes `listener` with the server's own listeners.
    public func attach(_ listener: any AttachedListener) {
        attached.withLock { $0.append(listener) }
    }
}
