/// A cursor over a TPM structure in the caller's bytes: big-endian integers and size-prefixed (TPM2B) fields, every
/// length checked against what is left before anything is sliced. Fields come back as ranges of the input.
struct TPMReader {
    let bytes: UnsafeRawBufferPointer
    private(set) var offset = 0
    /// Which structure is being read, for messages.
    let structure: String

    init(_ bytes: UnsafeRawBufferPointer, structure: String) {
        self.bytes = bytes
        self.structure = structure
    }

    var remaining: Int { bytes.count - offset }

    private mutating func take(_ count: Int, _ field: String) throws(TPMStructureError) -> Int {
        guard count <= remaining else {
            throw TPMStructureError(
                .truncated, "\(structure).\(field) needs \(count) bytes at offset \(offset), \(remaining) are left")
        }
        let start = offset
        offset += count
        return start
    }

    mutating func u8(_ field: String) throws(TPMStructureError) -> UInt8 {
        bytes[try take(1, field)]
    }

    mutating func u16(_ field: String) throws(TPMStructureError) -> UInt16 {
        let at = try take(2, field)
        return UInt16(bytes[at]) << 8 | UInt16(bytes[at + 1])
    }

    mutating func u32(_ field: String) throws(TPMStructureError) -> UInt32 {
        let at = try take(4, field)
        var v: UInt32 = 0
        for i in 0..<4 { v = v << 8 | UInt32(bytes[at + i]) }
        return v
    }

    mutating func u64(_ field: String) throws(TPMStructureError) -> UInt64 {
        let at = try take(8, field)
        var v: UInt64 = 0
        for i in 0..<8 { v = v << 8 | UInt64(bytes[at + i]) }
        return v
    }

    /// A TPM2B: a UINT16 size, at most `maximum`, then that many bytes (returned as their range in the input).
    mutating func sized(_ field: String, maximum: Int) throws(TPMStructureError) -> Range<Int> {
        let size = Int(try u16("\(field).size"))
        guard size <= maximum else {
            throw TPMStructureError(
                .sizeAboveMaximum, "\(structure).\(field) declares \(size) bytes; its type holds at most \(maximum)")
        }
        let start = try take(size, field)
        return start..<(start + size)
    }

    /// Throws unless every byte has been read.
    func finish() throws(TPMStructureError) {
        guard remaining == 0 else {
            throw TPMStructureError(.trailingBytes, "\(remaining) bytes follow \(structure) at offset \(offset)")
        }
    }
}

/// Checks a whole structure's size against its fixed limit before any of it is read.
func checkSize(_ bytes: UnsafeRawBufferPointer, maximum: Int, structure: String) throws(TPMStructureError) {
    guard bytes.count <= maximum else {
        throw TPMStructureError(.tooLarge, "\(structure) is \(bytes.count) bytes; at most \(maximum) are accepted")
    }
}

func hex16(_ v: UInt16) -> String {
    let s = String(v, radix: 16, uppercase: true)
    return "0x" + String(repeating: "0", count: max(0, 4 - s.count)) + s
}
