import PasskeyProtocol
import PasskeyJSON
internal import CPasskeyProto
public import PasskeyCOSE
import PasskeyCrypto
public import PasskeyWebAuthn

/// Decodes one request, runs it against the engine and encodes the response — no transport, no threads.
///
/// One per thread: it owns the protobuf-c arena (reset before every request, so steady state allocates nothing for
/// unpacking or packing), the `WebAuthnVerifier` scratch and a JSON reader. Byte fields are handed to the engine as
/// views into the arena; nothing is copied into Swift arrays on the raw-fields path.
public final class WireExecutor {
    /// The arena of the current request; replaced by a spare from `pool` when a request is handed to the shared
    /// replay store with its arena (`WaitingRequest`).
    private(set) var arena: OpaquePointer
    let pool: ArenaPool
    /// How issued challenges are recorded as used.
    public let replay: ChallengeReplayMode
    /// Items of the current request that wait for the shared replay store.
    var waiting: [WaitingItem] = []
    /// Unix ms at which the current request's issued challenges are checked (the wall clock, never the policy's
    /// verification time: a gateway cannot revive an expired challenge by asking for an earlier time).
    var requestNowMs: Int64 = 0
    let verifier: WebAuthnVerifier
    let registry: RelyingPartyRegistry
    let description: ServerDescription
    var responseReader = JSONReader()
    var current: UnsafeMutablePointer<Passkeyd__V1__Request>?
    /// This thread's last inline policy (its encoding and party): a gateway sends the same policy with every request,
    /// and the memo answers it without the registry's lock or a hash.
    var inlineMemo: InlineMemo?
    /// Called once per verification outcome (per batch item): the method and the result's wire code (`.none` when
    /// it verified). Typed, so a flood of rejections allocates nothing here.
    public var onVerdict: ((WireMethod, PasskeydErrorCode) -> Void)?

    /// What unpacking one request may take from the arena (see `UnpackBudget`).
    public let unpackBudget: UnpackBudget

    public init(
        registry: RelyingPartyRegistry, keyCache: KeyCache, description: ServerDescription, arenaBytes: Int = 256 << 10,
        unpackBudget: UnpackBudget = .default, replay: ChallengeReplayMode = .inline(InMemoryReplayStore(capacity: 65_536))
    ) {
        self.arena = passkey_arena_create(arenaBytes)!
        self.pool = ArenaPool(blockBytes: arenaBytes)
        self.replay = replay
        self.verifier = WebAuthnVerifier(keyCache: keyCache)
        self.registry = registry
        self.description = description
        self.unpackBudget = unpackBudget
    }

    deinit { passkey_arena_destroy(arena) }

    /// Unpacks a frame payload as a `Request`; nil when it is not one or when unpacking it would exceed the budget.
    public func decode(_ payload: UnsafeRawBufferPointer) -> RequestSummary? {
        if case let .decoded(summary) = decodeRequest(payload) { return summary }
        return nil
    }

    /// Unpacks a frame payload as a `Request` within `unpackBudget`.
    ///
    /// The budget holds while protobuf-c unpacks; execution and the response are not capped by it (their size follows
    /// from the items, which the budget already bounds, and a half-built response could not be answered). After a
    /// failure the arena is reset at once, so its spill chunks go back to the system before the error is answered.
    public func decodeRequest(_ payload: UnsafeRawBufferPointer) -> DecodeOutcome {
        passkey_arena_reset(arena)
        current = nil
        let budget = unpackBudget.bytes(forPayload: payload.count)
        passkey_arena_set_budget(arena, budget)
        let base = payload.baseAddress?.assumingMemoryBound(to: UInt8.self)
        let unpacked = passkeyd__v1__request__unpack(passkey_arena_allocator(arena), payload.count, base)
        let exhausted = passkey_arena_exhausted(arena) != 0
        passkey_arena_set_budget(arena, 0)
        guard let request = unpacked, !exhausted else {
            passkey_arena_reset(arena)
            return exhausted ? .resourceExhausted(budget: budget) : .malformed
        }
        current = request
        let r = request.pointee
        let method: WireMethod
        var items = 0
        switch r.method_case {
        case PASSKEYD__V1__REQUEST__METHOD_VERIFY_REGISTRATION: method = .verifyRegistration; items = 1
        case PASSKEYD__V1__REQUEST__METHOD_VERIFY_AUTHENTICATION: method = .verifyAuthentication; items = 1
        case PASSKEYD__V1__REQUEST__METHOD_VERIFY_AUTHENTICATION_BATCH:
            method = .verifyAuthenticationBatch
            items = r.verify_authentication_batch.map { Int($0.pointee.n_items) } ?? 0
        case PASSKEYD__V1__REQUEST__METHOD_VERIFY_REGISTRATION_BATCH:
            method = .verifyRegistrationBatch
            items = r.verify_registration_batch.map { Int($0.pointee.n_items) } ?? 0
        case PASSKEYD__V1__REQUEST__METHOD_HEALTH: method = .health
        case PASSKEYD__V1__REQUEST__METHOD_SERVER_INFO: method = .serverInfo
        case PASSKEYD__V1__REQUEST__METHOD_GENERATE_REGISTRATION_OPTIONS: method = .generateRegistrationOptions; items = 1
        case PASSKEYD__V1__REQUEST__METHOD_GENERATE_AUTHENTICATION_OPTIONS: method = .generateAuthenticationOptions; items = 1
        default: method = .unknown
        }
        return .decoded(RequestSummary(id: r.id, method: method, deadlineMs: r.deadline_ms, itemCount: items))
    }

    /// Runs the request last decoded and encodes its response. With a deferred replay store, a request that would
    /// wait for it is answered `UNAVAILABLE` here: transports that have such a store call `executeRequest`.
    public func execute(snapshot: ServerSnapshot) -> EncodedResponse {
        switch executeRequest(snapshot: snapshot) {
        case let .response(encoded):
            return encoded
        case let .waiting(w):
            let id = w.id
            w.release()
            return errorResponse(id: id, code: .unavailable, message: "no shared challenge store is attached to this executor")
        }
    }

    /// Runs the request last decoded: its encoded response, or — when items verified against issued challenges and
    /// the replay store is the shared one — the request waiting for the store, holding this arena (the executor
    /// continues with a spare one).
    public func executeRequest(snapshot: ServerSnapshot) -> ExecuteOutcome {
        guard let request = current else {
            return .response(errorResponse(id: 0, code: .internalError, message: "no decoded request to execute"))
        }
        let r = request.pointee
        waiting.removeAll(keepingCapacity: true)
        requestNowMs = WallClock.nowMs()
        let response = newResponse(id: r.id)
        let method: WireMethod
        switch r.method_case {
        case PASSKEYD__V1__REQUEST__METHOD_VERIFY_AUTHENTICATION:
            guard let item = r.verify_authentication else {
                return .response(errorResponse(id: r.id, code: .malformedRequest, message: "verify_authentication is empty"))
            }
            method = .verifyAuthentication
            response.pointee.result_case = PASSKEYD__V1__RESPONSE__RESULT_VERIFY_AUTHENTICATION
            response.pointee.verify_authentication = authenticate(item, method: .verifyAuthentication)
        case PASSKEYD__V1__REQUEST__METHOD_VERIFY_REGISTRATION:
            guard let item = r.verify_registration else {
                return .response(errorResponse(id: r.id, code: .malformedRequest, message: "verify_registration is empty"))
            }
            method = .verifyRegistration
            response.pointee.result_case = PASSKEYD__V1__RESPONSE__RESULT_VERIFY_REGISTRATION
            response.pointee.verify_registration = register(item, method: .verifyRegistration)
        case PASSKEYD__V1__REQUEST__METHOD_VERIFY_AUTHENTICATION_BATCH:
            let batch = r.verify_authentication_batch!.pointee
            let n = Int(batch.n_items)
            guard n <= description.limits.maxBatchItems else {
                return .response(errorResponse(id: r.id, code: .batchTooLarge, message: "batch of \(n) items exceeds the maximum of \(description.limits.maxBatchItems)"))
            }
            method = .verifyAuthenticationBatch
            let out = new(Passkeyd__V1__VerifyAuthenticationBatchResponse.self, passkeyd__v1__verify_authentication_batch_response__init)
            let results = allocPointers(Passkeyd__V1__VerifyAuthenticationResult.self, n)
            for i in 0..<n { results[i] = authenticate(batch.items[i]!, method: .verifyAuthenticationBatch) }
            out.pointee.n_results = n
            out.pointee.results = results
            response.pointee.result_case = PASSKEYD__V1__RESPONSE__RESULT_VERIFY_AUTHENTICATION_BATCH
            response.pointee.verify_authentication_batch = out
        case PASSKEYD__V1__REQUEST__METHOD_VERIFY_REGISTRATION_BATCH:
            let batch = r.verify_registration_batch!.pointee
            let n = Int(batch.n_items)
            guard n <= description.limits.maxBatchItems else {
                return .response(errorResponse(id: r.id, code: .batchTooLarge, message: "batch of \(n) items exceeds the maximum of \(description.limits.maxBatchItems)"))
            }
            method = .verifyRegistrationBatch
            let out = new(Passkeyd__V1__VerifyRegistrationBatchResponse.self, passkeyd__v1__verify_registration_batch_response__init)
            let results = allocPointers(Passkeyd__V1__VerifyRegistrationResult.self, n)
            for i in 0..<n { results[i] = register(batch.items[i]!, method: .verifyRegistrationBatch) }
            out.pointee.n_results = n
            out.pointee.results = results
            response.pointee.result_case = PASSKEYD__V1__RESPONSE__RESULT_VERIFY_REGISTRATION_BATCH
            response.pointee.verify_registration_batch = out
        case PASSKEYD__V1__REQUEST__METHOD_HEALTH:
            let h = new(Passkeyd__V1__HealthResponse.self, passkeyd__v1__health_response__init)
            h.pointee.status = snapshot.draining
                ? PASSKEYD__V1__HEALTH_RESPONSE__STATUS__DRAINING : PASSKEYD__V1__HEALTH_RESPONSE__STATUS__SERVING
            h.pointee.in_flight = snapshot.inFlight
            h.pointee.connections = snapshot.connections
            switch snapshot.challengeStore {
            case .memory:
                h.pointee.challenge_store = PASSKEYD__V1__HEALTH_RESPONSE__CHALLENGE_STORE__CHALLENGE_STORE_MEMORY
            case .connected:
                h.pointee.challenge_store = PASSKEYD__V1__HEALTH_RESPONSE__CHALLENGE_STORE__CHALLENGE_STORE_CONNECTED
            case let .unreachable(message):
                h.pointee.challenge_store = PASSKEYD__V1__HEALTH_RESPONSE__CHALLENGE_STORE__CHALLENGE_STORE_UNREACHABLE
                h.pointee.challenge_store_message = cString(message)
            }
            method = .health
            response.pointee.result_case = PASSKEYD__V1__RESPONSE__RESULT_HEALTH
            response.pointee.health = h
        case PASSKEYD__V1__REQUEST__METHOD_SERVER_INFO:
            method = .serverInfo
            response.pointee.result_case = PASSKEYD__V1__RESPONSE__RESULT_SERVER_INFO
            response.pointee.server_info = serverInfo()
        case PASSKEYD__V1__REQUEST__METHOD_GENERATE_REGISTRATION_OPTIONS,
            PASSKEYD__V1__REQUEST__METHOD_GENERATE_AUTHENTICATION_OPTIONS:
            method = r.method_case == PASSKEYD__V1__REQUEST__METHOD_GENERATE_REGISTRATION_OPTIONS
                ? .generateRegistrationOptions : .generateAuthenticationOptions
            guard executeOptions(r, into: response) else {
                return .response(errorResponse(id: r.id, code: .malformedRequest, message: "the options request is empty"))
            }
        default:
            return .response(errorResponse(id: r.id, code: .unknownMethod, message: "the request names no method this server knows"))
        }
        guard !waiting.isEmpty else { return .response(pack(response)) }
        // Hand the request over with its arena; the next request starts in a spare one.
        let held = arena
        arena = pool.take()
        current = nil
        let w = WaitingRequest(
            id: r.id, method: method, items: waiting, arena: held, response: response, pool: pool, onVerdict: onVerdict)
        waiting.removeAll(keepingCapacity: true)
        return .waiting(w)
    }

    /// Spare arenas held for requests that wait for the shared replay store (tests).
    public var spareArenas: Int { pool.count }

    /// A `Response` carrying a request-level error. It starts from an empty arena (forgetting the decoded request,
    /// if any), so a flood of refusals does not pile up in it.
    public func errorResponse(id: UInt64, code: WireErrorCode, message: String) -> EncodedResponse {
        passkey_arena_reset(arena)
        current = nil
        return writer.pack(writer.errorResponse(id: id, code: code, message: message))
    }

    /// Gives the memory of a request that outgrew the main block back to the system now, instead of at the next
    /// request (which may come much later on this thread). Call once its response has been copied out; it forgets
    /// the decoded request. Costs nothing when the request fitted the block.
    public func releaseSpill() {
        guard passkey_arena_statistics(arena).mapped > 0 else { return }
        passkey_arena_reset(arena)
        current = nil
    }

    /// Spill chunks the arena has mapped since it was created (steady state should not grow this).
    public var arenaSpills: Int { Int(passkey_arena_spills(arena)) }

    /// The arena's counters: bytes of the current request, high-water marks, bytes mapped beyond the main block.
    public var arenaStatistics: ArenaStatistics { ArenaStatistics(passkey_arena_statistics(arena)) }

    // MARK: - Arena helpers (in the current arena)

    var writer: ArenaWriter { ArenaWriter(arena: arena) }

    func newResponse(id: UInt64) -> UnsafeMutablePointer<Passkeyd__V1__Response> { writer.newResponse(id: id) }

    func new<T>(_ t: T.Type, _ initialise: (UnsafeMutablePointer<T>?) -> Void) -> UnsafeMutablePointer<T> {
        writer.new(t, initialise)
    }

    func allocPointers<T>(_ t: T.Type, _ n: Int) -> UnsafeMutablePointer<UnsafeMutablePointer<T>?> {
        writer.allocPointers(t, n)
    }

    func cString(_ s: String) -> UnsafeMutablePointer<CChar> { writer.cString(s) }

    func binary(_ bytes: [UInt8]) -> ProtobufCBinaryData { writer.binary(bytes) }

    func pack(_ response: UnsafeMutablePointer<Passkeyd__V1__Response>) -> EncodedResponse { writer.pack(response) }
}

@inline(__always)
func view(_ d: ProtobufCBinaryData) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: d.data, count: d.len) }

@inline(__always)
func string(_ p: UnsafeMutablePointer<CChar>?) -> String { p.map { String(cString: $0) } ?? "" }
