internal import CPasskeyProto
import Synchronization

/// Spare arenas for requests that wait for the shared replay store.
///
/// A waiting request keeps its unpacked request and half-built response in the arena it was executed in, so the
/// executor hands that arena over (`WaitingRequest`) and takes a spare one from here for the next request; the
/// waiting request gives its arena back once its response has been copied out. One pool per executor (per thread),
/// so steady state maps and allocates nothing; a lock makes it safe to give back from another thread (a batch run
/// on the worker pool is finished on its event loop). At most `keep` spares stay; more waiting at once allocate
/// their arenas and free them when they are done.
final class ArenaPool: Sendable {
    private let spare = Mutex<[UInt]>([])
    let blockBytes: Int
    let keep: Int

    init(blockBytes: Int, keep: Int = 8) {
        self.blockBytes = blockBytes
        self.keep = keep
    }

    deinit {
        for bits in spare.withLock({ $0 }) { passkey_arena_destroy(OpaquePointer(bitPattern: bits)) }
    }

    func take() -> OpaquePointer {
        if let bits = spare.withLock({ $0.popLast() }) { return OpaquePointer(bitPattern: bits)! }
        return passkey_arena_create(blockBytes)!
    }

    /// Resets `arena` (unmapping its spills) and keeps it, or destroys it when `keep` spares are already here.
    func give(_ arena: OpaquePointer) {
        passkey_arena_reset(arena)
        let bits = UInt(bitPattern: arena)
        let kept = spare.withLock { s -> Bool in
            guard s.count < keep else { return false }
            s.append(bits)
            return true
        }
        if !kept { passkey_arena_destroy(arena) }
    }

    /// Spares held now (tests).
    var count: Int { spare.withLock { $0.count } }
}
