import Synchronization

/// The server-wide budget of bytes that large partial frames may reserve (`maxBufferedFrameBytes`).
///
/// A reservation is taken before a connection's buffer grows to hold a large frame and given back when the frame has
/// been handed on (or the connection closes). When it cannot be taken, the connection queues and stops reading; the
/// queue is served in order as bytes come back. Waiters hold no reservation, and every holder can finish its frame or
/// be closed by the frame deadline, so the queue always moves. With nothing reserved a request is granted even if it
/// is larger than the budget, so no frame the server accepts can wait forever.
final class PartialFrameBudget: Sendable {
    let limit: Int
    private let reserved = Atomic<Int>(0)
    private let queued = Atomic<Int>(0)
    private let queue = Mutex<WaitQueue>(WaitQueue())

    private struct Waiter {
        let ticket: UInt64
        let bytes: Int
        let granted: @Sendable () -> Void
    }

    private struct WaitQueue: ~Copyable {
        var waiters: [Waiter] = []
        var head = 0
        var nextTicket: UInt64 = 1
    }

    init(limit: Int) { self.limit = max(1, limit) }

    /// Bytes reserved right now.
    var current: Int { reserved.load(ordering: .relaxed) }

    /// Connections waiting for a reservation.
    var waiting: Int { queued.load(ordering: .relaxed) }

    /// Reserves `bytes` if they fit (or nothing is reserved at all); false otherwise.
    func tryReserve(_ bytes: Int) -> Bool {
        var now = reserved.load(ordering: .relaxed)
        while true {
            guard now == 0 || now + bytes <= limit else { return false }
            let (exchanged, original) = reserved.compareExchange(
                expected: now, desired: now + bytes, ordering: .relaxed)
            if exchanged { return true }
            now = original
        }
    }

    func release(_ bytes: Int) {
        guard bytes > 0 else { return }
        reserved.wrappingSubtract(bytes, ordering: .relaxed)
        if queued.load(ordering: .relaxed) > 0 { grantWaiting() }
    }

    /// Queues a request for `bytes`; `granted` runs (on any thread) once they are reserved for the caller. Returns a
    /// ticket for `cancel`.
    func wait(for bytes: Int, granted: @escaping @Sendable () -> Void) -> UInt64 {
        let ticket = queue.withLock { q in
            let t = q.nextTicket
            q.nextTicket += 1
            q.waiters.append(Waiter(ticket: t, bytes: bytes, granted: granted))
            return t
        }
        queued.wrappingAdd(1, ordering: .relaxed)
        // Bytes released between the failed tryReserve and the enqueue would otherwise wake nobody.
        grantWaiting()
        return ticket
    }

    /// Withdraws a queued request. True when it was still queued (it will not be granted); false when it was granted
    /// already (the caller then owns, and must release, the bytes).
    @discardableResult
    func cancel(_ ticket: UInt64) -> Bool {
        let removed = queue.withLock { q -> Bool in
            guard let i = q.waiters[q.head...].firstIndex(where: { $0.ticket == ticket }) else { return false }
            q.waiters.remove(at: i)
            return true
        }
        if removed {
            queued.wrappingSubtract(1, ordering: .relaxed)
            // The head may have been blocked behind this one.
            grantWaiting()
        }
        return removed
    }

    private func grantWaiting() {
        var granted: [@Sendable () -> Void] = []
        queue.withLock { q in
            while q.head < q.waiters.count, tryReserve(q.waiters[q.head].bytes) {
                granted.append(q.waiters[q.head].granted)
                q.head += 1
            }
            if q.head == q.waiters.count {
                q.waiters.removeAll(keepingCapacity: true)
                q.head = 0
            } else if q.head > 64, q.head * 2 > q.waiters.count {
                q.waiters.removeFirst(q.head)
                q.head = 0
            }
        }
        guard !granted.isEmpty else { return }
        queued.wrappingSubtract(granted.count, ordering: .relaxed)
        for g in granted { g() }
    }
}
