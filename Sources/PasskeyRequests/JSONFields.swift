public import PasskeyJSON

/// Typed member access to a JSON object with request-level errors (a wrong type is unusable input: exit 2).
public struct JSONFields {
    public let reader: JSONReader
    public let root: JSONReader.Value

    public init(reader: JSONReader, root: JSONReader.Value) {
        self.reader = reader
        self.root = root
    }

    /// Parses `json` as one strict-JSON object and reads it with `body`; the reader points into `json`'s storage,
    /// so every read happens inside this one scope.
    public static func withObject<T>(
        _ json: [UInt8], _ body: (JSONFields) throws(RequestError) -> T
    ) throws(RequestError) -> T {
        try json.withBytes { (bytes) throws(RequestError) in
            var reader = JSONReader()
            let root: JSONReader.Value
            do {
                root = try reader.parse(bytes)
            } catch {
                throw RequestError("request is not strict JSON: \(error)")
            }
            guard reader.kind(root) == .object else { throw RequestError("request is not a JSON object") }
            return try body(JSONFields(reader: reader, root: root))
        }
    }

    /// The member as an object's fields; nil when absent.
    public func object(_ name: String, _ shape: String = "an object") throws(RequestError) -> JSONFields? {
        guard let v = value(name) else { return nil }
        guard reader.kind(v) == .object else { throw RequestError("'\(name)' must be \(shape)") }
        return JSONFields(reader: reader, root: v)
    }

    public func value(_ name: String) -> JSONReader.Value? {
        var found: JSONReader.Value?
        reader.forEachMember(root) { k, v in if found == nil, reader.string(k) == name { found = v } }
        if let f = found, reader.kind(f) == .null { return nil }
        return found
    }

    public func requiredString(_ name: String) throws(RequestError) -> String {
        guard let s = try string(name) else { throw RequestError("'\(name)' is required") }
        return s
    }

    public func string(_ name: String) throws(RequestError) -> String? {
        guard let v = value(name) else { return nil }
        guard let s = reader.string(v) else { throw RequestError("'\(name)' must be a string") }
        return s
    }

    public func bool(_ name: String) throws(RequestError) -> Bool? {
        guard let v = value(name) else { return nil }
        guard let b = reader.bool(v) else { throw RequestError("'\(name)' must be true or false") }
        return b
    }

    public func int(_ name: String) throws(RequestError) -> Int64? {
        guard let v = value(name) else { return nil }
        guard let i = reader.int64(v) else { throw RequestError("'\(name)' must be an integer") }
        return i
    }

    /// A 32-bit unsigned integer (the wire's uint32 members); anything else is refused rather than clamped.
    public func uint32(_ name: String, _ prefix: String = "") throws(RequestError) -> UInt32? {
        guard let v = try int(name) else { return nil }
        guard let u = UInt32(exactly: v) else { throw RequestError("'\(prefix)\(name)' must be an integer from 0 to 4294967295") }
        return u
    }

    public func strings(_ name: String) throws(RequestError) -> [String]? {
        guard let v = value(name) else { return nil }
        guard reader.kind(v) == .array else { throw RequestError("'\(name)' must be an array of strings") }
        var out: [String] = []
        var bad = false
        reader.forEachElement(v) { e in if let s = reader.string(e) { out.append(s) } else { bad = true } }
        if bad { throw RequestError("'\(name)' must be an array of strings") }
        return out
    }

    public func ints(_ name: String) throws(RequestError) -> [Int64]? {
        guard let v = value(name) else { return nil }
        guard reader.kind(v) == .array else { throw RequestError("'\(name)' must be an array of integers") }
        var out: [Int64] = []
        var bad = false
        reader.forEachElement(v) { e in if let i = reader.int64(e) { out.append(i) } else { bad = true } }
        if bad { throw RequestError("'\(name)' must be an array of integers") }
        return out
    }

    public func base64url(_ name: String) throws(RequestError) -> [UInt8]? {
        guard let v = value(name) else { return nil }
        guard let s = reader.string(v) else { throw RequestError("'\(name)' must be a string") }
        guard let b = Base64URL.decode(s, allowPadding: true) else { throw RequestError("'\(name)' is not base64url") }
        return b
    }

    /// A risk signal's action, "reject" or "report", as the caller's enum (the wire's or the engine's).
    public func action<Action: RawRepresentable<String>>(_ name: String) throws(RequestError) -> Action? {
        guard let v = value(name) else { return nil }
        guard let s = reader.string(v), let a = Action(rawValue: s) else {
            throw RequestError("'\(name)' must be \"reject\" or \"report\"")
        }
        return a
    }

    /// A string member naming one of an enum's values; `prefix` qualifies the name in errors ("options.").
    public func word<T: RawRepresentable<String>>(_ name: String, _ prefix: String = "") throws(RequestError) -> T? {
        guard let s = try string(name) else { return nil }
        guard let v = T(rawValue: s) else { throw RequestError("'\(prefix)\(name)': '\(s.prefix(64))' is not a known value") }
        return v
    }

    public func words<T: RawRepresentable<String>>(_ name: String, _ prefix: String = "") throws(RequestError) -> [T]? {
        guard let list = try strings(name) else { return nil }
        var out: [T] = []
        for s in list {
            guard let v = T(rawValue: s) else { throw RequestError("'\(prefix)\(name)': '\(s.prefix(64))' is not a known value") }
            out.append(v)
        }
        return out
    }

    /// Refuses members not in `known`, naming them all.
    public func refuseUnknown(_ known: Set<String>, _ what: String = "members") throws(RequestError) {
        var unknown: [String] = []
        reader.forEachMember(root) { k, _ in if let n = reader.string(k), !known.contains(n) { unknown.append(n) } }
        if !unknown.isEmpty { throw RequestError("unknown \(what): \(unknown.joined(separator: ", "))") }
    }
}
