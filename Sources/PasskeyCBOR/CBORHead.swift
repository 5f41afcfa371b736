/// A decoded item header (initial byte plus argument).
@usableFromInline
struct CBORHead {
    @usableFromInline let major: UInt8
    @usableFromInline let additionalInfo: UInt8
    @usableFromInline let argument: UInt64
    /// Offset just past the header.
    @usableFromInline let next: Int

    @inlinable @inline(__always)
    init(major: UInt8, additionalInfo: UInt8, argument: UInt64, next: Int) {
        self.major = major
        self.additionalInfo = additionalInfo
        self.argument = argument
        self.next = next
    }

    /// Decodes a header already known to be well-formed (part of a validated item).
    @inlinable @inline(__always)
    static func unchecked(_ base: UnsafeRawPointer, at pos: Int) -> CBORHead {
        let initial = base.load(fromByteOffset: pos, as: UInt8.self)
        let major = initial &>> 5
        let ai = initial & 0x1F
        let p = base + (pos &+ 1)
        switch ai {
        case 24:
            return CBORHead(major: major, additionalInfo: ai, argument: UInt64(p.load(as: UInt8.self)), next: pos &+ 2)
        case 25:
            let v = UInt16(bigEndian: p.loadUnaligned(as: UInt16.self))
            return CBORHead(major: major, additionalInfo: ai, argument: UInt64(v), next: pos &+ 3)
        case 26:
            let v = UInt32(bigEndian: p.loadUnaligned(as: UInt32.self))
            return CBORHead(major: major, additionalInfo: ai, argument: UInt64(v), next: pos &+ 5)
        case 27:
            let v = UInt64(bigEndian: p.loadUnaligned(as: UInt64.self))
            return CBORHead(major: major, additionalInfo: ai, argument: v, next: pos &+ 9)
        default:
            return CBORHead(major: major, additionalInfo: ai, argument: UInt64(ai), next: pos &+ 1)
        }
    }

    /// Decodes and checks a header at `pos` in `base[0..<count]`: availability, shortest form, reserved and
    /// indefinite additional info, one-byte simple values.
    @inline(__always)
    static func checked(_ base: UnsafeRawPointer, count: Int, at pos: Int) throws(CBORError) -> CBORHead {
        guard pos < count else { throw CBORError(.truncated, at: pos) }
        let initial = base.load(fromByteOffset: pos, as: UInt8.self)
        let major = initial &>> 5
        let ai = initial & 0x1F
        if ai < 24 {
            return CBORHead(major: major, additionalInfo: ai, argument: UInt64(ai), next: pos + 1)
        }
        let left = count - pos
        let minimum: UInt64
        switch ai {
        case 24:
            guard left >= 2 else { throw CBORError(.truncated, at: pos) }
            minimum = 24
        case 25:
            guard left >= 3 else { throw CBORError(.truncated, at: pos) }
            minimum = 0x100
        case 26:
            guard left >= 5 else { throw CBORError(.truncated, at: pos) }
            minimum = 0x1_0000
        case 27:
            guard left >= 9 else { throw CBORError(.truncated, at: pos) }
            minimum = 0x1_0000_0000
        case 31:
            throw CBORError(.indefiniteLength, at: pos)
        default:
            throw CBORError(.reservedAdditionalInfo, at: pos, detail1: UInt64(ai), detail2: 0)
        }
        let head = unchecked(base, at: pos)
        if major == 7 {
            // Floats (ai 25...27) carry raw bits; a one-byte simple value must be ≥ 32.
            if ai == 24, head.argument < 32 {
                throw CBORError(.invalidSimpleValue, at: pos, detail1: head.argument, detail2: 0)
            }
        } else if head.argument < minimum {
            throw CBORError(.nonMinimalEncoding, at: pos, detail1: head.argument, detail2: 0)
        }
        return head
    }
}
