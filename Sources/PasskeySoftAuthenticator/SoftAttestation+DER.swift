/// A few DER encoders for the attestation generators (key description, Apple nonce, subjectAltName, the TPM AIK's
/// extensions). Written by hand,
/// independently of the SwiftASN1 parsers they feed, so a test of the pair is not a test of one library against itself.
public enum SoftDER {
    public static func length(_ n: Int) -> [UInt8] {
        precondition(n >= 0)
        if n < 0x80 { return [UInt8(n)] }
        var bytes: [UInt8] = []
        var v = n
        while v > 0 {
            bytes.insert(UInt8(v & 0xFF), at: 0)
            v >>= 8
        }
        return [0x80 | UInt8(bytes.count)] + bytes
    }

    public static func tlv(_ identifier: [UInt8], _ content: [UInt8]) -> [UInt8] { identifier + length(content.count) + content }
    public static func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] { tlv([tag], content) }

    /// An OBJECT IDENTIFIER from its dotted form.
    public static func oid(_ dotted: String) -> [UInt8] {
        let arcs = dotted.split(separator: ".").map { UInt64($0)! }
        var content = base128(arcs[0] * 40 + arcs[1])
        for arc in arcs.dropFirst(2) { content += base128(arc) }
        return tlv(0x06, content)
    }

    private static func base128(_ v: UInt64) -> [UInt8] {
        var out = [UInt8(v & 0x7F)]
        var rest = v >> 7
        while rest > 0 {
            out.insert(UInt8(rest & 0x7F) | 0x80, at: 0)
            rest >>= 7
        }
        return out
    }

    /// X.690 §11.6: SET OF elements in ascending order of their encodings, the shorter padded with zeros.
    public static func setOrder(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        for i in 0..<max(a.count, b.count) {
            let x = i < a.count ? a[i] : 0, y = i < b.count ? b[i] : 0
            if x != y { return x < y }
        }
        return false
    }

    public static func sequence(_ elements: [[UInt8]]) -> [UInt8] { tlv([0x30], elements.flatMap { $0 }) }
    public static func set(_ elements: [[UInt8]]) -> [UInt8] { tlv([0x31], elements.flatMap { $0 }) }
    public static func octetString(_ bytes: [UInt8]) -> [UInt8] { tlv([0x04], bytes) }
    public static let null: [UInt8] = [0x05, 0x00]

    /// INTEGER (tag 0x02) or ENUMERATED (0x0A), minimal two's complement.
    public static func integer(_ value: Int, tag: UInt8 = 0x02) -> [UInt8] {
        var bytes: [UInt8] = []
        var v = value
        repeat {
            bytes.insert(UInt8(truncatingIfNeeded: v), at: 0)
            v >>= 8
        } while v != 0 && v != -1
        // Keep the sign bit right.
        if value >= 0, bytes[0] & 0x80 != 0 { bytes.insert(0, at: 0) }
        if value < 0, bytes[0] & 0x80 == 0 { bytes.insert(0xFF, at: 0) }
        return tlv([tag], bytes)
    }

    /// The identifier octets of a context-specific tag [number], constructed or primitive (high-tag-number form
    /// from 31 up).
    public static func contextTag(_ number: UInt, constructed: Bool) -> [UInt8] {
        let base: UInt8 = constructed ? 0xA0 : 0x80
        if number < 31 { return [base | UInt8(number)] }
        var groups: [UInt8] = []
        var v = number
        repeat {
            groups.insert(UInt8(v & 0x7F), at: 0)
            v >>= 7
        } while v > 0
        for i in 0..<(groups.count - 1) { groups[i] |= 0x80 }
        return [base | 0x1F] + groups
    }

    /// [number] EXPLICIT value.
    public static func explicit(_ number: UInt, _ value: [UInt8]) -> [UInt8] { tlv(contextTag(number, constructed: true), value) }

    /// The raw `r || s` (each `coordinateBytes` long, as JWS writes ECDSA signatures) of a DER ECDSA-Sig-Value.
    public static func rawECDSASignature(der: [UInt8], coordinateBytes: Int) -> [UInt8]? {
        var p = 0
        func read(_ tag: UInt8) -> ArraySlice<UInt8>? {
            guard p + 2 <= der.count, der[p] == tag else { return nil }
            var n = Int(der[p + 1])
            p += 2
            if n & 0x80 != 0 {
                let k = n & 0x7F
                guard k >= 1, k <= 2, p + k <= der.count else { return nil }
                n = der[p..<(p + k)].reduce(0) { $0 << 8 | Int($1) }
                p += k
            }
            guard p + n <= der.count else { return nil }
            defer { p += n }
            return der[p..<(p + n)]
        }
        guard read(0x30) != nil else { return nil }
        p = der[1] & 0x80 != 0 ? 2 + Int(der[1] & 0x7F) : 2
        guard let r = read(0x02), let s = read(0x02) else { return nil }
        func pad(_ v: ArraySlice<UInt8>) -> [UInt8]? {
            let trimmed = Array(v.drop { $0 == 0 })
            guard trimmed.count <= coordinateBytes else { return nil }
            return [UInt8](repeating: 0, count: coordinateBytes - trimmed.count) + trimmed
        }
        guard let rr = pad(r), let ss = pad(s) else { return nil }
        return rr + ss
    }
}
