internal import NIOCore
internal import PasskeyProtocol

/// A request on its way out: the encoded frame and the promise its response completes.
struct OutboundRequest: Sendable {
    let id: UInt64
    let frame: ByteBuffer
    let response: EventLoopPromise<ByteBuffer>
    let timeout: TimeAmount?
}

/// Matches responses to requests by id (responses may come in any order), times calls out, and fails every pending
/// call when the connection ends. Lives on the channel's event loop; only the response id is read here, the full
/// decode happens on the caller's thread.
final class ResponseRouter: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = OutboundRequest
    typealias OutboundOut = ByteBuffer

    private struct Pending {
        let promise: EventLoopPromise<ByteBuffer>
        let timer: Scheduled<Void>?
    }

    private var pending: [UInt64: Pending] = [:]
    /// Set once the connection is unusable: later writes fail at once with it.
    private var failure: PasskeydClientError?

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if let failure {
            request.response.fail(failure)
            promise?.fail(failure)
            return
        }
        guard pending[request.id] == nil else {
            let error = PasskeydClientError.protocolViolation("request id \(request.id) is already in flight")
            request.response.fail(error)
            promise?.fail(error)
            return
        }
        var timer: Scheduled<Void>?
        if let timeout = request.timeout {
            let id = request.id
            timer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { self.expire(id) }
        }
        pending[request.id] = Pending(promise: request.response, timer: timer)
        context.write(wrapOutboundOut(request.frame), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let payload = unwrapInboundIn(data)
        guard let id = payload.withUnsafeReadableBytes({ ResponseID.scan($0) }) else {
            fail(context, .protocolViolation("a frame payload is not a passkeyd.v1.Response"))
            return
        }
        if id == 0 {
            // Client ids start at 1: id 0 is the server's connection-level error (malformed frame, frame too large),
            // after which it closes the connection.
            let error: PasskeydClientError
            do throws(PasskeydClientError) {
                _ = try PasskeydClientError.decode(payload)
                error = .protocolViolation("a response with id 0 that is not an error")
            } catch let e {
                error = e
            }
            fail(context, error)
            return
        }
        // Unknown ids are late answers to calls that already timed out.
        guard let entry = pending.removeValue(forKey: id) else { return }
        entry.timer?.cancel()
        entry.promise.succeed(payload)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(failure ?? .connectionClosed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Bytes that are not frames are the server's fault; anything else (ECONNRESET, EPIPE ...) means the
        // connection died under the calls, which is what `.connectionClosed` (and its retry) is for.
        let e: PasskeydClientError =
            switch error {
            case let e as PasskeydClientError: e
            case let e as FrameDecoder.InvalidFrame: .protocolViolation(e.description)
            case is ByteToMessageDecoderError: .protocolViolation(String(describing: error))
            default: .connectionClosed
            }
        fail(context, e)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        failAll(failure ?? .connectionClosed)
    }

    private func expire(_ id: UInt64) {
        pending.removeValue(forKey: id)?.promise.fail(PasskeydClientError.timeout)
    }

    private func fail(_ context: ChannelHandlerContext, _ error: PasskeydClientError) {
        failAll(error)
        context.close(promise: nil)
    }

    private func failAll(_ error: PasskeydClientError) {
        if failure == nil { failure = error }
        let all = pending
        pending.removeAll()
        for (_, entry) in all {
            entry.timer?.cancel()
            entry.promise.fail(error)
        }
    }
}
