internal import CPasskeyProto

/// What one request asks for: the `method` of a `passkeyd.v1.Request`.
public enum PasskeydRequest: Sendable {
    case authentication(AuthenticationRequest)
    case authenticationBatch([AuthenticationRequest])
    case registration(RegistrationRequest)
    case registrationBatch([RegistrationRequest])
    case health
    case serverInfo
    case registrationOptions(GenerateRegistrationOptionsRequest)
    case authenticationOptions(GenerateAuthenticationOptionsRequest)
}

/// A `Request` built as protobuf-c structs in its own arena, ready to be packed straight into a frame buffer (header
/// + payload, no intermediate copy of the encoding): the client packs it into a NIO buffer, `passkeyd verify` into
/// an array it hands to the executor in process.
public struct EncodedRequest: ~Copyable {
    let arena: ProtoArena
    let request: UnsafeMutablePointer<Passkeyd__V1__Request>
    /// The packed `Request`'s size.
    public let payloadSize: Int
    /// Header and payload.
    public var frameSize: Int { Frame.headerSize + payloadSize }

    /// Builds the request; refuses one whose encoding exceeds `maxPayload` bytes before packing it.
    public init(
        _ body: PasskeydRequest, id: UInt64, deadlineMs: UInt32 = 0, maxPayload: Int = Frame.defaultMaximumPayload
    ) throws(RequestTooLarge) {
        let arena = ProtoArena(blockSize: body.arenaEstimate)
        let request = arena.new(Passkeyd__V1__Request.self, passkeyd__v1__request__init)
        request.pointee.id = id
        request.pointee.deadline_ms = deadlineMs
        switch body {
        case let .authentication(r):
            request.pointee.method_case = PASSKEYD__V1__REQUEST__METHOD_VERIFY_AUTHENTICATION
            request.pointee.verify_authentication = arena.authentication(r, policy: arena.policy(r.policy))
        case let .authenticationBatch(items):
            let batch = arena.new(
                Passkeyd__V1__VerifyAuthenticationBatchRequest.self, passkeyd__v1__verify_authentication_batch_request__init)
            let list = arena.pointers(Passkeyd__V1__VerifyAuthenticationRequest.self, items.count)
            var shared = SharedPolicy()
            for (i, item) in items.enumerated() {
                list[i] = arena.authentication(item, policy: shared.get(item.policy, arena))
            }
            batch.pointee.n_items = items.count
            batch.pointee.items = list
            request.pointee.method_case = PASSKEYD__V1__REQUEST__METHOD_VERIFY_AUTHENTICATION_BATCH
            request.pointee.verify_authentication_batch = batch
        case let .registration(r):
            request.pointee.method_case = PASSKEYD__V1__REQUEST__METHOD_VERIFY_REGISTRATION
            request.pointee.verify_registration = arena.registration(r, policy: arena.policy(r.policy))
        case let .registrationBatch(items):
            let batch = arena.new(
                Passkeyd__V1__VerifyRegistrationBatchRequest.self, passkeyd__v1__verify_registration_batch_request__init)
            let list = arena.pointers(Passkeyd__V1__VerifyRegistrationRequest.self, items.count)
            var shared = SharedPolicy()
            for (i, item) in items.enumerated() {
                list[i] = arena.registration(item, policy: shared.get(item.policy, arena))
            }
            batch.pointee.n_items = items.count
            batch.pointee.items = list
            request.pointee.method_case = PASSKEYD__V1__REQUEST__METHOD_VERIFY_REGISTRATION_BATCH
            request.pointee.verify_registration_batch = batch
        case .health:
            request.pointee.method_case = PASSKEYD__V1__REQUEST__METHOD_HEALTH
            request.pointee.health = arena.new(Passkeyd__V1__HealthRequest.self, passkeyd__v1__health_request__init)
        case .serverInfo:
            request.pointee.method_case = PASSKEYD__V1__REQUEST__METHOD_SERVER_INFO
            request.pointee.server_info = arena.new(
                Passkeyd__V1__ServerInfoRequest.self, passkeyd__v1__server_info_request__init)
        case let .registrationOptions(r):
            request.pointee.method_case = PASSKEYD__V1__REQUEST__METHOD_GENERATE_REGISTRATION_OPTIONS
            request.pointee.generate_registration_options = arena.registrationOptions(r)
        case let .authenticationOptions(r):
            request.pointee.method_case = PASSKEYD__V1__REQUEST__METHOD_GENERATE_AUTHENTICATION_OPTIONS
            request.pointee.generate_authentication_options = arena.authenticationOptions(r)
        }
        let size = passkeyd__v1__request__get_packed_size(request)
        guard size <= maxPayload else { throw RequestTooLarge(bytes: size, limit: maxPayload) }
        self.arena = arena
        self.request = request
        self.payloadSize = size
    }

    /// Writes the frame (header and payload) into `out`, which must hold `frameSize` bytes; returns `frameSize`.
    public func writeFrame(into out: UnsafeMutableRawBufferPointer) -> Int {
        precondition(out.count >= frameSize, "a frame buffer of \(out.count) bytes for a \(frameSize)-byte frame")
        Frame.writeHeader(length: payloadSize, into: out)
        let payload = (out.baseAddress! + Frame.headerSize).assumingMemoryBound(to: UInt8.self)
        return Frame.headerSize + passkeyd__v1__request__pack(request, payload)
    }

    /// The frame as an array.
    public var frame: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: frameSize) { buffer, count in
            count = writeFrame(into: UnsafeMutableRawBufferPointer(buffer))
        }
    }

    /// The packed `Request` alone (no frame header).
    public var payload: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: payloadSize) { buffer, count in
            count = buffer.isEmpty ? 0 : passkeyd__v1__request__pack(request, buffer.baseAddress!)
        }
    }
}

/// An encoded request above the frame limit (`EncodedRequest.init`'s `maxPayload`).
public struct RequestTooLarge: Error, Sendable, Hashable {
    public let bytes: Int
    public let limit: Int
}
/// Batch items usually carry the same policy: build its struct once and point every such item at it.
private struct SharedPolicy {
    var last: (policy: RelyingPartyPolicy, c: UnsafeMutablePointer<Passkeyd__V1__RelyingPartyPolicy>)?

    mutating func get(
        _ p: RelyingPartyPolicy, _ arena: borrowing ProtoArena
    ) -> UnsafeMutablePointer<Passkeyd__V1__RelyingPartyPolicy> {
        if let last, last.policy == p { return last.c }
        let c = arena.policy(p)
        last = (p, c)
        return c
    }
}

extension PasskeydRequest {
    /// Arena bytes the encoding needs (structs, pointer arrays and copies of every byte field).
    var arenaEstimate: Int {
        switch self {
        case let .authentication(r): return 512 + r.policy.arenaEstimate + r.arenaEstimate
        case let .registration(r): return 512 + r.policy.arenaEstimate + r.arenaEstimate
        case let .authenticationBatch(items):
            var n = 512 + items.count * 8
            var previous: RelyingPartyPolicy?
            for item in items {
                n += item.arenaEstimate
                if item.policy != previous { n += item.policy.arenaEstimate; previous = item.policy }
            }
            return n
        case let .registrationBatch(items):
            var n = 512 + items.count * 8
            var previous: RelyingPartyPolicy?
            for item in items {
                n += item.arenaEstimate
                if item.policy != previous { n += item.policy.arenaEstimate; previous = item.policy }
            }
            return n
        case .health, .serverInfo: return 1024
        case let .registrationOptions(r): return r.arenaEstimate
        case let .authenticationOptions(r): return r.arenaEstimate
        }
    }
}
