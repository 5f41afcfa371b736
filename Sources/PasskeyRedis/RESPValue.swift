public import NIOCore

/// A RESP2 reply (the Redis serialization protocol: https://redis.io/docs/latest/develop/reference/protocol-spec/),
/// plus RESP3's null, which a server may send too. Only what the replay store's commands can get back.
public enum RESPValue: Sendable, Equatable {
    case simpleString(String)
    case error(String)
    case integer(Int64)
    case bulkString(ByteBuffer)
    case null
    case array([RESPValue])

    /// `+OK`.
    public var isOK: Bool { if case .simpleString("OK") = self { true } else { false } }
}

/// Why a reply could not be parsed. The connection is closed: a byte stream that went wrong once cannot be trusted.
public struct RESPError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    init(_ d: String) { description = d }
}

/// Parses RESP replies from the front of a buffer, one at a time, without consuming a reply that has not fully
/// arrived. Sizes are checked before anything is buffered: the replies this client expects are tiny, so a bulk
/// string above `maximumBulkBytes`, an array above `maximumArrayCount` elements or nesting deeper than
/// `maximumDepth` is a protocol error, not a reason to keep reading.
public struct RESPParser: Sendable {
    public var maximumBulkBytes = 1 << 20
    public var maximumArrayCount = 1024
    public var maximumDepth = 4
    /// A header line (type byte to CRLF) longer than this is an error.
    public var maximumLineBytes = 4096

    public init() {}

    /// The next whole reply, consumed from `buffer`; nil (nothing consumed) when more bytes are needed.
    public func next(_ buffer: inout ByteBuffer) throws(RESPError) -> RESPValue? {
        var copy = buffer
        guard let value = try parse(&copy, depth: 0) else { return nil }
        buffer = copy
        return value
    }

    private func parse(_ b: inout ByteBuffer, depth: Int) throws(RESPError) -> RESPValue? {
        guard let type = b.getInteger(at: b.readerIndex, as: UInt8.self) else { return nil }
        guard let line = try readLine(&b) else { return nil }
        switch type {
        case UInt8(ascii: "+"): return .simpleString(line)
        case UInt8(ascii: "-"): return .error(line)
        case UInt8(ascii: ":"):
            guard let n = Int64(line) else { throw RESPError("integer reply '\(line.prefix(32))' is not a number") }
            return .integer(n)
        case UInt8(ascii: "_"):
            guard line.isEmpty else { throw RESPError("null reply with a payload") }
            return .null
        case UInt8(ascii: "$"):
            guard let n = Int(line), n >= -1 else { throw RESPError("bulk length '\(line.prefix(32))' is not a length") }
            if n == -1 { return .null }
            guard n <= maximumBulkBytes else { throw RESPError("bulk string of \(n) bytes (at most \(maximumBulkBytes))") }
            guard b.readableBytes >= n + 2 else { return nil }
            let payload = b.readSlice(length: n)!
            guard b.readInteger(as: UInt16.self) == 0x0D0A else { throw RESPError("bulk string not followed by CRLF") }
            return .bulkString(payload)
        case UInt8(ascii: "*"):
            guard let n = Int(line), n >= -1 else { throw RESPError("array length '\(line.prefix(32))' is not a length") }
            if n == -1 { return .null }
            guard n <= maximumArrayCount else { throw RESPError("array of \(n) elements (at most \(maximumArrayCount))") }
            guard depth < maximumDepth else { throw RESPError("arrays nested deeper than \(maximumDepth)") }
            var elements: [RESPValue] = []
            elements.reserveCapacity(n)
            for _ in 0..<n {
                guard let e = try parse(&b, depth: depth + 1) else { return nil }
                elements.append(e)
            }
            return .array(elements)
        default:
            throw RESPError("unexpected reply type byte 0x\(String(type, radix: 16))")
        }
    }

    /// The text between the type byte and CRLF, consumed with both; nil when the CRLF has not arrived.
    private func readLine(_ b: inout ByteBuffer) throws(RESPError) -> String? {
        let start = b.readerIndex + 1
        let available = b.readableBytes - 1
        let limit = min(available, maximumLineBytes + 2)
        let found: Int? = b.withUnsafeReadableBytes { raw in
            guard limit >= 2 else { return nil }
            var i = 1
            while i + 1 <= limit {
                if raw[i] == 0x0D, raw[i + 1] == 0x0A { return i - 1 }
                i += 1
            }
            return nil
        }
        guard let length = found else {
            if available > maximumLineBytes + 1 { throw RESPError("reply line longer than \(maximumLineBytes) bytes") }
            return nil
        }
        let text = b.getString(at: start, length: length) ?? ""
        b.moveReaderIndex(forwardBy: 1 + length + 2)
        return text
    }
}

/// Writes commands as RESP arrays of bulk strings.
public enum RESPCommand {
    /// `*<n>\r\n` then `$<len>\r\n<arg>\r\n` per argument.
    public static func write(_ arguments: [[UInt8]], into b: inout ByteBuffer) {
        b.writeStaticString("*")
        writeDecimal(arguments.count, into: &b)
        for a in arguments {
            b.writeStaticString("$")
            writeDecimal(a.count, into: &b)
            b.writeBytes(a)
            b.writeStaticString("\r\n")
        }
    }

    public static func write(_ arguments: String..., into b: inout ByteBuffer) {
        write(arguments.map { Array($0.utf8) }, into: &b)
    }

    static func writeDecimal(_ n: Int, into b: inout ByteBuffer) {
        b.writeString(String(n))
        b.writeStaticString("\r\n")
    }
}
