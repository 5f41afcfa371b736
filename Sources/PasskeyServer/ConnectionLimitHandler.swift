import NIOCore
import PasskeyWire

/// Counts open connections server-wide; one past `maxConnections` is answered `OVERLOADED` (id 0) and closed, and
/// nothing of it is read or passed on.
final class ConnectionLimitHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let core: ServerCore
    private var refused = false

    init(core: ServerCore) { self.core = core }

    func channelActive(context: ChannelHandlerContext) {
        let n = core.state.connections.wrappingAdd(1, ordering: .relaxed).newValue
        core.metrics.connections.record(n)
        let maximum = core.configuration.limits.maxConnections
        guard n > maximum else {
            context.fireChannelActive()
            return
        }
        refused = true
        core.metrics.requestError(.overloaded)
        let frame = core.errorFrame(
            code: .overloaded, message: "the server has reached its maximum of \(maximum) connections",
            allocator: context.channel.allocator)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(frame)).whenComplete { _ in channel.close(promise: nil) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        let n = core.state.connections.wrappingSubtract(1, ordering: .relaxed).newValue
        core.metrics.connections.record(n)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        context.fireChannelRead(data)
    }

    func read(context: ChannelHandlerContext) {
        guard !refused else { return }
        context.read()
    }
}
