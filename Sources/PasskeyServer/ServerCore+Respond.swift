import NIOCore
import PasskeyWire

/// One request for a transport that hands over whole requests and awaits each answer (the gRPC listener), with the
/// framed listeners' rules: the prescan's refusals (draining, batch size, the server-wide in-flight limit) with the
/// request's id, the unpack budget, inline execution on the calling thread, large batches on the worker pool with
/// their deadline, and the same verdict, error and latency metrics.
extension ServerCore {
    func respond(to payload: ByteBuffer) async -> ByteBuffer {
        let started = NIODeadline.now()
        guard let scan = payload.withUnsafeReadableBytes({ RequestPrescan.scan($0) }) else {
            metrics.requestError(.malformedFrame)
            return errorPayload(id: 0, .malformedFrame, "the message is not protobuf wire format")
        }
        if state.draining.load(ordering: .relaxed) {
            metrics.requestError(.shuttingDown)
            return errorPayload(id: scan.id, .shuttingDown, "the server is shutting down")
        }
        let limits = configuration.limits
        guard scan.itemCount <= limits.maxBatchItems else {
            metrics.requestError(.batchTooLarge)
            return errorPayload(
                id: scan.id, .batchTooLarge, "batch of \(scan.itemCount) items exceeds the maximum of \(limits.maxBatchItems)")
        }
        guard state.admit(limit: limits.maxInFlight) else {
            metrics.requestError(.overloaded)
            return errorPayload(
                id: scan.id, .overloaded, "the server has \(limits.maxInFlight) requests in flight; retry later")
        }
        defer {
            state.finish()
            metrics.latency[scan.method]?.recordNanoseconds(
                Int64(NIODeadline.now().uptimeNanoseconds - started.uptimeNanoseconds))
        }
        if scan.itemCount > 1 { metrics.batchSize.record(scan.itemCount) }
        let isBatch = scan.method == .verifyAuthenticationBatch || scan.method == .verifyRegistrationBatch
        guard isBatch, scan.itemCount >= configuration.offloadBatchItems else {
            return runNow(payload, scan: scan)
        }
        let deadlineMs = scan.deadlineMs != 0 ? Int(scan.deadlineMs) : limits.defaultDeadlineMs
        let deadline = started + .milliseconds(Int64(deadlineMs))
        do {
            return try await offloadPool.runIfActive {
                guard NIODeadline.now() <= deadline else {
                    self.metrics.requestError(.deadlineExceeded)
                    return self.errorPayload(
                        id: scan.id, .deadlineExceeded, "the request waited longer than its \(deadlineMs) ms deadline")
                }
                return self.runNow(payload, scan: scan)
            }
        } catch {
            // The pool no longer runs work: the server is stopping.
            metrics.requestError(.shuttingDown)
            return errorPayload(id: scan.id, .shuttingDown, "the server is shutting down")
        }
    }

    /// Unpacks (within the budget), runs and copies the response out, on this thread and without suspending, so the
    /// thread's executor and its arena serve this request alone.
    private func runNow(_ payload: ByteBuffer, scan: RequestPrescan) -> ByteBuffer {
        let executor = executor()
        let encoded: EncodedResponse
        switch payload.withUnsafeReadableBytes({ executor.decodeRequest($0) }) {
        case .decoded:
            encoded = executor.execute(snapshot: snapshot)
        case let .resourceExhausted(budget):
            metrics.requestError(.resourceExhausted)
            encoded = executor.errorResponse(
                id: scan.id, code: .resourceExhausted, message: RequestHandler.exhaustedMessage(budget))
        case .malformed:
            metrics.requestError(.malformedFrame)
            encoded = executor.errorResponse(
                id: scan.id, code: .malformedFrame, message: "the message is not a valid passkeyd.v1 request")
        }
        let out = ByteBuffer(bytes: encoded.payload)
        executor.releaseSpill()
        return out
    }

    private func errorPayload(id: UInt64, _ code: WireErrorCode, _ message: String) -> ByteBuffer {
        ByteBuffer(bytes: executor().errorResponse(id: id, code: code, message: message).payload)
    }
}
