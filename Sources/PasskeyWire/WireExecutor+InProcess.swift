public import PasskeyProtocol

extension WireExecutor {
    /// One request as a client would send it — encoded by the protocol's codec, run by this executor, decoded back —
    /// with no transport. `passkeyd verify` and `passkeyd options` answer this way, so the command-line tools, the
    /// clients and the server read policies, run ceremonies and report results through one path. Request-level
    /// refusals come back as `.error`.
    public func run(_ request: PasskeydRequest) -> PasskeydResponse {
        let payload: [UInt8]
        do throws(RequestTooLarge) {
            payload = try EncodedRequest(request, id: 1, maxPayload: .max).payload
        } catch {
            return .error(code: .malformedRequest, message: "the request encodes to \(error.bytes) bytes")
        }
        let response: Result<PasskeydResponse, ResponseDecodingError> = payload.withUnsafeBytes { p in
            switch decodeRequest(p) {
            case .decoded: break
            case .malformed: return .success(.error(code: .malformedFrame, message: "not a Request"))
            case let .resourceExhausted(budget):
                return .success(.error(code: .resourceExhausted, message: "unpacking would take more than \(budget) bytes"))
            }
            let encoded = execute(snapshot: ServerSnapshot(draining: false, inFlight: 1, connections: 0))
            return Result { () throws(ResponseDecodingError) in try ResponseDecoder.decode(encoded.payload) }
        }
        switch response {
        case let .success(r): return r
        case let .failure(e): return .error(code: .internalError, message: e.description)
        }
    }
}
