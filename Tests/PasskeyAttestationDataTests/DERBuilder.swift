/// Hand-written DER for the parser tests (independent of SwiftASN1, which the parsers use).
enum D {
    static func len(_ n: Int) -> [UInt8] {
        if n < 0x80 { return [UInt8(n)] }
        if n < 0x100 { return [0x81, UInt8(n)] }
        return [0x82, UInt8(n >> 8), UInt8(n & 0xFF)]
    }
    static func tlv(_ id: [UInt8], _ c: [UInt8]) -> [UInt8] { id + len(c.count) + c }
    static func seq(_ e: [UInt8]...) -> [UInt8] { tlv([0x30], e.flatMap { $0 }) }
    static func set(_ e: [UInt8]...) -> [UInt8] { tlv([0x31], e.flatMap { $0 }) }
    static func int(_ v: UInt8) -> [UInt8] { v < 0x80 ? [0x02, 0x01, v] : [0x02, 0x02, 0x00, v] }
    static func int16(_ v: UInt16) -> [UInt8] { [0x02, 0x02, UInt8(v >> 8), UInt8(v & 0xFF)] }
    static func enumerated(_ v: UInt8) -> [UInt8] { [0x0A, 0x01, v] }
    static func octets(_ b: [UInt8]) -> [UInt8] { tlv([0x04], b) }
    static let null: [UInt8] = [0x05, 0x00]
    /// [n] EXPLICIT, high-tag-number form from 31.
    static func tagged(_ n: UInt, _ value: [UInt8]) -> [UInt8] {
        if n < 31 { return tlv([0xA0 | UInt8(n)], value) }
        var groups: [UInt8] = []
        var v = n
        repeat {
            groups.insert(UInt8(v & 0x7F), at: 0)
            v >>= 7
        } while v > 0
        for i in 0..<(groups.count - 1) { groups[i] |= 0x80 }
        return tlv([0xBF] + groups, value)
    }
}
