internal import CPasskeyProto
public import PasskeyWebAuthn

/// A request whose verified items wait for the shared replay store to record their issued challenges.
///
/// It owns the arena the request was executed in (its unpacked request and half-built response live there; the
/// executor took a fresh arena for the requests after it). The transport asks the store to record `challenges`
/// (one round trip for all of them), then calls `finish` with the store's verdicts, in the same order: each item
/// whose challenge was a first use gets its verified result filled in, a reused one becomes that item's
/// `CHALLENGE_REUSED` result, and when the store could not be asked for any of them the whole request is answered
/// with the request-level `UNAVAILABLE` (safe to retry; see README, "Issued challenges"). After the response has
/// been copied out, `release` gives the arena back (deinit does so too, so an abandoned request never leaks it).
///
/// Not thread-safe: one owner at a time (it moves once, from a worker thread to the event loop, for offloaded
/// batches); `@unchecked Sendable` for that move.
public final class WaitingRequest: @unchecked Sendable {
    public let id: UInt64
    public let method: WireMethod
    /// What the store must record, one per waiting item, in item order.
    public let challenges: [IssuedChallenge]
    let items: [WaitingItem]
    let arena: OpaquePointer
    let response: UnsafeMutablePointer<Passkeyd__V1__Response>
    let pool: ArenaPool
    let onVerdict: ((WireMethod, WireCode) -> Void)?
    private var released = false

    init(
        id: UInt64, method: WireMethod, items: [WaitingItem], arena: OpaquePointer,
        response: UnsafeMutablePointer<Passkeyd__V1__Response>, pool: ArenaPool,
        onVerdict: ((WireMethod, WireCode) -> Void)?
    ) {
        self.id = id
        self.method = method
        self.items = items
        self.challenges = items.map(\.challenge)
        self.arena = arena
        self.response = response
        self.pool = pool
        self.onVerdict = onVerdict
    }

    deinit { release() }

    /// Patches the waiting items with the store's verdicts (same order as `challenges`) and encodes the response,
    /// valid until `release`. A verdict list of the wrong length is treated as the store being unavailable.
    public func finish(_ verdicts: [ReplayVerdict]) -> EncodedResponse {
        let w = ArenaWriter(arena: arena)
        guard verdicts.count == items.count, !verdicts.contains(.unavailable) else {
            // Nothing was decided for at least one item: the request fails closed, whole.
            passkey_arena_reset(arena)
            return w.pack(
                w.errorResponse(
                    id: id, code: .unavailable,
                    message: "the shared challenge store is unavailable; nothing was decided (retry)"))
        }
        for (item, verdict) in zip(items, verdicts) {
            switch item {
            case let .authentication(pending, out, method):
                do throws(WebAuthnError) {
                    w.fill(out, with: try pending.complete(verdict))
                    onVerdict?(method, .none)
                } catch {
                    out.pointee.error_code = error.code.wire
                    out.pointee.error_message = w.cString(error.message)
                    onVerdict?(method, WireCode(error.code))
                }
            case let .registration(pending, out, method):
                do throws(WebAuthnError) {
                    w.fill(out, with: try pending.complete(verdict))
                    onVerdict?(method, .none)
                } catch {
                    out.pointee.error_code = error.code.wire
                    out.pointee.error_message = w.cString(error.message)
                    onVerdict?(method, WireCode(error.code))
                }
            }
        }
        return w.pack(response)
    }

    /// Gives the arena back to the executor's pool (once; later calls do nothing). The response `finish` returned
    /// is invalid after this.
    public func release() {
        guard !released else { return }
        released = true
        pool.give(arena)
    }
}

/// One verified item whose challenge the store must record before its result is trusted.
enum WaitingItem {
    case authentication(
        PendingAuthentication, UnsafeMutablePointer<Passkeyd__V1__VerifyAuthenticationResult>, WireMethod)
    case registration(PendingRegistration, UnsafeMutablePointer<Passkeyd__V1__VerifyRegistrationResult>, WireMethod)

    var challenge: IssuedChallenge {
        switch self {
        case let .authentication(p, _, _): p.challenge
        case let .registration(p, _, _): p.challenge
        }
    }
}
