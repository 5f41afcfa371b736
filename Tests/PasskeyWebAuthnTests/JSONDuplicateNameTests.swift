import PasskeyJSON
@testable import PasskeyJSON
import Testing

/// Duplicate member names are found in linear work (plus a sort of member hashes), never by comparing all pairs.
@Suite struct JSONDuplicateNameTests {
    /// `objects` objects of `members` names `\u0061…` (escaped, `length` decoded bytes, sharing all but the last 3).
    static func hostile(objects: Int, members: Int, length: Int, duplicate: Bool = false) -> [UInt8] {
        var s = "{\"ignored\":["
        for o in 0..<objects {
            if o > 0 { s += "," }
            s += "{"
            for m in 0..<members {
                if m > 0 { s += "," }
                let k = duplicate && m == members - 1 ? members / 2 : m  // the last name repeats the middle one
                let n = (k &* 7919) % 997 + 1000 * o
                s += "\"" + String(repeating: "\\u0061", count: length - 3) + String(format3(n)) + "\":0"
            }
            s += "}"
        }
        s += "]}"
        return Array(s.utf8)
    }

    static func format3(_ n: Int) -> String {
        let digits = Array("0123456789abcdefghijklmnopqrstuvwxyz")
        return String([digits[n / 1296 % 36], digits[n / 36 % 36], digits[n % 36]])
    }

    @Test func fifteenObjectsOf255EscapedNamesIsLinearWork() throws {
        let bytes = Self.hostile(objects: 15, members: 255, length: 40)
        var reader = JSONReader()
        _ = try bytes.withUnsafeBytes { try reader.parse($0) }
        // Every name hashed once (decoded), nothing compared: a pairwise check would compare ~15 × 255²/2 names.
        #expect(reader.nameCheckWork.bytesHashed == 15 * 255 * 40)
        #expect(reader.nameCheckWork.bytesCompared <= 4 * 40)
    }

    @Test func duplicateAmongManyNamesIsFound() throws {
        let bytes = Self.hostile(objects: 3, members: 200, length: 20, duplicate: true)
        var reader = JSONReader()
        #expect(throws: JSONError.self) { _ = try bytes.withUnsafeBytes { try reader.parse($0) } }
        // Escaped and plain spellings of one name collide in large objects too.
        var members = (0..<20).map { "\"n\($0)\":0" }
        members.append("\"\\u006e7\":1")
        let text = Array(("{" + members.joined(separator: ",") + "}").utf8)
        #expect(throws: JSONError.self) { _ = try text.withUnsafeBytes { try reader.parse($0) } }
    }

    /// The pairwise path (few members) and the hashed path (many) agree with a naive reference on random objects.
    @Test func agreesWithNaiveCheck() throws {
        var g = SystemRandomNumberGenerator()
        for _ in 0..<400 {
            let n = Int.random(in: 2...30, using: &g)
            let names = (0..<n).map { _ in
                String(repeating: "b", count: Int.random(in: 0...2, using: &g)) + (Bool.random(using: &g) ? "\\u0061" : "a")
            }
            let text = Array(("{" + names.map { "\"\($0)\":0" }.joined(separator: ",") + "}").utf8)
            let decoded = names.map { $0.replacingOccurrences(of: "\\u0061", with: "a") }
            var naive: Int? = nil
            for j in 1..<n where decoded[..<j].contains(decoded[j]) {
                naive = j
                break
            }
            var reader = JSONReader()
            do {
                _ = try text.withUnsafeBytes { try reader.parse($0) }
                #expect(naive == nil, "\(names)")
            } catch let error as JSONError {
                // The reported offset is the opening quote of the first name that repeats an earlier one.
                let j = try #require(naive, "\(names)")
                let offset = 1 + names[..<j].map { $0.utf8.count + 5 }.reduce(0, +)
                #expect(error.offset == offset, "\(names)")
            }
        }
    }
}
