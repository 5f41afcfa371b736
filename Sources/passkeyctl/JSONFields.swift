import PasskeyRequests
import PasskeyClient
import PasskeyWebAuthn

/// Typed access to the members of the request object; a wrong type is a `RequestError` (exit 2).
struct JSONFields {
    let reader: JSONReader
    let root: JSONReader.Value

    /// The member's value; nil when absent or null.
    func value(_ name: String) -> JSONReader.Value? {
        var found: JSONReader.Value?
        reader.forEachMember(root) { k, v in if found == nil, reader.string(k) == name { found = v } }
        if let f = found, reader.kind(f) == .null { return nil }
        return found
    }

    func requiredString(_ name: String) throws(RequestError) -> String {
        guard let s = try string(name) else { throw RequestError("'\(name)' is required") }
        return s
    }

    func string(_ name: String) throws(RequestError) -> String? {
        guard let v = value(name) else { return nil }
        guard let s = reader.string(v) else { throw RequestError("'\(name)' must be a string") }
        return s
    }

    func bool(_ name: String) throws(RequestError) -> Bool? {
        guard let v = value(name) else { return nil }
        guard let b = reader.bool(v) else { throw RequestError("'\(name)' must be true or false") }
        return b
    }

    func int(_ name: String) throws(RequestError) -> Int64? {
        guard let v = value(name) else { return nil }
        guard let i = reader.int64(v) else { throw RequestError("'\(name)' must be an integer") }
        return i
    }

    func strings(_ name: String) throws(RequestError) -> [String]? {
        guard let v = value(name) else { return nil }
        guard reader.kind(v) == .array else { throw RequestError("'\(name)' must be an array of strings") }
        var out: [String] = []
        var bad = false
        reader.forEachElement(v) { e in if let s = reader.string(e) { out.append(s) } else { bad = true } }
        if bad { throw RequestError("'\(name)' must be an array of strings") }
        return out
    }

    func ints(_ name: String) throws(RequestError) -> [Int64]? {
        guard let v = value(name) else { return nil }
        guard reader.kind(v) == .array else { throw RequestError("'\(name)' must be an array of integers") }
        var out: [Int64] = []
        var bad = false
        reader.forEachElement(v) { e in if let i = reader.int64(e) { out.append(i) } else { bad = true } }
        if bad { throw RequestError("'\(name)' must be an array of integers") }
        return out
    }

    func base64url(_ name: String) throws(RequestError) -> [UInt8]? {
        guard let s = try string(name) else { return nil }
        guard let b = Base64URL.decode(s, allowPadding: true) else { throw RequestError("'\(name)' is not base64url") }
        return b
    }

    func action(_ name: String) throws(RequestError) -> RelyingPartyPolicy.SignalAction? {
        guard let v = value(name) else { return nil }
        guard let s = reader.string(v), let a = RelyingPartyPolicy.SignalAction(rawValue: s) else {
            throw RequestError("'\(name)' must be \"reject\" or \"report\"")
        }
        return a
    }
}
