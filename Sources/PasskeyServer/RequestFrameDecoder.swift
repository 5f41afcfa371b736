import PasskeyProtocol
import NIOCore
import PasskeyWire

/// Splits a connection's bytes into frame payloads (slices of one buffer, no copy) for `RequestHandler`, and is the
/// connection's read gate.
///
/// - The 5-byte header is checked before its payload is buffered: a bad flag byte is refused as soon as it arrives,
///   a length above the maximum as soon as the header is complete (`FrameRefused`; the request handler answers and
///   closes).
/// - Buffering: when a read ends inside a frame, the unread bytes move into a buffer of exactly that frame's size (so
///   the buffer neither doubles as it fills nor keeps a large read buffer alive for a small remainder). A frame larger
///   than `freeBytes` first reserves its size from the server-wide `PartialFrameBudget`; while it cannot, the
///   connection is not read.
/// - Frame deadline: a frame that has begun to arrive must be complete within `frameTimeout` of its first byte (or of
///   the last completed frame, or of reading resuming after a pause), else `FrameRefused(.deadlineExceeded)`. One
///   timer per connection, re-armed lazily: no task is scheduled per read.
/// - Reads pause for the budget and when `RequestHandler` sends `ReadPause.pause`; frames already read then stay
///   here, so nothing is answered into a socket whose peer is not reading.
final class RequestFrameDecoder: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Partial frames up to this size never wait for the budget (a single read brings up to 64 KiB anyway).
    static let freeBytes = 64 << 10

    private let maximumPayload: Int
    private let frameTimeout: TimeAmount?
    private let budget: PartialFrameBudget?

    private var buffer: ByteBuffer?
    /// Bytes reserved from the budget for the partial frame at the front of `buffer`.
    private var reserved = 0
    /// Our place in the budget's queue while we wait.
    private var ticket: UInt64?
    private var downstreamPaused = false
    private var readPending = false
    private var emitting = false
    private var stopped = false
    /// When the client's current frame started counting against the deadline; nil while nothing is awaited from it.
    private var awaitingSince: NIODeadline?
    private var deadlineTimer: Scheduled<Void>?

    init(maximumPayload: Int, frameTimeout: TimeAmount?, budget: PartialFrameBudget?) {
        self.maximumPayload = maximumPayload
        self.frameTimeout = frameTimeout
        self.budget = budget
    }

    private var gateOpen: Bool { !stopped && !downstreamPaused && ticket == nil }

    // MARK: - Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !stopped else { return }
        var bytes = unwrapInboundIn(data)
        if buffer == nil {
            buffer = bytes
        } else {
            buffer!.writeBuffer(&bytes)
        }
        let handed = handOver(context)
        settle(context, progressed: handed > 0)
    }

    func channelInactive(context: ChannelHandlerContext) {
        stop()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stop()
    }

    /// Hands every complete frame at the front of the buffer downstream, until the buffer runs out, the stream is
    /// refused, or downstream pauses. Returns how many it handed over.
    private func handOver(_ context: ChannelHandlerContext) -> Int {
        emitting = true
        defer { emitting = false }
        var handed = 0
        while !stopped, !downstreamPaused, let b = buffer {
            let length: Int
            switch b.withUnsafeReadableBytes({ Frame.next($0, maximum: maximumPayload) }) {
            case .needMoreData:
                return handed
            case let .invalid(problem):
                let code: WireErrorCode = if case .tooLarge = problem.problem { .frameTooLarge } else { .malformedFrame }
                refuse(context, code, problem.description)
                return handed
            case let .frame(n):
                length = n
            }
            let payload = b.getSlice(at: b.readerIndex + Frame.headerSize, length: length)!
            buffer!.moveReaderIndex(forwardBy: Frame.headerSize + length)
            if reserved > 0 {
                budget?.release(reserved)
                reserved = 0
            }
            handed += 1
            context.fireChannelRead(wrapInboundOut(payload))
        }
        return handed
    }

    /// After a pass: drop or compact the buffer, reserve for a large partial frame, and keep the deadline in step.
    private func settle(_ context: ChannelHandlerContext, progressed: Bool) {
        guard !stopped else { return }
        guard let b = buffer, b.readableBytes > 0 else {
            buffer = nil
            awaitingSince = nil
            return
        }
        if let frameSize = partialFrameSize(b) {
            if frameSize > Self.freeBytes, reserved < frameSize, ticket == nil {
                guard reserve(context, frameSize) else {
                    awaitingSince = nil
                    return
                }
            }
            fit(context, capacity: frameSize)
        } else if b.readableBytes < Frame.headerSize {
            // Part of a header: keep a few bytes, not the read buffer they came in.
            if b.capacity > 4096 { fit(context, capacity: 64) }
        } else if b.readerIndex > b.capacity / 2 {
            // Complete frames waiting for downstream to resume: let go of what was consumed.
            fit(context, capacity: b.readableBytes)
        }
        refreshDeadline(context, progressed: progressed)
    }

    /// The full size (header included) of a frame that has started but is not complete; nil when the buffer starts
    /// with a complete frame, does not hold a whole header yet, or holds one that will be refused (a header read
    /// while downstream was paused has not been checked yet: it must not size the buffer).
    private func partialFrameSize(_ b: ByteBuffer) -> Int? {
        guard case let .success(length)? = b.withUnsafeReadableBytes({ Frame.parseHeader($0, maximum: maximumPayload) })
        else { return nil }
        let size = Frame.headerSize + length
        return b.readableBytes < size ? size : nil
    }

    /// Moves the unread bytes into a buffer of `capacity` unless the current one already holds that much from its
    /// reader index without wasting more than twice it (plus 4 KiB, so small frames are not copied for nothing).
    private func fit(_ context: ChannelHandlerContext, capacity: Int) {
        guard let b = buffer else { return }
        let room = b.capacity - b.readerIndex
        if room >= capacity, b.capacity <= 2 * capacity + 4096 { return }
        var fresh = context.channel.allocator.buffer(capacity: max(capacity, b.readableBytes))
        var old = b
        fresh.writeBuffer(&old)
        buffer = fresh
    }

    // MARK: - Budget

    private func reserve(_ context: ChannelHandlerContext, _ size: Int) -> Bool {
        guard let budget else { return true }
        let extra = size - reserved
        if budget.tryReserve(extra) {
            reserved = size
            return true
        }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        ticket = budget.wait(for: extra) {
            bound.eventLoop.execute {
                let (decoder, context) = bound.value
                decoder.granted(context, extra: extra, size: size)
            }
        }
        return false
    }

    private func granted(_ context: ChannelHandlerContext, extra: Int, size: Int) {
        guard ticket != nil, !stopped else {
            budget?.release(extra)
            return
        }
        ticket = nil
        reserved = size
        fit(context, capacity: size)
        gateMayHaveOpened(context)
    }

    // MARK: - Deadline

    private func refreshDeadline(_ context: ChannelHandlerContext, progressed: Bool) {
        guard let frameTimeout else { return }
        guard gateOpen, buffer.map({ $0.readableBytes > 0 }) == true else {
            awaitingSince = nil
            return
        }
        if awaitingSince == nil || progressed { awaitingSince = context.eventLoop.now }
        armTimer(context, at: awaitingSince! + frameTimeout)
    }

    private func armTimer(_ context: ChannelHandlerContext, at deadline: NIODeadline) {
        guard deadlineTimer == nil else { return }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        deadlineTimer = context.eventLoop.scheduleTask(deadline: deadline) {
            let (decoder, context) = bound.value
            decoder.timerFired(context)
        }
    }

    private func timerFired(_ context: ChannelHandlerContext) {
        deadlineTimer = nil
        guard !stopped, let since = awaitingSince, let frameTimeout else { return }
        if context.eventLoop.now >= since + frameTimeout {
            buffer = nil
            let ms = frameTimeout.nanoseconds / 1_000_000
            refuse(context, .deadlineExceeded, "a frame was not completed within \(ms) ms; closing the connection")
        } else {
            armTimer(context, at: since + frameTimeout)
        }
    }

    // MARK: - Read gate

    func read(context: ChannelHandlerContext) {
        if gateOpen {
            context.read()
        } else {
            readPending = true
        }
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let pause = event as? ReadPause else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        promise?.succeed()
        switch pause {
        case .pause:
            downstreamPaused = true
            awaitingSince = nil
        case .resume:
            guard downstreamPaused else { return }
            downstreamPaused = false
            // Resuming can happen inside a write that is itself inside our hand-over; continue on a fresh stack.
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            context.eventLoop.execute {
                let (decoder, context) = bound.value
                decoder.gateMayHaveOpened(context)
            }
        }
    }

    /// Hands over what waited, then reads again if a read was held back.
    private func gateMayHaveOpened(_ context: ChannelHandlerContext) {
        guard gateOpen, !emitting else { return }
        let handed = handOver(context)
        if handed > 0 { context.fireChannelReadComplete() }
        // The gate opened: the client's clock for a partial frame starts now.
        awaitingSince = nil
        settle(context, progressed: true)
        if gateOpen, readPending {
            readPending = false
            context.read()
        }
    }

    // MARK: - Ending

    private func refuse(_ context: ChannelHandlerContext, _ code: WireErrorCode, _ message: String) {
        stop()
        context.fireUserInboundEventTriggered(FrameRefused(code: code, message: message))
    }

    private func stop() {
        guard !stopped else { return }
        stopped = true
        buffer = nil
        awaitingSince = nil
        deadlineTimer?.cancel()
        deadlineTimer = nil
        if let ticket, budget?.cancel(ticket) == false {
            // Granted while we were closing: the grant's callback gives it back.
        }
        ticket = nil
        if reserved > 0 {
            budget?.release(reserved)
            reserved = 0
        }
    }
}
