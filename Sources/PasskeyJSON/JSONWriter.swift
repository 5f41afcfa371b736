/// A minimal JSON text builder for verdicts and test fixtures: objects, arrays, escaped strings, numbers, booleans.
public struct JSONWriter {
    public private(set) var text = ""
    private var needsComma = [false]

    public init() {}

    private var pendingKey = false

    public mutating func beginObject() { valuePrefix(); text += "{"; needsComma.append(false) }
    public mutating func endObject() { text += "}"; needsComma.removeLast() }
    public mutating func beginArray() { valuePrefix(); text += "["; needsComma.append(false) }
    public mutating func endArray() { text += "]"; needsComma.removeLast() }

    /// Writes a member name; the next value written belongs to it.
    public mutating func key(_ k: String) {
        if needsComma[needsComma.count - 1] { text += "," }
        text += Self.quoted(k) + ":"
        pendingKey = true
    }

    private mutating func valuePrefix() {
        if pendingKey {
            pendingKey = false
        } else if needsComma[needsComma.count - 1] {
            text += ","
        }
        needsComma[needsComma.count - 1] = true
    }

    public mutating func string(_ s: String) { valuePrefix(); text += Self.quoted(s) }
    public mutating func int(_ i: Int64) { valuePrefix(); text += String(i) }
    public mutating func bool(_ b: Bool) { valuePrefix(); text += b ? "true" : "false" }
    public mutating func null() { valuePrefix(); text += "null" }

    public mutating func member(_ k: String, _ s: String) { key(k); string(s) }
    public mutating func member(_ k: String, _ i: Int64) { key(k); int(i) }
    public mutating func member(_ k: String, _ b: Bool) { key(k); bool(b) }

    public static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20:
                let h = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
