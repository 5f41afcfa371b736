import PasskeyProtocol
import Logging
import NIOCore
import PasskeyCrypto
import PasskeyWebAuthn
import PasskeyWire

/// Runs the requests of one connection and writes their responses.
///
/// Each frame payload from `RequestFrameDecoder` is prescanned (`RequestPrescan`) before anything is unpacked: a
/// draining server, a batch above `maxBatchItems` and the server-wide in-flight limit are answered from the prescan,
/// with the request's id. Admitted requests are unpacked within the unpack budget (`RESOURCE_EXHAUSTED` past it; the
/// connection stays usable) and run inline on the event loop; batches of at least `offloadBatchItems` go to the
/// worker pool, whose responses may overtake earlier ones (responses carry ids). The responses of one read leave in
/// one flush at the end of the read (or as soon as 256 KiB are waiting).
///
/// Back-pressure instead of buffering: while the peer does not read our responses (the channel is not writable),
/// while `maxInFlightPerConnection` offloaded requests are outstanding, or while the connection closes, the decoder
/// is told to pause (`ReadPause`): it hands over no more frames and reads no more bytes until that clears.
/// Every frame handed over gets exactly one response, unless the connection closes first.
///
/// With the shared replay store (Redis), a request whose items verified against issued challenges waits for the
/// store without blocking the loop: the executor hands it over as a `WaitingRequest` (holding its own arena), the
/// store answers on this loop, and the patched response is written then. Waiting requests keep their in-flight slot
/// (so drain waits for them) and count against `maxInFlightPerConnection` like offloaded ones.
final class RequestHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = Never
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Responses waiting beyond this are written out before the read ends, so writability tells the truth.
    static let flushThreshold = 256 << 10
    /// The output buffer kept between reads is at most this large (single responses are tens of bytes).
    static let keptOutputBytes = 16 << 10
    /// Responses coalesced into one write are bounded by the verifications they carry: under a backlog (an open-loop
    /// gateway, a burst) one read event can bring hundreds of frames, and holding every answer to the end of the read
    /// made the first ones wait for all the others' verifies (p99 of several ms at 70 % load). A write leaves once the
    /// responses waiting in it carry 8 verifications (a single RPC counts 1, a batch its items, health 1): about
    /// 0.4 ms of ES256 work held at most, while a closed-loop pipeline of depth 8 still gets one write per read.
    /// Counted, not timed, so the outcome does not depend on the machine's speed.
    static let coalescedWork = 8

    private let core: ServerCore
    private let limits: WireLimits
    private let offload: Offload
    /// The responses of the current read, written with its one flush. Kept between reads (`emit` clears it): once
    /// the socket has taken the bytes the storage is ours alone again, so a steady connection allocates no output
    /// buffer per read; one that grew past `keptOutputBytes` (a large batch) is let go after its flush.
    private var output: ByteBuffer?
    /// The verifications carried by the responses in `output` not yet written (see `coalescedWork`).
    private var pendingWork = 0
    private var offloaded = 0
    /// Requests waiting for the shared replay store.
    private var waiting = 0
    /// Inside channelRead…channelReadComplete: responses then leave with the read's one flush.
    private var reading = false
    private var paused = false
    private var closing = false
    private var framesThisRead = 0

    init(core: ServerCore, offload: Offload) {
        self.core = core
        self.limits = core.configuration.limits
        self.offload = offload
    }

    // MARK: - Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        framesThisRead += 1
        reading = true
        handle(context, payload: unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        reading = false
        flushOutput(context)
        if framesThisRead > 0 {
            core.metrics.framesPerRead.record(framesThisRead)
            framesThisRead = 0
        }
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let refused = event as? FrameRefused {
            core.metrics.requestError(refused.code)
            if refused.code == .deadlineExceeded {
                core.logger.debug("closing a connection whose frame did not complete in time")
            }
            sendErrorAndClose(context, code: refused.code, message: refused.message)
            return
        }
        if event is IdleStateHandler.IdleStateEvent, outstanding == 0 {
            core.logger.debug("closing an idle connection")
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        core.logger.debug("connection error: \(error)")
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        updatePause(context)
        context.fireChannelWritabilityChanged()
    }

    // MARK: - One request

    private func handle(_ context: ChannelHandlerContext, payload: ByteBuffer) {
        let started = NIODeadline.now()
        guard let scan = payload.withUnsafeReadableBytes({ RequestPrescan.scan($0) }) else {
            malformed(context)
            return
        }
        let executor = core.executor()
        if core.state.draining.load(ordering: .relaxed) {
            refuse(context, executor, scan.id, .shuttingDown, "the server is shutting down")
            return
        }
        guard scan.itemCount <= limits.maxBatchItems else {
            refuse(context, executor, scan.id, .batchTooLarge,
                   "batch of \(scan.itemCount) items exceeds the maximum of \(limits.maxBatchItems)")
            return
        }
        guard core.state.admit(limit: limits.maxInFlight) else {
            refuse(context, executor, scan.id, .overloaded,
                   "the server has \(limits.maxInFlight) requests in flight; retry later")
            return
        }
        if scan.itemCount > 1 { core.metrics.batchSize.record(scan.itemCount) }
        let isBatch = scan.method == .verifyAuthenticationBatch || scan.method == .verifyRegistrationBatch
        if isBatch, scan.itemCount >= core.configuration.offloadBatchItems {
            startOffload(context, payload: payload, scan: scan, started: started)
            return
        }
        switch payload.withUnsafeReadableBytes({ executor.decodeRequest($0) }) {
        case .malformed:
            core.state.finish()
            malformed(context)
        case let .resourceExhausted(budget):
            core.state.finish()
            refuse(context, executor, scan.id, .resourceExhausted, Self.exhaustedMessage(budget))
        case let .decoded(summary):
            switch executor.executeRequest(snapshot: core.snapshot) {
            case let .response(encoded):
                emit(context, encoded, work: scan.itemCount)
                executor.releaseSpill()
                core.state.finish()
                core.metrics.latency[summary.method]?.recordNanoseconds(Int64(NIODeadline.now().uptimeNanoseconds - started.uptimeNanoseconds))
            case let .waiting(request):
                awaitStore(context, request, started: started)
            }
        }
    }

    /// Requests this connection has outstanding off the inline path (worker pool, replay store).
    private var outstanding: Int { offloaded + waiting }

    // MARK: - Shared replay store

    /// Asks the shared store to record the request's challenges; the response is written when it answers (on this
    /// loop). Keeps the request's in-flight slot until then.
    private func awaitStore(_ context: ChannelHandlerContext, _ request: WaitingRequest, started: NIODeadline) {
        waiting += 1
        updatePause(context)
        guard let store = core.deferredStore else {
            storeAnswered(context, request, Array(repeating: .unavailable, count: request.challenges.count), started: started)
            return
        }
        store.record(request.challenges, nowMs: WallClock.nowMs(), on: context.eventLoop) { verdicts in
            self.storeAnswered(context, request, verdicts, started: started)
        }
    }

    private func storeAnswered(
        _ context: ChannelHandlerContext, _ request: WaitingRequest, _ verdicts: [ReplayVerdict], started: NIODeadline
    ) {
        let encoded = request.finish(verdicts)
        if verdicts.count != request.challenges.count || verdicts.contains(.unavailable) {
            core.metrics.requestError(.unavailable)
        }
        waiting -= 1
        core.state.finish()
        if context.channel.isActive {
            emit(context, encoded, work: request.challenges.count)
            // Inside a read the read's flush takes it; an answer from the store flushes at once.
            if !reading { flushOutput(context) }
        }
        request.release()
        core.metrics.latency[request.method]?.recordNanoseconds(Int64(NIODeadline.now().uptimeNanoseconds - started.uptimeNanoseconds))
        closeIfDone(context)
        updatePause(context)
    }

    /// After a connection-level error was answered: close once nothing is outstanding and everything has left.
    private func closeIfDone(_ context: ChannelHandlerContext) {
        guard closing, outstanding == 0, context.channel.isActive else { return }
        let channel = context.channel
        let done = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(capacity: 0)), promise: done)
        done.futureResult.whenComplete { _ in channel.close(promise: nil) }
    }

    static func exhaustedMessage(_ budget: Int) -> String {
        "unpacking this request would take more than its budget of \(budget) bytes; nothing was run"
    }

    private func refuse(
        _ context: ChannelHandlerContext, _ executor: WireExecutor, _ id: UInt64, _ code: WireErrorCode, _ message: String
    ) {
        core.metrics.requestError(code)
        emit(context, executor.errorResponse(id: id, code: code, message: message))
    }

    private func malformed(_ context: ChannelHandlerContext) {
        core.metrics.requestError(.malformedFrame)
        sendErrorAndClose(context, code: .malformedFrame, message: "the frame payload is not a passkeyd.v1.Request")
    }

    // MARK: - Worker pool

    private func startOffload(_ context: ChannelHandlerContext, payload: ByteBuffer, scan: RequestPrescan, started: NIODeadline) {
        offloaded += 1
        updatePause(context)
        let core = self.core
        let allocator = context.channel.allocator
        let deadlineMs = scan.deadlineMs != 0 ? Int(scan.deadlineMs) : limits.defaultDeadlineMs
        let deadline = started + .milliseconds(Int64(deadlineMs))
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        offload.run(context.eventLoop) {
            Self.runOffloaded(core: core, payload: payload, scan: scan, deadline: deadline, deadlineMs: deadlineMs, allocator: allocator)
        }.whenComplete { result in
            let (handler, context) = bound.value
            let done: OffloadResult
            switch result {
            case let .success(r): done = r
            case .failure:
                // The pool no longer runs work: the server is stopping.
                let frame = core.errorFrame(id: scan.id, code: .shuttingDown, message: "the server is shutting down", allocator: allocator)
                done = OffloadResult(response: frame, closeAfter: false)
            }
            if let request = done.waiting {
                // Verified on the pool; now the shared store, from this loop (the slot is kept until it answers).
                handler.offloaded -= 1
                handler.awaitStore(context, request, started: started)
                return
            }
            handler.offloadFinished(context, done)
            core.metrics.latency[scan.method]?.recordNanoseconds(Int64(NIODeadline.now().uptimeNanoseconds - started.uptimeNanoseconds))
        }
    }

    /// On a worker thread: unpack (within the budget) and run a large batch, or refuse it.
    private static func runOffloaded(
        core: ServerCore, payload: ByteBuffer, scan: RequestPrescan, deadline: NIODeadline, deadlineMs: Int,
        allocator: ByteBufferAllocator
    ) -> OffloadResult {
        let executor = core.executor()
        let encoded: EncodedResponse
        var closeAfter = false
        if NIODeadline.now() > deadline {
            core.metrics.requestError(.deadlineExceeded)
            encoded = executor.errorResponse(id: scan.id, code: .deadlineExceeded, message: "the request waited longer than its \(deadlineMs) ms deadline")
        } else {
            switch payload.withUnsafeReadableBytes({ executor.decodeRequest($0) }) {
            case .decoded:
                switch executor.executeRequest(snapshot: core.snapshot) {
                case let .response(r): encoded = r
                case let .waiting(request): return OffloadResult(response: ByteBuffer(), closeAfter: false, waiting: request)
                }
            case let .resourceExhausted(budget):
                core.metrics.requestError(.resourceExhausted)
                encoded = executor.errorResponse(id: scan.id, code: .resourceExhausted, message: exhaustedMessage(budget))
            case .malformed:
                // Only the prescan had looked at it; the connection is closed behind this answer, as on the loop.
                core.metrics.requestError(.malformedFrame)
                encoded = executor.errorResponse(id: 0, code: .malformedFrame, message: "the frame payload is not a passkeyd.v1.Request")
                closeAfter = true
            }
        }
        let response = frame(encoded, allocator: allocator)
        executor.releaseSpill()
        return OffloadResult(response: response, closeAfter: closeAfter)
    }

    private func offloadFinished(_ context: ChannelHandlerContext, _ done: OffloadResult) {
        offloaded -= 1
        core.state.finish()
        guard context.channel.isActive else { return }
        let written = context.writeAndFlush(wrapOutboundOut(done.response))
        if done.closeAfter, !closing {
            closing = true
        }
        if closing, outstanding == 0 {
            // A connection-level error was answered: close once everything before it has left.
            let channel = context.channel
            written.whenComplete { _ in channel.close(promise: nil) }
        }
        updatePause(context)
    }

    static func frame(_ encoded: EncodedResponse, allocator: ByteBufferAllocator) -> ByteBuffer {
        var out = allocator.buffer(capacity: encoded.frameSize)
        out.writeWithUnsafeMutableBytes(minimumWritableBytes: encoded.frameSize) { p in
            encoded.writeFrame(into: p)
            return encoded.frameSize
        }
        return out
    }

    // MARK: - Writing

    private func emit(_ context: ChannelHandlerContext, _ response: EncodedResponse, work: Int = 1) {
        if output == nil {
            output = context.channel.allocator.buffer(capacity: max(2048, response.frameSize))
        } else if output!.readableBytes == 0 {
            // Written out by the last flush: reuse the storage (clear() copies only if the channel still holds it).
            output!.clear()
        }
        output!.writeWithUnsafeMutableBytes(minimumWritableBytes: response.frameSize) { p in
            response.writeFrame(into: p)
            return response.frameSize
        }
        pendingWork += max(1, work)
        if !core.configuration.batching || output!.readableBytes >= Self.flushThreshold || pendingWork >= Self.coalescedWork {
            flushOutput(context)
        }
    }

    private func flushOutput(_ context: ChannelHandlerContext) {
        guard let out = output, out.readableBytes > 0 else { return }
        pendingWork = 0
        if out.capacity > Self.keptOutputBytes {
            output = nil
        } else {
            output!.moveReaderIndex(forwardBy: out.readableBytes)
        }
        context.writeAndFlush(wrapOutboundOut(out), promise: nil)
        updatePause(context)
    }

    private func sendErrorAndClose(_ context: ChannelHandlerContext, code: WireErrorCode, message: String) {
        guard !closing else { return }
        closing = true
        flushOutput(context)
        let out = core.errorFrame(code: code, message: message, allocator: context.channel.allocator)
        let channel = context.channel
        let written = context.writeAndFlush(wrapOutboundOut(out))
        updatePause(context)
        // Requests already on the worker pool or at the replay store are still answered; the last of them closes
        // the connection.
        if outstanding == 0 {
            written.whenComplete { _ in channel.close(promise: nil) }
        }
    }

    // MARK: - Back-pressure

    private func updatePause(_ context: ChannelHandlerContext) {
        let shouldPause = closing || outstanding >= limits.maxInFlightPerConnection || !context.channel.isWritable
        guard shouldPause != paused else { return }
        paused = shouldPause
        context.triggerUserOutboundEvent(shouldPause ? ReadPause.pause : ReadPause.resume, promise: nil)
    }
}

/// What the worker pool hands back: the response frame, and whether the connection closes behind it; or a request
/// that verified and now waits for the shared replay store.
struct OffloadResult: Sendable {
    let response: ByteBuffer
    let closeAfter: Bool
    var waiting: WaitingRequest? = nil
}

/// Runs work off the event loop and completes on it. The server uses its `NIOThreadPool`; tests run the work
/// themselves, on the thread of their `EmbeddedEventLoop`.
struct Offload: Sendable {
    let body: @Sendable (_ loop: EventLoop, _ work: @escaping @Sendable () -> OffloadResult) -> EventLoopFuture<OffloadResult>

    func run(_ loop: EventLoop, _ work: @escaping @Sendable () -> OffloadResult) -> EventLoopFuture<OffloadResult> {
        body(loop, work)
    }
}
