import PasskeyJSON
import PasskeyCrypto

/// The text encodings inside a metadata BLOB that PasskeyJSON does not cover: standard base64 (RFC 4648 §4, for
/// `x5c` and certificates), hexadecimal key identifiers, UUIDs and ISO 8601 calendar dates. All strict and linear.
enum TextEncodings {
    /// Standard base64 with its padding (strict, `PasskeyJSON.Base64`); nil otherwise or when the decoded size would
    /// exceed `maxBytes` (checked from the length, before decoding).
    static func base64(_ text: some Collection<UInt8>, maxBytes: Int) -> [UInt8]? {
        let n = text.count
        guard n > 0, n % 4 == 0, n / 4 * 3 <= maxBytes + 2 else { return nil }
        guard let out = Array(text).withUnsafeBytes({ Base64.decode($0) }), out.count <= maxBytes else { return nil }
        return out
    }

    /// Hex digits (either case; MDS3 writes lower case) as bytes; nil for an odd length or a non-hex character.
    static func hex(_ text: some Collection<UInt8>) -> [UInt8]? { Hex.decode(Array(text)) }

    /// A UUID in its 8-4-4-4-12 spelling as 16 bytes.
    static func uuid(_ text: [UInt8]) -> [UInt8]? { UUIDText.parse(text) }

    /// `YYYY-MM-DD` (ISO 8601 calendar date, as MDS3 writes dates) as Unix seconds at midnight UTC; nil unless it is a
    /// real date (the day exists in that month).
    static func date(_ text: [UInt8]) -> Int64? {
        guard text.count == 10, text[4] == 0x2D, text[7] == 0x2D else { return nil }
        func number(_ r: Range<Int>) -> Int64? {
            var v: Int64 = 0
            for i in r {
                guard text[i] >= 0x30, text[i] <= 0x39 else { return nil }
                v = v * 10 + Int64(text[i] - 0x30)
            }
            return v
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10), (1...12).contains(m), d >= 1 else { return nil }
        let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
        let days: [Int64] = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard d <= days[Int(m) - 1] else { return nil }
        return WallClock.unixSeconds(year: y, month: m, day: d)
    }
}
