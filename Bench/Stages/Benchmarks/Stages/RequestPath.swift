// The end-to-end request path inside the server: frames read from a connection go through the connection's own
// handlers (connection limit, idle timer, frame decoder and read gate, request handler: prescan, admission, unpack,
// verify, pack, the read's one flush), driven on NIO's EmbeddedChannel. Everything a socket read costs the server
// except the syscalls. One iteration is one read; its responses are taken off the channel and checked.
import Benchmark
import NIOCore
import NIOEmbedded
@_spi(Benchmarks) import PasskeyServer
import PasskeyWire

/// `frames` copies of `payload` behind their 5-byte headers, as one read brings them.
private func framed(_ payload: [UInt8], count frames: Int) -> ByteBuffer {
    var out = ByteBufferAllocator().buffer(capacity: frames * (payload.count + 5))
    for _ in 0..<frames {
        out.writeInteger(UInt8(0))
        out.writeInteger(UInt32(payload.count))
        out.writeBytes(payload)
    }
    return out
}

func requestPathBenchmarks(_ f: Fixtures) {
    let request = WireRequest.verifyAuthentication(f)
    for (name, frames) in [("Server.requestPath.single", 1), ("Server.requestPath.pipelined8", 8)] {
        let registry = RelyingPartyRegistry(named: ["main": f.relyingParty])
        let channel = EmbeddedChannel(
            handlers: ServerRequestPath.connectionHandlers(configuration: ServerConfiguration(), registry: registry))
        try! channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        let read = framed(request, count: frames)
        /// One read in, its responses out: the number of response frames (with `check`, of those that verified; the
        /// check allocates, so the timed loop counts frames only).
        func run(check: Bool = false) -> Int {
            try! channel.writeInbound(read)
            var verified = 0
            while let out = try! channel.readOutbound(as: ByteBuffer.self) {
                out.withUnsafeReadableBytes { bytes in
                    var at = 0
                    while bytes.count - at >= 5 {
                        let length = Int(bytes[at + 1]) << 24 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 8 | Int(bytes[at + 4])
                        let payload = UnsafeRawBufferPointer(rebasing: bytes[(at + 5)..<(at + 5 + length)])
                        if !check
                            || (WireRequest.varint(in: payload, path: [11], field: 1) == 0
                                && WireRequest.varint(in: payload, path: [11], field: 3) == 42)
                        {
                            verified += 1
                        }
                        at += 5 + length
                    }
                }
            }
            return verified
        }
        precondition(run() == frames, "\(name): not every frame was answered")
        precondition(run(check: true) == frames, "\(name): not every frame was answered with a verified assertion")
        Benchmark(name, configuration: configuration(.one)) { benchmark in
            counted(benchmark) {
                for _ in benchmark.scaledIterations {
                    blackHole(run())
                }
            }
        }
    }
}
