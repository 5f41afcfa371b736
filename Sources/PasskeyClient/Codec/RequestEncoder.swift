internal import CPasskeyProto
internal import NIOCore
internal import PasskeyWire

/// What one request asks for.
enum RequestBody: Sendable {
    case authentication(AuthenticationRequest)
    case authenticationBatch([AuthenticationRequest])
    case registration(RegistrationRequest)
    case registrationBatch([RegistrationRequest])
    case health
    case serverInfo
    case registrationOptions(GenerateRegistrationOptionsRequest)
    case authenticationOptions(GenerateAuthenticationOptionsRequest)
}

/// Builds a `Request` as protobuf-c structs in a call-local arena and packs it straight into a frame buffer
/// (header + payload, one allocation, no intermediate copy of the encoding).
enum RequestEncoder {
    static func frame(
        _ body: RequestBody, id: UInt64, deadlineMs: UInt32, allocator: ByteBufferAllocator, maxPayload: Int
    ) throws(PasskeydClientError) -> ByteBuffer {
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
        guard size <= maxPayload else { throw .requestTooLarge(bytes: size, limit: maxPayload) }
        var buffer = allocator.buffer(capacity: Frame.headerSize + size)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: Frame.headerSize + size) { out in
            Frame.writeHeader(length: size, into: out)
            let payload = (out.baseAddress! + Frame.headerSize).assumingMemoryBound(to: UInt8.self)
            return Frame.headerSize + passkeyd__v1__request__pack(request, payload)
        }
        return buffer
    }
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

extension RequestBody {
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
