public import NIOCore
import Logging
public import PasskeyWire

/// The server's per-request path without a socket, for the stage benchmarks (Bench/Stages): the handlers one
/// accepted connection gets (`ServerPipeline.handlers`), over a server core of their own, for the benchmark to put on
/// an `EmbeddedChannel` and feed frames. Large batches run inline instead of on a worker pool; metrics go wherever
/// the process's `MetricsSystem` sends them (nowhere unless bootstrapped).
@_spi(Benchmarks) public enum ServerRequestPath {
    public static func connectionHandlers(
        configuration: ServerConfiguration, registry: RelyingPartyRegistry
    ) -> [ChannelHandler] {
        let core = ServerCore(
            configuration: configuration, registry: registry, version: "benchmark",
            logger: Logger(label: "passkeyd", factory: { _ in SwiftLogNoOpLogHandler() }))
        let inline = Offload { loop, work in loop.makeSucceededFuture(work()) }
        return ServerPipeline.handlers(core: core, checkPeer: nil, offload: inline)
    }
}
