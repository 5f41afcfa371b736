internal import NIOCore
internal import NIOPosix
internal import PasskeyProtocol

/// Request frames encoded once, up front, into one contiguous block: what a load generator sends over and over with
/// nothing encoded or allocated per request. Every frame carries the request id `PasskeydFrameStore.idBase` (a 5-byte
/// varint right after the `Request.id` tag), which `PasskeydFrameLink.send` overwrites with the id of each send.
public final class PasskeydFrameStore: @unchecked Sendable {
    /// Ids a frame can be sent with: every value in this range is a 5-byte varint, so one write of fixed size
    /// replaces the placeholder.
    public static let idRange: Range<UInt64> = (1 << 28)..<(1 << 35)
    static var idBase: UInt64 { idRange.lowerBound }
    /// Header, then the `Request.id` tag (field 1, varint): the id's first byte.
    static let idOffset = Frame.headerSize + 1
    static let idBytes = 5

    // Immutable after `init`: read from any thread without a lock.
    private let base: UnsafeMutableRawPointer
    private let offsets: [Int]
    /// Bytes of all frames together.
    public let byteCount: Int
    public var count: Int { offsets.count - 1 }

    /// Frames from a builder; the store owns a copy of its bytes.
    public convenience init(_ builder: Builder) { self.init(joining: [builder]) }

    /// Several builders' frames in order (each built on its own core).
    public init(joining parts: [Builder]) {
        let total = parts.reduce(0) { $0 + $1.bytes.count }
        let base = UnsafeMutableRawPointer.allocate(byteCount: max(1, total), alignment: 16)
        var offsets = [0]
        offsets.reserveCapacity(parts.reduce(1) { $0 + $1.offsets.count - 1 })
        var at = 0
        for p in parts {
            p.bytes.withUnsafeBytes { (base + at).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            for o in p.offsets.dropFirst() { offsets.append(at + o) }
            at += p.bytes.count
        }
        self.base = base
        self.byteCount = total
        self.offsets = offsets
    }

    deinit { base.deallocate() }

    /// Frame `i`'s bytes (header and payload, with the placeholder id).
    public func frame(_ i: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + offsets[i], count: offsets[i + 1] - offsets[i])
    }

    /// Frames being encoded: requests appended in order, frame i is the i-th.
    public struct Builder: Sendable {
        var bytes: [UInt8] = []
        var offsets = [0]
        public let maxPayload: Int

        public init(reservingBytes: Int = 0, maxPayload: Int = Frame.defaultMaximumPayload) {
            bytes.reserveCapacity(reservingBytes)
            self.maxPayload = maxPayload
        }

        public var count: Int { offsets.count - 1 }
        public var byteCount: Int { bytes.count }

        /// Encodes `request` as the next frame.
        public mutating func append(_ request: PasskeydRequest) throws(PasskeydClientError) {
            let start = bytes.count
            do throws(RequestTooLarge) {
                let encoded = try EncodedRequest(request, id: PasskeydFrameStore.idBase, maxPayload: maxPayload)
                let size = encoded.frameSize
                bytes.append(contentsOf: repeatElement(0, count: size))
                bytes.withUnsafeMutableBytes { all in
                    _ = encoded.writeFrame(into: UnsafeMutableRawBufferPointer(rebasing: all[start..<(start + size)]))
                }
            } catch {
                throw .requestTooLarge(bytes: error.bytes, limit: error.limit)
            }
            let size = bytes.count - start
            // The placeholder must sit where `send` patches it: the id is the first field protobuf-c packs.
            let tagAt = start + PasskeydFrameStore.idOffset - 1
            guard size > PasskeydFrameStore.idOffset + PasskeydFrameStore.idBytes, bytes[tagAt] == 0x08,
                Self.varint5(bytes, at: tagAt + 1) == PasskeydFrameStore.idBase
            else {
                bytes.removeSubrange(start...)
                throw .protocolViolation("the encoded request does not start with its 5-byte id")
            }
            offsets.append(bytes.count)
        }

        /// Appends frames already encoded by another builder (a cache read back from disk, say) after checking each
        /// carries the placeholder id where `send` expects it.
        public mutating func append(encodedFrames: [UInt8], offsets frameOffsets: [Int]) throws(PasskeydClientError) {
            guard let first = frameOffsets.first, first == 0, frameOffsets.last == encodedFrames.count else {
                throw .protocolViolation("frame offsets do not cover the bytes")
            }
            let start = bytes.count
            for (a, b) in zip(frameOffsets, frameOffsets.dropFirst()) {
                guard b > a + PasskeydFrameStore.idOffset + PasskeydFrameStore.idBytes,
                    encodedFrames[a + PasskeydFrameStore.idOffset - 1] == 0x08,
                    Self.varint5(encodedFrames, at: a + PasskeydFrameStore.idOffset) == PasskeydFrameStore.idBase
                else { throw .protocolViolation("a stored frame lacks its placeholder id") }
                let length = encodedFrames.withUnsafeBytes { p in
                    Frame.parseHeader(UnsafeRawBufferPointer(rebasing: p[a..<b]), maximum: Int(Int32.max))
                }
                guard case .success(let n)? = length, n == b - a - Frame.headerSize else {
                    throw .protocolViolation("a stored frame's header does not match its size")
                }
            }
            bytes += encodedFrames
            for o in frameOffsets.dropFirst() { offsets.append(start + o) }
        }

        /// The frames and their offsets (`offsets[i]..<offsets[i+1]` is frame i), for writing to disk.
        public var encoded: (bytes: [UInt8], offsets: [Int]) { (bytes, offsets) }

        static func varint5(_ b: [UInt8], at i: Int) -> UInt64? {
            guard i + 5 <= b.count else { return nil }
            var v: UInt64 = 0
            for k in 0..<5 {
                let byte = b[i + k]
                if (k < 4) != (byte & 0x80 != 0) { return nil }
                v |= UInt64(byte & 0x7F) << (7 * UInt64(k))
            }
            return v
        }
    }
}

/// What drives a `PasskeydFrameConnection`: an object that lives on the connection's event loop and is only ever
/// called there, so it needs no lock. It sends prepared frames through the link, arms timers, and reads the responses
/// as they arrive; everything it sends during one callback goes out in one write and one flush at the end of it.
public protocol PasskeydFrameDriver: AnyObject {
    /// Once, on the event loop, when `PasskeydFrameConnection.start` attaches the driver.
    func started(_ link: PasskeydFrameLink)
    /// A response frame for request `id`; `payload` (the `passkeyd.v1.Response`) is valid only during the call.
    func received(id: UInt64, payload: UnsafeRawBufferPointer, link: PasskeydFrameLink)
    /// After each burst of reads and each timer, just before the link writes and flushes what was sent.
    func tickEnded(_ link: PasskeydFrameLink)
    /// The connection ended while the driver was attached (nil: closed cleanly); nothing follows.
    func ended(_ error: PasskeydClientError?)
}

/// The driver's handle on its connection. Only for use on the connection's event loop, from driver callbacks.
public final class PasskeydFrameLink {
    var context: ChannelHandlerContext?
    var outbound: ByteBuffer
    var driver: (any PasskeydFrameDriver)?
    var inTick = false
    /// Writes and flushes so far (one per tick that sent something).
    public private(set) var flushes = 0

    init(allocator: ByteBufferAllocator) {
        outbound = allocator.buffer(capacity: 64 << 10)
    }

    /// Monotonic nanoseconds: the clock of `schedule(at:)`.
    public static func now() -> UInt64 { NIODeadline.now().uptimeNanoseconds }

    /// Queues frame `index` of `store` with request `id` (in `PasskeydFrameStore.idRange`): copied into the outgoing
    /// buffer, which goes out when the current callback returns.
    public func send(_ store: PasskeydFrameStore, frame index: Int, id: UInt64) {
        precondition(PasskeydFrameStore.idRange.contains(id), "frame ids are 5-byte varints")
        let frame = store.frame(index)
        let at = outbound.writerIndex
        outbound.writeBytes(frame)
        var v = id
        for k in 0..<PasskeydFrameStore.idBytes {
            let byte = UInt8(truncatingIfNeeded: v & 0x7F) | (k < PasskeydFrameStore.idBytes - 1 ? 0x80 : 0)
            outbound.setInteger(byte, at: at + PasskeydFrameStore.idOffset + k)
            v >>= 7
        }
        if !inTick { flushOutbound() }
    }

    /// Runs `body` on the event loop at `deadline` (`now()`'s clock), then ends the tick (one write and flush).
    public func schedule(at deadline: UInt64, _ body: @escaping () -> Void) {
        guard let context else { return }
        context.eventLoop.assumeIsolated().scheduleTask(deadline: .uptimeNanoseconds(deadline)) { [self] in
            tick(body)
        }
    }

    /// Detaches the driver: later responses are dropped, and `start` may attach another one.
    public func detach() { driver = nil }

    /// Closes the connection (the driver, if still attached, hears `ended(nil)`).
    public func close() { context?.close(promise: nil) }

    func tick(_ body: () -> Void) {
        inTick = true
        body()
        endTick()
    }

    func endTick() {
        // Still in the tick: what the driver sends here goes out with the rest.
        driver?.tickEnded(self)
        inTick = false
        flushOutbound()
    }

    private func flushOutbound() {
        guard outbound.readableBytes > 0, let context else { return }
        context.writeAndFlush(NIOAny(outbound), promise: nil)
        flushes += 1
        // Reuses the storage when the write went out at once (the usual case), so steady state allocates nothing.
        outbound.clear()
    }
}

/// Drives a `PasskeydFrameLink`'s driver from the channel: frame payloads in, one write per tick out.
final class FrameLinkHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    let link: PasskeydFrameLink
    private var failure: PasskeydClientError?

    init(link: PasskeydFrameLink) { self.link = link }

    func handlerAdded(context: ChannelHandlerContext) { link.context = context }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let payload = unwrapInboundIn(data)
        link.inTick = true
        payload.withUnsafeReadableBytes { p in
            guard let id = ResponseID.scan(p) else {
                failure = .protocolViolation("a frame payload is not a passkeyd.v1.Response")
                context.close(promise: nil)
                return
            }
            link.driver?.received(id: id, payload: p, link: link)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if link.inTick { link.endTick() }
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if failure == nil {
            failure =
                switch error {
                case let e as PasskeydClientError: e
                case let e as FrameDecoder.InvalidFrame: .protocolViolation(e.description)
                case is ByteToMessageDecoderError: .protocolViolation(String(describing: error))
                default: .connectionClosed
                }
        }
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        let driver = link.driver
        link.driver = nil
        link.context = nil
        driver?.ended(failure)
        context.fireChannelInactive()
    }
}

/// Event-loop threads for frame connections (and nothing else), shut down with `shutdown()`.
public final class PasskeydEventLoops: Sendable {
    let group: MultiThreadedEventLoopGroup

    public init(threads: Int) { group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, threads)) }

    public func shutdown() async { try? await group.shutdownGracefully() }
}

/// A connection whose traffic is generated on its own event loop by a `PasskeydFrameDriver`: prepared frames out,
/// response payloads in, no task or thread hop, lock or allocation per request. For load generators; applications
/// want `PasskeydClient`.
public final class PasskeydFrameConnection: Sendable {
    let channel: any Channel
    let link: NIOLoopBound<PasskeydFrameLink>

    init(channel: any Channel, link: NIOLoopBound<PasskeydFrameLink>) {
        self.channel = channel
        self.link = link
    }

    /// Connects to `endpoint` on the next loop of `loops`; nothing is sent until `start`.
    public static func connect(
        to endpoint: PasskeydEndpoint, loops: PasskeydEventLoops, configuration: PasskeydConnectionConfiguration = .init()
    ) async throws(PasskeydClientError) -> PasskeydFrameConnection {
        let maximum = configuration.maxResponseFrameBytes
        let bootstrap = ClientBootstrap(group: loops.group)
            .connectTimeout(TimeAmount(configuration.connectTimeout))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let link = PasskeydFrameLink(allocator: channel.allocator)
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(FrameDecoder(maximumPayload: maximum)))
                    try channel.pipeline.syncOperations.addHandler(FrameLinkHandler(link: link))
                }
            }
        do {
            let channel: any Channel =
                switch endpoint {
                case let .unixDomainSocket(path): try await bootstrap.connect(unixDomainSocketPath: path).get()
                case let .tcp(host, port):
                    try await bootstrap.channelOption(.socketOption(.tcp_nodelay), value: 1).connect(host: host, port: port).get()
                }
            let link = try await channel.eventLoop.submit {
                NIOLoopBound(try channel.pipeline.syncOperations.handler(type: FrameLinkHandler.self).link, eventLoop: channel.eventLoop)
            }.get()
            return PasskeydFrameConnection(channel: channel, link: link)
        } catch {
            throw PasskeydClientError.connecting(error)
        }
    }

    /// False once the connection has ended.
    public var isActive: Bool { channel.isActive }

    /// Makes a driver on the connection's event loop and attaches it (replacing one that detached). A connection that
    /// already ended calls its `ended` right away.
    public func start(_ makeDriver: @escaping @Sendable () -> any PasskeydFrameDriver) {
        let link = self.link
        channel.eventLoop.execute {
            let l = link.value
            let driver = makeDriver()
            guard l.context != nil else {
                driver.ended(.connectionClosed)
                return
            }
            l.driver = driver
            l.tick { driver.started(l) }
        }
    }

    public func close() async {
        try? await channel.close()
    }
}
