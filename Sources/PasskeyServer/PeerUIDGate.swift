import Logging
import NIOCore

/// The Unix-socket peer-UID allow-list: nothing is read until the peer's UID (SO_PEERCRED) is known to be allowed;
/// then the gate removes itself. Any other peer is logged with its UID and closed unanswered.
final class PeerUIDGate: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Reads a channel's peer UID; nil when it cannot be known (then the peer is refused).
    typealias Lookup = (Channel) -> EventLoopFuture<UInt32?>

    private let allowed: [UInt32]
    private let logger: Logger
    private let lookup: Lookup
    private var readPending = false

    init(allowed: [UInt32], logger: Logger, lookup: @escaping Lookup = PeerCredentials.uid(of:)) {
        self.allowed = allowed
        self.logger = logger
        self.lookup = lookup
    }

    func channelActive(context: ChannelHandlerContext) {
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let allowed = self.allowed
        let logger = self.logger
        lookup(context.channel).whenComplete { result in
            let (gate, context) = bound.value
            let uid = (try? result.get()) ?? nil
            if let uid, allowed.contains(uid) {
                gate.open(context)
            } else {
                logger.warning("refused a Unix-socket peer", metadata: ["uid": "\(uid.map(String.init) ?? "unknown")"])
                context.close(promise: nil)
            }
        }
        context.fireChannelActive()
    }

    private func open(_ context: ChannelHandlerContext) {
        let pending = readPending
        let channel = context.channel
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        // The read we held back, asked again from the tail now that we are gone.
        if pending { channel.read() }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // Nothing was asked for before the check; drop what a racing read might still deliver.
    }

    func read(context: ChannelHandlerContext) {
        readPending = true
    }
}
