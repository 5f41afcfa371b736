import NIOCore
import PasskeyCrypto
import PasskeyWebAuthn
import PasskeyProtocol
import PasskeyWire

/// One request for a transport that hands over whole requests and awaits each answer (the gRPC listener), with the
/// framed listeners' rules: the prescan's refusals (draining, batch size, the server-wide in-flight limit) with the
/// request's id, the unpack budget, inline execution on the calling thread, large batches on the worker pool with
/// their deadline, requests that wait for the shared replay store awaited (on `loop`, which the store answers on),
/// and the same verdict, error and latency metrics.
extension ServerCore {
    func respond(to payload: ByteBuffer, on loop: EventLoop) async -> ByteBuffer {
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
        let ran: Ran
        if isBatch, scan.itemCount >= configuration.offloadBatchItems {
            let deadlineMs = scan.deadlineMs != 0 ? Int(scan.deadlineMs) : limits.defaultDeadlineMs
            let deadline = started + .milliseconds(Int64(deadlineMs))
            do {
                ran = try await offloadPool.runIfActive {
                    guard NIODeadline.now() <= deadline else {
                        self.metrics.requestError(.deadlineExceeded)
                        return .done(self.errorPayload(
                            id: scan.id, .deadlineExceeded, "the request waited longer than its \(deadlineMs) ms deadline"))
                    }
                    return self.runNow(payload, scan: scan)
                }
            } catch {
                // The pool no longer runs work: the server is stopping.
                metrics.requestError(.shuttingDown)
                return errorPayload(id: scan.id, .shuttingDown, "the server is shutting down")
            }
        } else {
            ran = runNow(payload, scan: scan)
        }
        switch ran {
        case let .done(response): return response
        case let .waiting(request): return await awaitStore(request, on: loop)
        }
    }

    /// What running a request gave: its response, or the request waiting for the shared replay store.
    private enum Ran: Sendable {
        case done(ByteBuffer)
        case waiting(WaitingRequest)
    }

    /// Asks the shared store to record the request's issued challenges (one round trip for all of them) and finishes
    /// the response with its verdicts; the in-flight slot is held until then, so drain waits for it.
    private func awaitStore(_ request: WaitingRequest, on loop: EventLoop) async -> ByteBuffer {
        let verdicts: [ReplayVerdict]
        if let store = deferredStore {
            verdicts = await withCheckedContinuation { continuation in
                let ask: @Sendable () -> Void = {
                    store.record(request.challenges, nowMs: WallClock.nowMs(), on: loop) { continuation.resume(returning: $0) }
                }
                if loop.inEventLoop { ask() } else { loop.execute(ask) }
            }
        } else {
            verdicts = Array(repeating: .unavailable, count: request.challenges.count)
        }
        if verdicts.count != request.challenges.count || verdicts.contains(.unavailable) {
            metrics.requestError(.unavailable)
        }
        let out = ByteBuffer(bytes: request.finish(verdicts).payload)
        request.release()
        return out
    }

    /// Unpacks (within the budget), runs and copies the response out, on this thread and without suspending, so the
    /// thread's executor and its arena serve this request alone.
    private func runNow(_ payload: ByteBuffer, scan: RequestPrescan) -> Ran {
        let executor = executor()
        let encoded: EncodedResponse
        switch payload.withUnsafeReadableBytes({ executor.decodeRequest($0) }) {
        case .decoded:
            switch executor.executeRequest(snapshot: snapshot) {
            case let .response(r): encoded = r
            case let .waiting(request): return .waiting(request)
            }
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
        return .done(out)
    }

    private func errorPayload(id: UInt64, _ code: WireErrorCode, _ message: String) -> ByteBuffer {
        ByteBuffer(bytes: executor().errorResponse(id: id, code: code, message: message).payload)
    }
}
