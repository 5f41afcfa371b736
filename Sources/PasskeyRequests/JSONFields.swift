public import PasskeyJSON
public import PasskeyWebAuthn

/// Typed member access to a JSON object with request-level errors (a wrong type is unusable input: exit 2).
public struct JSONFields {
    public let reader: JSONReader
    public let root: JSONReader.Value

    public init(reader: JSONReader, root: JSONReader.Value) {
        self.reader = reader
        self.root = root
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

    public func action(_ name: String) throws(RequestError) -> SignalAction? {
        guard let v = value(name) else { return nil }
        guard let s = reader.string(v), let a = SignalAction(rawValue: s) else {
            throw RequestError("'\(name)' must be \"reject\" or \"report\"")
        }
        return a
    }
}
