internal import CPasskeyProto

/// Builds protobuf-c structs in one arena: the executor's own, or a waiting request's once it has been detached
/// (`WaitingRequest`), so results can be patched after the executor has moved on to other requests.
struct ArenaWriter {
    let arena: OpaquePointer

    func new<T>(_: T.Type, _ initialise: (UnsafeMutablePointer<T>?) -> Void) -> UnsafeMutablePointer<T> {
        let p = passkey_arena_calloc(arena, MemoryLayout<T>.stride)!.bindMemory(to: T.self, capacity: 1)
        initialise(p)
        return p
    }

    func allocPointers<T>(_: T.Type, _ n: Int) -> UnsafeMutablePointer<UnsafeMutablePointer<T>?> {
        passkey_arena_calloc(arena, max(1, n) * MemoryLayout<UnsafeMutablePointer<T>?>.stride)!
            .bindMemory(to: UnsafeMutablePointer<T>?.self, capacity: max(1, n))
    }

    func cString(_ s: String) -> UnsafeMutablePointer<CChar> {
        var s = s
        return s.withUTF8 { u in
            passkey_arena_strndup(arena, UnsafeRawPointer(u.baseAddress!).assumingMemoryBound(to: CChar.self), u.count)
        }
    }

    func binary(_ bytes: [UInt8]) -> ProtobufCBinaryData {
        guard !bytes.isEmpty else { return ProtobufCBinaryData(len: 0, data: nil) }
        let p = passkey_arena_alloc(arena, bytes.count)!
        bytes.withUnsafeBytes { p.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
        return ProtobufCBinaryData(len: bytes.count, data: p.assumingMemoryBound(to: UInt8.self))
    }

    func newResponse(id: UInt64) -> UnsafeMutablePointer<Passkeyd__V1__Response> {
        let r = new(Passkeyd__V1__Response.self, passkeyd__v1__response__init)
        r.pointee.id = id
        return r
    }

    /// A response carrying a request-level error (built in this arena; the caller decides whether to reset it first).
    func errorResponse(id: UInt64, code: WireErrorCode, message: String) -> UnsafeMutablePointer<Passkeyd__V1__Response> {
        let response = newResponse(id: id)
        let e = new(Passkeyd__V1__Error.self, passkeyd__v1__error__init)
        e.pointee.code = code.c
        e.pointee.message = cString(message)
        response.pointee.result_case = PASSKEYD__V1__RESPONSE__RESULT_ERROR
        response.pointee.error = e
        return response
    }

    func pack(_ response: UnsafeMutablePointer<Passkeyd__V1__Response>) -> EncodedResponse {
        let size = passkeyd__v1__response__get_packed_size(response)
        let out = passkey_arena_alloc(arena, max(1, size))!.assumingMemoryBound(to: UInt8.self)
        let written = passkeyd__v1__response__pack(response, out)
        return EncodedResponse(payload: UnsafeRawBufferPointer(start: out, count: written))
    }
}
