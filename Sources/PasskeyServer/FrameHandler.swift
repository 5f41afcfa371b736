import Logging
import NIOCore
import NIOTLS  // TLSUserEvent (swift-nio; NIOSSL depends on it)
import PasskeyWire

/// One connection: splits the byte stream into frames, runs requests, writes responses.
///
/// Requests run inline on the event loop (no thread hand-off); all frames of one read are handled in one pass and
/// their responses leave in one flush. Batches above `offloadBatchItems` go to the worker pool so they cannot hold up
/// the small requests behind them — their responses may overtake earlier ones, which is why responses carry ids.
/// Back-pressure: when this connection has `maxInFlightPerConnection` offloaded requests outstanding, or its
/// peer stops reading our responses, we stop reading its requests until that clears.
///
/// Slow clients: a frame that has started to arrive must be complete within `frameTimeoutMs` (the idle timer alone
/// never frees a client that trickles a byte a second), and a TLS handshake must finish within the same time.
final class FrameHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = Never
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let core: ServerCore
    private let limits: WireLimits
    private var input: ByteBuffer?
    private var output: ByteBuffer?
    private var offloaded = 0
    private var readsPaused = false
    private var readPending = false
    private var closing = false
    private var framesThisRead = 0
    private let checkPeer: PeerCheck?
    private let frameTimeout: TimeAmount?
    private var awaitsTLSHandshake: Bool
    /// Armed while a partial frame sits in `input` and reads are not paused by us; re-armed when a frame completes.
    private var frameDeadline: Scheduled<Void>?
    private var handshakeDeadline: Scheduled<Void>?

    init(core: ServerCore, checkPeer: PeerCheck? = nil, awaitsTLSHandshake: Bool = false) {
        self.core = core
        self.limits = core.configuration.limits
        self.checkPeer = checkPeer
        let ms = core.configuration.frameTimeoutMs
        self.frameTimeout = ms > 0 ? .milliseconds(Int64(ms)) : nil
        self.awaitsTLSHandshake = awaitsTLSHandshake
    }

    // MARK: - Lifecycle

    func channelActive(context: ChannelHandlerContext) {
        let n = core.state.connections.wrappingAdd(1, ordering: .relaxed).newValue
        core.metrics.connections.record(n)
        if n > limits.maxConnections {
            core.metrics.requestError(.overloaded)
            sendErrorAndClose(context, code: .overloaded, message: "the server has reached its maximum of \(limits.maxConnections) connections")
        } else if let checkPeer {
            // Read nothing until the peer's UID is known to be allowed.
            readsPaused = true
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            let logger = core.logger
            PeerCredentials.uid(of: context.channel).whenSuccess { uid in
                let (handler, context) = bound.value
                if let uid, checkPeer.allowedUIDs.contains(uid) {
                    handler.readsPaused = false
                    handler.updateReadPause(context)
                    handler.readPending = false
                    context.read()
                } else {
                    logger.warning("refused a Unix-socket peer", metadata: ["uid": "\(uid.map(String.init) ?? "unknown")"])
                    context.close(promise: nil)
                }
            }
        }
        if awaitsTLSHandshake, let frameTimeout, !closing {
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            handshakeDeadline = context.eventLoop.scheduleTask(in: frameTimeout) {
                let (handler, context) = bound.value
                handler.handshakeDeadline = nil
                guard handler.awaitsTLSHandshake else { return }
                handler.core.logger.debug("closing a connection whose TLS handshake did not finish in time")
                context.close(promise: nil)
            }
        }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        frameDeadline?.cancel()
        frameDeadline = nil
        handshakeDeadline?.cancel()
        handshakeDeadline = nil
        let n = core.state.connections.wrappingSubtract(1, ordering: .relaxed).newValue
        core.metrics.connections.record(n)
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tls = event as? TLSUserEvent, case .handshakeCompleted = tls {
            awaitsTLSHandshake = false
            handshakeDeadline?.cancel()
            handshakeDeadline = nil
        }
        if event is IdleStateHandler.IdleStateEvent, offloaded == 0 {
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

    // MARK: - Reading

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        let bytes = unwrapInboundIn(data)
        if input == nil {
            input = bytes
        } else {
            var b = bytes
            input!.writeBuffer(&b)
        }
        processFrames(context)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flushOutput(context)
        if framesThisRead > 0 {
            core.metrics.framesPerRead.record(framesThisRead)
            framesThisRead = 0
        }
        context.fireChannelReadComplete()
    }

    private func processFrames(_ context: ChannelHandlerContext) {
        var completed = 0
        defer { refreshFrameDeadline(context, progressed: completed > 0) }
        while !closing, var buffer = input {
            let header = buffer.withUnsafeReadableBytes { Frame.parseHeader($0, maximum: limits.maxFrameBytes) }
            guard let header else { break }
            switch header {
            case let .failure(problem):
                input = nil
                let code: WireErrorCode = if case .tooLarge = problem.problem { .frameTooLarge } else { .malformedFrame }
                core.metrics.requestError(code)
                sendErrorAndClose(context, code: code, message: problem.description)
                return
            case let .success(length):
                guard buffer.readableBytes >= Frame.headerSize + length else { break }
                let start = buffer.readerIndex + Frame.headerSize
                handleFrame(context, buffer: buffer, payloadStart: start, length: length)
                buffer.moveReaderIndex(forwardBy: Frame.headerSize + length)
                input = buffer
                framesThisRead += 1
                completed += 1
                continue
            }
            break
        }
        // Keep the buffer small: forget it when drained, compact when much has been consumed.
        if let b = input {
            if b.readableBytes == 0 {
                input = nil
            } else if b.readerIndex > 64 << 10 {
                input!.discardReadBytes()
            }
        }
    }

    private func handleFrame(_ context: ChannelHandlerContext, buffer: ByteBuffer, payloadStart: Int, length: Int) {
        let started = NIODeadline.now()
        let executor = core.executor()
        let summary = buffer.withUnsafeReadableBytes { all in
            executor.decode(UnsafeRawBufferPointer(rebasing: all[(payloadStart - buffer.readerIndex)..<(payloadStart - buffer.readerIndex + length)]))
        }
        guard let summary else {
            core.metrics.requestError(.malformedFrame)
            sendErrorAndClose(context, code: .malformedFrame, message: "the frame payload is not a passkeyd.v1.Request")
            return
        }
        if core.state.draining.load(ordering: .relaxed) {
            core.metrics.requestError(.shuttingDown)
            emit(context, executor.errorResponse(id: summary.id, code: .shuttingDown, message: "the server is shutting down"))
            return
        }
        guard core.state.admit(limit: limits.maxInFlight) else {
            core.metrics.requestError(.overloaded)
            emit(context, executor.errorResponse(id: summary.id, code: .overloaded, message: "the server has \(limits.maxInFlight) requests in flight; retry later"))
            return
        }
        if summary.itemCount > 1 { core.metrics.batchSize.record(summary.itemCount) }
        let isBatch = summary.method == .verifyAuthenticationBatch || summary.method == .verifyRegistrationBatch
        if isBatch, summary.itemCount >= core.configuration.offloadBatchItems, summary.itemCount <= limits.maxBatchItems {
            offload(context, payload: buffer.getSlice(at: payloadStart, length: length)!, summary: summary, started: started)
            return
        }
        let response = executor.execute(snapshot: core.snapshot)
        emit(context, response)
        core.state.finish()
        core.metrics.latency[summary.method]?.recordNanoseconds(Int64(NIODeadline.now().uptimeNanoseconds - started.uptimeNanoseconds))
    }

    // MARK: - Frame deadline

    /// Arms the deadline when a partial frame is waiting on the client, keeps it while that same frame is still
    /// incomplete, re-arms it when a frame completed, and disarms it when nothing is pending or we paused reading.
    private func refreshFrameDeadline(_ context: ChannelHandlerContext, progressed: Bool) {
        guard let frameTimeout else { return }
        let waitingOnClient = !closing && !readsPaused && (input?.readableBytes ?? 0) > 0
        if !waitingOnClient {
            frameDeadline?.cancel()
            frameDeadline = nil
            return
        }
        if frameDeadline != nil, !progressed { return }
        frameDeadline?.cancel()
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        frameDeadline = context.eventLoop.scheduleTask(in: frameTimeout) {
            let (handler, context) = bound.value
            handler.frameDeadlinePassed(context)
        }
    }

    private func frameDeadlinePassed(_ context: ChannelHandlerContext) {
        frameDeadline = nil
        guard !closing, context.channel.isActive else { return }
        let ms = core.configuration.frameTimeoutMs
        core.metrics.requestError(.deadlineExceeded)
        core.logger.debug("closing a connection whose frame did not complete in time", metadata: ["frame_timeout_ms": "\(ms)"])
        input = nil
        sendErrorAndClose(context, code: .deadlineExceeded, message: "a frame was not completed within \(ms) ms; closing the connection")
    }

    // MARK: - Worker pool

    private func offload(_ context: ChannelHandlerContext, payload: ByteBuffer, summary: RequestSummary, started: NIODeadline) {
        offloaded += 1
        updateReadPause(context)
        let loop = context.eventLoop
        let bound = NIOLoopBound((self, context), eventLoop: loop)
        let core = self.core
        let allocator = context.channel.allocator
        let deadlineMs = summary.deadlineMs != 0 ? Int(summary.deadlineMs) : limits.defaultDeadlineMs
        let deadline = started + .milliseconds(Int64(deadlineMs))
        core.offloadPool.submit { _ in
            let executor = core.executor()
            var out: ByteBuffer
            let encoded: EncodedResponse
            if NIODeadline.now() > deadline {
                core.metrics.requestError(.deadlineExceeded)
                encoded = executor.errorResponse(id: summary.id, code: .deadlineExceeded, message: "the request waited longer than its \(deadlineMs) ms deadline")
            } else if payload.withUnsafeReadableBytes({ executor.decode($0) }) != nil {
                encoded = executor.execute(snapshot: core.snapshot)
            } else {
                encoded = executor.errorResponse(id: summary.id, code: .internalError, message: "the request could not be decoded again")
            }
            out = allocator.buffer(capacity: encoded.frameSize)
            out.writeWithUnsafeMutableBytes(minimumWritableBytes: encoded.frameSize) { p in
                encoded.writeFrame(into: p)
                return encoded.frameSize
            }
            let response = out
            loop.execute {
                let (handler, context) = bound.value
                handler.offloadFinished(context, response: response)
                core.metrics.latency[summary.method]?.recordNanoseconds(Int64(NIODeadline.now().uptimeNanoseconds - started.uptimeNanoseconds))
            }
        }
    }

    private func offloadFinished(_ context: ChannelHandlerContext, response: ByteBuffer) {
        offloaded -= 1
        core.state.finish()
        if context.channel.isActive {
            let written = context.writeAndFlush(wrapOutboundOut(response))
            if closing, offloaded == 0 {
                // A connection-level error was sent while this was running: close now that it is answered.
                let channel = context.channel
                written.whenComplete { _ in channel.close(promise: nil) }
            }
        }
        updateReadPause(context)
    }

    // MARK: - Writing

    private func emit(_ context: ChannelHandlerContext, _ response: EncodedResponse) {
        if output == nil { output = context.channel.allocator.buffer(capacity: max(4096, response.frameSize)) }
        output!.writeWithUnsafeMutableBytes(minimumWritableBytes: response.frameSize) { p in
            response.writeFrame(into: p)
            return response.frameSize
        }
        if !core.configuration.batching { flushOutput(context) }
    }

    private func flushOutput(_ context: ChannelHandlerContext) {
        guard let out = output, out.readableBytes > 0 else { return }
        output = nil
        context.writeAndFlush(wrapOutboundOut(out), promise: nil)
        updateReadPause(context)
    }

    private func sendErrorAndClose(_ context: ChannelHandlerContext, code: WireErrorCode, message: String) {
        closing = true
        let encoded = core.executor().errorResponse(id: 0, code: code, message: message)
        flushOutput(context)
        var out = context.channel.allocator.buffer(capacity: encoded.frameSize)
        out.writeWithUnsafeMutableBytes(minimumWritableBytes: encoded.frameSize) { p in
            encoded.writeFrame(into: p)
            return encoded.frameSize
        }
        let channel = context.channel
        let written = context.writeAndFlush(wrapOutboundOut(out))
        updateReadPause(context)
        // Requests already on the worker pool are still answered; the last of them closes the connection.
        if offloaded == 0 {
            written.whenComplete { _ in channel.close(promise: nil) }
        }
    }

    // MARK: - Back-pressure

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        updateReadPause(context)
        context.fireChannelWritabilityChanged()
    }

    private func updateReadPause(_ context: ChannelHandlerContext) {
        let shouldPause = closing || offloaded >= limits.maxInFlightPerConnection || !context.channel.isWritable
        if shouldPause == readsPaused { return }
        readsPaused = shouldPause
        refreshFrameDeadline(context, progressed: true)
        if !shouldPause, readPending {
            readPending = false
            context.read()
        }
    }

    func read(context: ChannelHandlerContext) {
        if readsPaused {
            readPending = true
        } else {
            context.read()
        }
    }
}
