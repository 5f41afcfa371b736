import Synchronization

/// Counters shared by every connection and thread.
final class ServerState: Sendable {
    let inFlight = Atomic<Int>(0)
    let connections = Atomic<Int>(0)
    let draining = Atomic<Bool>(false)

    /// Takes a global in-flight slot, or returns false at the limit.
    func admit(limit: Int) -> Bool {
        let now = inFlight.wrappingAdd(1, ordering: .relaxed).newValue
        if now > limit {
            inFlight.wrappingSubtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    func finish(_ n: Int = 1) { inFlight.wrappingSubtract(n, ordering: .relaxed) }
}
