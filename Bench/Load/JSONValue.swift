import PasskeyJSON
import PasskeyWebAuthn

/// A JSON document to write (the library's JSONWriter has no floating point). Objects keep member order.
indirect enum JSONValue {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    case int(Int64)
    /// Written with `digits` decimals; non-finite values are written as null.
    case number(Double, digits: Int)
    case bool(Bool)
    case null

    static func int(_ v: Int) -> JSONValue { .int(Int64(v)) }
    static func uint(_ v: UInt64) -> JSONValue { .int(Int64(clamping: v)) }
    static func optional(_ v: JSONValue?) -> JSONValue { v ?? .null }

    /// Indented two spaces a level; an object or array whose members are all scalars stays on one line.
    func render(indent: Int = 0) -> String {
        switch self {
        case let .object(members):
            if members.isEmpty { return "{}" }
            if members.allSatisfy({ $0.1.isScalar }) {
                return "{" + members.map { JSONWriter.quoted($0.0) + ": " + $0.1.render() }.joined(separator: ", ") + "}"
            }
            let pad = String(repeating: " ", count: indent + 2)
            let body = members.map { pad + JSONWriter.quoted($0.0) + ": " + $0.1.render(indent: indent + 2) }
            return "{\n" + body.joined(separator: ",\n") + "\n" + String(repeating: " ", count: indent) + "}"
        case let .array(items):
            if items.isEmpty { return "[]" }
            if items.allSatisfy({ $0.isScalar || $0.isSmallArray }) {
                return "[" + items.map { $0.render() }.joined(separator: ", ") + "]"
            }
            let pad = String(repeating: " ", count: indent + 2)
            return "[\n" + items.map { pad + $0.render(indent: indent + 2) }.joined(separator: ",\n") + "\n"
                + String(repeating: " ", count: indent) + "]"
        case let .string(s): return JSONWriter.quoted(s)
        case let .int(i): return String(i)
        case let .number(v, digits):
            guard v.isFinite else { return "null" }
            return fixed(v, digits)
        case let .bool(b): return b ? "true" : "false"
        case .null: return "null"
        }
    }

    private var isScalar: Bool {
        switch self {
        case .object, .array: false
        default: true
        }
    }

    /// A pair like [99.9, 1234.5] (distribution points) stays inline inside its array.
    private var isSmallArray: Bool {
        if case let .array(items) = self { return items.count <= 4 && items.allSatisfy(\.isScalar) }
        return false
    }
}

/// `v` with `digits` decimals, without Foundation's String(format:).
func fixed(_ v: Double, _ digits: Int) -> String {
    guard v.isFinite else { return "\(v)" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (abs(v) * scale).rounded()
    let whole = Int64(scaled / scale)
    let sign = v < 0 && scaled != 0 ? "-" : ""
    guard digits > 0 else { return sign + "\(whole)" }
    let frac = Int64(scaled - Double(whole) * scale)
    var f = "\(frac)"
    while f.count < digits { f = "0" + f }
    return sign + "\(whole).\(f)"
}
