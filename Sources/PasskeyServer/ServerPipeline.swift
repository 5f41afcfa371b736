import NIOCore
import NIOSSL

/// The handlers of one accepted connection, in order:
///
///     [NIOSSLServerHandler, TLSHandshakeDeadline]   TCP with TLS only
///     ConnectionLimitHandler                         maxConnections
///     [PeerUIDGate]                                  Unix socket with an allow-list only
///     IdleStateHandler                               idleTimeoutMs
///     RequestFrameDecoder                            framing, frame deadline, partial-frame budget, read gate
///     RequestHandler                                 admission, execution, offload, responses, back-pressure
enum ServerPipeline {
    /// Everything after TLS (tests build an `EmbeddedChannel` from this).
    static func handlers(core: ServerCore, checkPeer: PeerCheck?, offload: Offload? = nil) -> [ChannelHandler] {
        let config = core.configuration
        var handlers: [ChannelHandler] = [ConnectionLimitHandler(core: core)]
        if let checkPeer { handlers.append(PeerUIDGate(allowed: checkPeer.allowedUIDs, logger: core.logger)) }
        handlers.append(IdleStateHandler(readTimeout: .milliseconds(Int64(config.limits.idleTimeoutMs))))
        handlers.append(
            RequestFrameDecoder(
                maximumPayload: config.limits.maxFrameBytes, frameTimeout: frameTimeout(config), budget: core.frameBudget))
        handlers.append(RequestHandler(core: core, offload: offload ?? core.offload))
        return handlers
    }

    static func configure(
        _ pipeline: ChannelPipeline.SynchronousOperations, core: ServerCore, checkPeer: PeerCheck?, tls: NIOSSLContext?
    ) throws {
        if let tls {
            try pipeline.addHandler(NIOSSLServerHandler(context: tls))
            if let timeout = frameTimeout(core.configuration) {
                try pipeline.addHandler(TLSHandshakeDeadline(timeout: timeout, logger: core.logger))
            }
        }
        try pipeline.addHandlers(handlers(core: core, checkPeer: checkPeer))
    }

    static func frameTimeout(_ config: ServerConfiguration) -> TimeAmount? {
        config.frameTimeoutMs > 0 ? .milliseconds(Int64(config.frameTimeoutMs)) : nil
    }
}
