import PasskeyCBOR
import Testing

/// Bytes from a hex string; spaces are ignored.
func hex(_ s: String) -> [UInt8] {
    let digits = Array(s.filter { !$0.isWhitespace }.utf8)
    precondition(digits.count % 2 == 0, "odd hex length")
    func nibble(_ c: UInt8) -> UInt8 {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: preconditionFailure("bad hex digit")
        }
    }
    return stride(from: 0, to: digits.count, by: 2).map { nibble(digits[$0]) << 4 | nibble(digits[$0 + 1]) }
}

/// Validates `bytes` as one item spanning the whole input.
func validate(_ bytes: [UInt8], limits: CBORLimits = .default) -> Result<CBORItem, CBORError> {
    CBORReader.withReader(bytes, limits: limits) { reader in
        Result { () throws(CBORError) -> CBORItem in try reader.readSingleItem() }
    }
}

/// Expects validation of `bytes` to fail with `code` at `offset`.
func expectFailure(
    _ bytes: [UInt8], _ code: CBORError.Code, at offset: Int, limits: CBORLimits = .default,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    switch validate(bytes, limits: limits) {
    case .success(let item):
        Issue.record("expected \(code) at \(offset), got success \(item)", sourceLocation: sourceLocation)
    case .failure(let error):
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        #expect(error.offset == offset, "\(error)", sourceLocation: sourceLocation)
    }
}

/// Deterministic SplitMix64 generator for the fuzz tests.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Re-encodes a validated item with `CBORWriter`, walking it through the public accessors.
func reencode(_ reader: CBORReader, _ item: CBORItem, into w: inout CBORWriter) throws {
    switch item.type {
    case .unsigned: w.writeUnsigned(item.argument)
    case .negative: w.writeHead(.negative, item.argument)
    case .bytes: w.writeBytes(try reader.bytes(item))
    case .text: w.writeText(try reader.string(item))
    case .array:
        w.beginArray(Int(item.argument))
        for element in try reader.elements(of: item) { try reencode(reader, element, into: &w) }
    case .map:
        w.beginMap(Int(item.argument))
        for (key, value) in try reader.entries(of: item) {
            try reencode(reader, key, into: &w)
            try reencode(reader, value, into: &w)
        }
    case .tag:
        w.writeTag(item.argument)
        try reencode(reader, try reader.tagContent(item), into: &w)
    case .simple:
        if item.additionalInfo <= 24 {
            w.writeSimple(UInt8(item.argument))
        } else {
            w.writeRaw(reader.encoded(item))  // floats keep their width and bits
        }
    }
}

/// Validates `bytes` as a single item and runs `body` with the reader and the item.
func withItem(_ bytes: [UInt8], _ body: (CBORReader, CBORItem) throws -> Void) throws {
    try CBORReader.withReader(bytes) { r in try body(r, try r.readSingleItem()) }
}
