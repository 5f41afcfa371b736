/// Appends shortest-form CBOR to a byte array (for test authenticators and benchmarks).
public struct CBORWriter: Sendable {
    public private(set) var bytes: [UInt8]

    public init() { bytes = [] }

    public init(reservingCapacity capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Writes a header with the shortest argument encoding.
    public mutating func writeHead(_ major: CBORMajorType, _ argument: UInt64) {
        let m = major.rawValue &<< 5
        switch argument {
        case 0..<24:
            bytes.append(m | UInt8(argument))
        case 24...0xFF:
            bytes.append(m | 24)
            bytes.append(UInt8(argument))
        case 0x100...0xFFFF:
            bytes.append(m | 25)
            appendBigEndian(argument, count: 2)
        case 0x1_0000...0xFFFF_FFFF:
            bytes.append(m | 26)
            appendBigEndian(argument, count: 4)
        default:
            bytes.append(m | 27)
            appendBigEndian(argument, count: 8)
        }
    }

    public mutating func writeUnsigned(_ v: UInt64) { writeHead(.unsigned, v) }

    public mutating func writeInt(_ v: Int64) {
        if v >= 0 {
            writeHead(.unsigned, UInt64(v))
        } else {
            writeHead(.negative, UInt64(~v))  // -1 - v
        }
    }

    public mutating func writeBytes<C: Collection>(_ b: C) where C.Element == UInt8 {
        writeHead(.bytes, UInt64(b.count))
        bytes.append(contentsOf: b)
    }

    public mutating func writeText(_ s: String) {
        writeHead(.text, UInt64(s.utf8.count))
        bytes.append(contentsOf: s.utf8)
    }

    public mutating func beginArray(_ count: Int) {
        precondition(count >= 0, "negative array count")
        writeHead(.array, UInt64(count))
    }

    public mutating func beginMap(_ count: Int) {
        precondition(count >= 0, "negative map count")
        writeHead(.map, UInt64(count))
    }

    public mutating func writeTag(_ tag: UInt64) { writeHead(.tag, tag) }

    public mutating func writeBool(_ b: Bool) { bytes.append(b ? 0xF5 : 0xF4) }

    public mutating func writeNull() { bytes.append(0xF6) }

    public mutating func writeUndefined() { bytes.append(0xF7) }

    /// A simple value other than 24...31 (which have no valid encoding).
    public mutating func writeSimple(_ v: UInt8) {
        precondition(v < 24 || v >= 32, "simple values 24...31 are not encodable")
        writeHead(.simple, UInt64(v))
    }

    /// A double-precision float (always 8 bytes, ai 27).
    public mutating func writeDouble(_ d: Double) {
        bytes.append(0xFB)
        appendBigEndian(d.bitPattern, count: 8)
    }

    /// A single-precision float (always 4 bytes, ai 26).
    public mutating func writeFloat(_ f: Float) {
        bytes.append(0xFA)
        appendBigEndian(UInt64(f.bitPattern), count: 4)
    }

    /// An already-encoded item, appended verbatim.
    public mutating func writeRaw<C: Collection>(_ b: C) where C.Element == UInt8 {
        bytes.append(contentsOf: b)
    }

    private mutating func appendBigEndian(_ v: UInt64, count: Int) {
        var shift = (count - 1) * 8
        while shift >= 0 {
            bytes.append(UInt8(truncatingIfNeeded: v &>> UInt64(shift)))
            shift -= 8
        }
    }
}
