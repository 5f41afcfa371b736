// Fuzz target `frame`: the input is a byte stream as a connection would deliver it — frames (5-byte header +
// protobuf `Request`) back to back. Each header is parsed; each whole payload goes through WireExecutor.decode and
// execute, end to end with a named relying party ("main") and inline policies, options methods included; no sockets. The response must be a
// well-formed frame (header round trip) whose payload protobuf-c unpacks as a `Response` with the request's id.
import CPasskeyProto
import PasskeyCOSE
import PasskeyWebAuthn
import PasskeyWire

private let registry = RelyingPartyRegistry(named: ["main": Fixture.relyingParty()], inlineCapacity: 64)
nonisolated(unsafe) private let executor: WireExecutor = {
    var limits = WireLimits()
    limits.maxBatchItems = 64
    return WireExecutor(
        registry: registry, keyCache: KeyCache(capacity: 64),
        description: ServerDescription(version: "fuzz", limits: limits), arenaBytes: 64 << 10)
}()
private let snapshot = ServerSnapshot(draining: false, inFlight: 1, connections: 1)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    withInput(data, size) { stream in
        var offset = 0
        var frames = 0
        while frames < 16 {
            let rest = UnsafeRawBufferPointer(rebasing: stream[offset...])
            guard let header = Frame.parseHeader(rest, maximum: 1 << 16) else { return }  // needs more bytes
            guard case let .success(length) = header else { return }  // connection would be closed
            guard length >= 0, length <= rest.count - Frame.headerSize else { return }
            let payload = UnsafeRawBufferPointer(rebasing: rest[Frame.headerSize..<Frame.headerSize + length])
            let response: EncodedResponse
            var id: UInt64 = 0
            let scan = RequestPrescan.scan(payload)
            if let summary = executor.decode(payload) {
                id = summary.id
                // The prescan must read what protobuf-c read (the server refuses and routes from it).
                guard let scan, scan.id == summary.id, scan.deadlineMs == summary.deadlineMs, scan.method == summary.method,
                      scan.itemCount >= summary.itemCount
                else { fuzzFail("prescan \(String(describing: scan)) disagrees with the unpacked request \(summary)") }
                response = executor.execute(snapshot: snapshot)
            } else {
                response = executor.errorResponse(id: 0, code: .malformedFrame, message: "malformed frame")
            }
            checkFrame(response, id: id)
            offset += Frame.headerSize + length
            frames += 1
        }
    }
    return 0
}

private func checkFrame(_ response: EncodedResponse, id: UInt64) {
    let out = UnsafeMutableRawBufferPointer.allocate(byteCount: response.frameSize, alignment: 1)
    defer { out.deallocate() }
    response.writeFrame(into: out)
    guard case let .success(n)? = Frame.parseHeader(UnsafeRawBufferPointer(out), maximum: Int(Int32.max)),
          n == response.payload.count, n > 0
    else { fuzzFail("response frame header does not describe its payload") }
    let base = response.payload.baseAddress?.assumingMemoryBound(to: UInt8.self)
    guard let decoded = passkeyd__v1__response__unpack(nil, response.payload.count, base) else {
        fuzzFail("the executor's response does not unpack as a Response")
    }
    defer { passkeyd__v1__response__free_unpacked(decoded, nil) }
    guard decoded.pointee.id == id else { fuzzFail("response id \(decoded.pointee.id) != request id \(id)") }
}
