internal import CPasskeyProto

/// A protobuf-c bump arena owned by one encode or decode call: every struct, string and byte copy of the message
/// lives in it and is freed at once when the call ends. Sized from an estimate so one malloc usually suffices.
struct ProtoArena: ~Copyable {
    let raw: OpaquePointer

    init(blockSize: Int) {
        // passkey_arena_create only fails when malloc does.
        raw = passkey_arena_create(max(1024, blockSize))!
    }

    deinit { passkey_arena_destroy(raw) }

    var allocator: UnsafeMutablePointer<ProtobufCAllocator> { passkey_arena_allocator(raw) }

    /// Caps the bytes the arena hands out (0: no cap); past it allocations fail and `exhausted` is set.
    func setBudget(_ bytes: Int) { passkey_arena_set_budget(raw, bytes) }
    var exhausted: Bool { passkey_arena_exhausted(raw) != 0 }
    /// Bytes handed out so far.
    var used: Int { passkey_arena_used(raw) }

    /// A zeroed struct run through its protobuf-c `__init`.
    func new<T>(_: T.Type, _ initialise: (UnsafeMutablePointer<T>?) -> Void) -> UnsafeMutablePointer<T> {
        let p = passkey_arena_calloc(raw, MemoryLayout<T>.stride)!.bindMemory(to: T.self, capacity: 1)
        initialise(p)
        return p
    }

    /// An array of `n` (nil) pointers.
    func pointers<T>(_: T.Type, _ n: Int) -> UnsafeMutablePointer<UnsafeMutablePointer<T>?> {
        let count = max(1, n)
        return passkey_arena_calloc(raw, count * MemoryLayout<UnsafeMutablePointer<T>?>.stride)!
            .bindMemory(to: UnsafeMutablePointer<T>?.self, capacity: count)
    }

    /// An uninitialised array of `n` values.
    func array<T>(_: T.Type, _ n: Int) -> UnsafeMutablePointer<T> {
        let count = max(1, n)
        return passkey_arena_calloc(raw, count * MemoryLayout<T>.stride)!.bindMemory(to: T.self, capacity: count)
    }

    func cString(_ s: String) -> UnsafeMutablePointer<CChar> {
        var s = s
        return s.withUTF8 { u in
            guard let base = u.baseAddress, u.count > 0 else {
                return passkey_arena_calloc(raw, 1)!.assumingMemoryBound(to: CChar.self)
            }
            return passkey_arena_strndup(raw, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), u.count)!
        }
    }

    /// `repeated string`: (count, array), or (0, nil) when empty.
    func cStrings(_ list: [String]) -> (Int, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) {
        guard !list.isEmpty else { return (0, nil) }
        let p = pointers(CChar.self, list.count)
        for (i, s) in list.enumerated() { p[i] = cString(s) }
        return (list.count, p)
    }

    func binary(_ bytes: [UInt8]) -> ProtobufCBinaryData {
        guard !bytes.isEmpty else { return ProtobufCBinaryData(len: 0, data: nil) }
        let p = passkey_arena_alloc(raw, bytes.count)!
        bytes.withUnsafeBytes { p.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        return ProtobufCBinaryData(len: bytes.count, data: p.assumingMemoryBound(to: UInt8.self))
    }
}

/// Views over unpacked protobuf-c values (copied out into Swift values by the decoder).
@inline(__always)
func bytes(_ d: ProtobufCBinaryData) -> [UInt8] {
    guard d.len > 0, let data = d.data else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: d.len))
}

@inline(__always)
func string(_ p: UnsafeMutablePointer<CChar>?) -> String { p.map { String(cString: $0) } ?? "" }

func strings(_ p: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ n: Int) -> [String] {
    guard let p, n > 0 else { return [] }
    return (0..<n).map { string(p[$0]) }
}
