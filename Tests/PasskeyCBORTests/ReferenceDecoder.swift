import PasskeyCBOR

/// A deliberately simple, recursive, allocating validator following the same rules, used to cross-check
/// CBORReader in the fuzz test (same first error, same offset).
struct ReferenceDecoder {
    let b: [UInt8]
    let limits: CBORLimits
    var items = 0

    static func validate(_ bytes: [UInt8], limits: CBORLimits) -> CBORError? {
        var d = ReferenceDecoder(b: bytes, limits: limits)
        do {
            let end = try d.item(at: 0, depth: 1)
            return end == bytes.count ? nil : CBORError(.trailingBytes, at: end)
        } catch {
            return error
        }
    }

    mutating func item(at pos: Int, depth: Int) throws(CBORError) -> Int {
        if depth > limits.maxDepth { throw CBORError(.nestingTooDeep, at: pos) }
        guard pos < b.count else { throw CBORError(.truncated, at: pos) }
        let major = b[pos] >> 5
        let ai = b[pos] & 31
        var p = pos + 1
        var arg = UInt64(ai)
        switch ai {
        case 0...23:
            break
        case 24...27:
            let n = 1 << Int(ai - 24)
            guard b.count - p >= n else { throw CBORError(.truncated, at: pos) }
            arg = b[p..<p + n].reduce(0) { $0 << 8 | UInt64($1) }
            p += n
            if major == 7 {
                if ai == 24 && arg < 32 { throw CBORError(.invalidSimpleValue, at: pos) }
            } else if arg < [24, 0x100, 0x1_0000, 0x1_0000_0000][Int(ai - 24)] {
                throw CBORError(.nonMinimalEncoding, at: pos)
            }
        case 31:
            throw CBORError(.indefiniteLength, at: pos)
        default:
            throw CBORError(.reservedAdditionalInfo, at: pos)
        }
        items += 1
        if items > limits.maxItems { throw CBORError(.tooManyItems, at: pos) }
        let left = UInt64(b.count - p)
        switch major {
        case 2, 3:
            guard arg <= left else { throw CBORError(.lengthExceedsInput, at: pos) }
            let end = p + Int(arg)
            if major == 3, let bad = Self.firstInvalidUTF8(b[p..<end]) {
                throw CBORError(.invalidUTF8, at: p + bad)
            }
            return end
        case 4:
            guard arg <= left else { throw CBORError(.lengthExceedsInput, at: pos) }
            for _ in 0..<arg { p = try item(at: p, depth: depth + 1) }
            return p
        case 5:
            guard arg <= left / 2 else { throw CBORError(.lengthExceedsInput, at: pos) }
            // Duplicates are reported once the whole map has been read: at the second occurrence of the earliest
            // repeated key (what CBORReader promises; how it finds them is its business).
            var keys: [(start: Int, bytes: ArraySlice<UInt8>)] = []
            for _ in 0..<arg {
                let keyStart = p
                p = try item(at: p, depth: depth + 1)
                keys.append((keyStart, b[keyStart..<p]))
                p = try item(at: p, depth: depth + 1)
            }
            for (j, key) in keys.enumerated() where keys[..<j].contains(where: { $0.bytes == key.bytes }) {
                throw CBORError(.duplicateMapKey, at: key.start)
            }
            return p
        case 6:
            return try item(at: p, depth: depth + 1)
        default:
            return p
        }
    }

    /// Index (relative to the slice start) of the first ill-formed sequence, using the standard library's parser.
    static func firstInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }
}
