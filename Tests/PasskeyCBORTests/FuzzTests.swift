import PasskeyCBOR
import Testing

/// Random and mutated inputs: never trap, agree with the reference validator, and successes re-encode exactly.
@Suite struct FuzzTests {
    static let textPool = ["a", "fmt", "\u{e9}", "\u{6c34}", "\u{1f600}", "authData", "", "x5c", "\u{7f}"]

    static func randomItem(_ w: inout CBORWriter, _ rng: inout SplitMix64, depth: Int) {
        let choice = depth > 5 ? rng.next() % 7 : rng.next() % 11
        switch choice {
        case 0: w.writeUnsigned(rng.next() >> (rng.next() % 64))
        case 1: w.writeInt(-1 - Int64(rng.next() >> (1 + rng.next() % 63)))
        case 2: w.writeBytes((0..<Int(rng.next() % 30)).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
        case 3: w.writeText((0..<Int(rng.next() % 4)).map { _ in textPool.randomElement(using: &rng)! }.joined())
        case 4: w.writeBool(rng.next() & 1 == 0)
        case 5:
            switch rng.next() % 4 {
            case 0: w.writeNull()
            case 1: w.writeUndefined()
            case 2: w.writeSimple(UInt8(rng.next() % 20))
            default: w.writeSimple(UInt8(32 + rng.next() % 224))
            }
        case 6:
            switch rng.next() % 3 {
            case 0: w.writeDouble(Double(bitPattern: rng.next()))
            case 1: w.writeFloat(Float(bitPattern: UInt32(truncatingIfNeeded: rng.next())))
            default: w.writeRaw([0xf9, UInt8(truncatingIfNeeded: rng.next()), UInt8(truncatingIfNeeded: rng.next())])
            }
        case 7:
            w.writeTag(rng.next() >> (rng.next() % 64))
            randomItem(&w, &rng, depth: depth + 1)
        case 8:
            let n = Int(rng.next() % 5)
            w.beginArray(n)
            for _ in 0..<n { randomItem(&w, &rng, depth: depth + 1) }
        default:
            var keys: [[UInt8]] = []
            for _ in 0..<Int(rng.next() % 6) {
                var k = CBORWriter()
                randomItem(&k, &rng, depth: depth + 3)
                if !keys.contains(k.bytes) { keys.append(k.bytes) }
            }
            w.beginMap(keys.count)
            for k in keys {
                w.writeRaw(k)
                randomItem(&w, &rng, depth: depth + 1)
            }
        }
    }

    static func mutate(_ input: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var b = input
        for _ in 0...(rng.next() % 3) {
            let i = b.isEmpty ? 0 : Int(rng.next() % UInt64(b.count))
            let interesting: [UInt8] = [0x00, 0x17, 0x18, 0x1b, 0x1c, 0x1f, 0x3b, 0x5b, 0x7b, 0x9b, 0xbb, 0xc0, 0xed, 0xf4, 0xf8, 0xff, 0x80, 0xa1]
            switch rng.next() % 6 {
            case 0 where !b.isEmpty: b[i] ^= UInt8(1 << (rng.next() % 8))
            case 1 where !b.isEmpty: b[i] = interesting.randomElement(using: &rng)!
            case 2: b.removeLast(min(b.count, Int(rng.next() % 4)))
            case 3: b.insert(UInt8(truncatingIfNeeded: rng.next()), at: i)
            case 4 where !b.isEmpty: b.remove(at: i)
            default: b.append(interesting.randomElement(using: &rng)!)
            }
        }
        return b
    }

    /// Checks one input against the reference; on success, the re-encoding must be byte-identical.
    static func check(_ input: [UInt8], limits: CBORLimits) throws -> Bool {
        let expected = ReferenceDecoder.validate(input, limits: limits)
        switch validate(input, limits: limits) {
        case .failure(let error):
            #expect(error == expected, "input \(input): got \(error), reference \(String(describing: expected))")
            #expect(error.offset >= 0 && error.offset <= input.count)
            return false
        case .success(let item):
            #expect(expected == nil, "input \(input): accepted, reference says \(String(describing: expected))")
            #expect(item.start == 0 && item.end == input.count)
            var w = CBORWriter()
            try CBORReader.withReader(input, limits: limits) { r in try reencode(r, item, into: &w) }
            #expect(w.bytes == input, "re-encoding differs for \(input)")
            #expect(try validate(w.bytes, limits: limits).get() == item)
            return true
        }
    }

    @Test func randomInputsNeverTrapAndAgreeWithReference() throws {
        var rng = SplitMix64(seed: 0x5EED_CB0A)
        var accepted = 0
        var rejected = 0
        for round in 0..<20_000 {
            let limits = round % 4 == 0 ? CBORLimits(maxDepth: 3, maxItems: 12) : .default
            var input: [UInt8]
            switch round % 4 {
            case 0, 1:
                var w = CBORWriter()
                Self.randomItem(&w, &rng, depth: 1)
                input = round % 8 < 4 ? w.bytes : Self.mutate(w.bytes, &rng)
            case 2:
                var w = CBORWriter()
                Self.randomItem(&w, &rng, depth: 1)
                input = Self.mutate(w.bytes, &rng)
            default:
                input = (0..<Int(rng.next() % 16)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            }
            if try Self.check(input, limits: limits) { accepted += 1 } else { rejected += 1 }
        }
        // Both outcomes must be well exercised for the test to mean anything.
        #expect(accepted > 3_000)
        #expect(rejected > 3_000)
    }
}
