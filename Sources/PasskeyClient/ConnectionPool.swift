internal import NIOCore

/// The pool's slots, guarded by the client's mutex. Connections open lazily: a slot is empty until a call lands on
/// it, connecting while its first calls wait on the shared future, and ready afterwards until its connection dies.
struct ConnectionPool {
    enum Slot {
        case empty
        case connecting(EventLoopFuture<PasskeydConnection>)
        case ready(PasskeydConnection)
    }

    enum Choice {
        case ready(PasskeydConnection)
        /// `started` is true for the caller that began the connect: it registers the completion.
        case connecting(EventLoopFuture<PasskeydConnection>, slot: Int, started: Bool)
        case closed
    }

    private(set) var slots: [Slot]
    private var cursor = 0
    private(set) var closed = false

    init(size: Int) { slots = Array(repeating: .empty, count: max(1, size)) }

    /// The next slot round-robin; a slot that is empty or holds a dead connection (or `avoid`) starts a connect.
    mutating func choose(
        avoiding avoid: PasskeydConnection?, connect: () -> EventLoopFuture<PasskeydConnection>
    ) -> Choice {
        if closed { return .closed }
        if let avoid {
            for i in slots.indices {
                if case let .ready(c) = slots[i], c === avoid { slots[i] = .empty }
            }
        }
        let i = cursor
        cursor = (cursor + 1) % slots.count
        switch slots[i] {
        case let .ready(c) where c.isActive:
            return .ready(c)
        case let .connecting(f):
            return .connecting(f, slot: i, started: false)
        case .ready, .empty:
            let f = connect()
            slots[i] = .connecting(f)
            return .connecting(f, slot: i, started: true)
        }
    }

    /// Records the outcome of a connect; returns a connection that must be closed because the pool closed meanwhile.
    mutating func settle(
        slot i: Int, future: EventLoopFuture<PasskeydConnection>, result: Result<PasskeydConnection, any Error>
    ) -> PasskeydConnection? {
        guard case let .connecting(f) = slots[i], f === future else {
            if closed, case let .success(c) = result { return c }
            return nil
        }
        switch result {
        case let .success(c): slots[i] = .ready(c)
        case .failure: slots[i] = .empty
        }
        return nil
    }

    /// Marks the pool closed and hands back everything to close.
    mutating func close() -> (ready: [PasskeydConnection], connecting: [EventLoopFuture<PasskeydConnection>]) {
        closed = true
        var ready: [PasskeydConnection] = []
        var connecting: [EventLoopFuture<PasskeydConnection>] = []
        for s in slots {
            switch s {
            case let .ready(c): ready.append(c)
            case let .connecting(f): connecting.append(f)
            case .empty: break
            }
        }
        slots = Array(repeating: .empty, count: slots.count)
        return (ready, connecting)
    }
}
