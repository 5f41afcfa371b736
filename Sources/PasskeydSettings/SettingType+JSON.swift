import PasskeyJSON
import PasskeyWebAuthn

extension SettingType {
    /// Parses a config file member; nil when it has the wrong JSON type, does not parse or is out of range. JSON
    /// `null` is not "unset": it is an error like any other wrong value.
    func parse(_ r: JSONReader, _ v: JSONReader.Value) -> SettingValue? {
        switch self {
        case .integer(let range):
            guard let i = r.int64(v), let n = Int(exactly: i), range.contains(n) else { return nil }
            return .integer(n)
        case .octal:
            guard r.kind(v) == .string, let s = r.string(v) else { return nil }
            return parse(s)
        case .boolean:
            return r.bool(v).map { .boolean($0) }
        case .text, .choice, .address:
            guard r.kind(v) == .string, let s = r.string(v) else { return nil }
            return parse(s)
        case .uidList(let range):
            guard r.kind(v) == .array, r.count(v) > 0 else { return nil }
            var uids: [UInt32] = []
            var bad = false
            r.forEachElement(v) { e in
                if let i = r.int64(e), i >= Int64(range.lowerBound), i <= Int64(range.upperBound) {
                    uids.append(UInt32(i))
                } else {
                    bad = true
                }
            }
            return bad ? nil : .uids(uids)
        case .pathList(let max, let count):
            guard r.kind(v) == .array, (1...count).contains(r.count(v)) else { return nil }
            var paths: [String] = []
            var bad = false
            r.forEachElement(v) { e in
                if r.kind(e) == .string, let s = r.string(e), Self.isValidText(s, maxBytes: max) {
                    paths.append(s)
                } else {
                    bad = true
                }
            }
            return bad ? nil : .texts(paths)
        }
    }
}

extension JSONReader {
    /// A value's text as it stands in the file, for messages (strings with their quotes, long values cut).
    func displayText(_ v: Value) -> String {
        var text = String(decoding: rawBytes(v), as: UTF8.self)
        if kind(v) == .string { text = "\"" + text + "\"" }
        return SettingProblem.printable(text)
    }
}
