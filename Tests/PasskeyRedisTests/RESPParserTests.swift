import NIOCore
import PasskeyRedis
import Testing

/// The RESP reply parser: every reply type, replies split at every byte, limits checked before buffering.
@Suite struct RESPParserTests {
    func buffer(_ s: String) -> ByteBuffer { ByteBuffer(string: s) }

    func all(_ s: String) throws -> [RESPValue] {
        var b = buffer(s)
        var out: [RESPValue] = []
        while let v = try RESPParser().next(&b) { out.append(v) }
        #expect(b.readableBytes == 0)
        return out
    }

    @Test func everyReplyType() throws {
        let values = try all("+OK\r\n$-1\r\n-ERR wrong\r\n:42\r\n$3\r\nabc\r\n_\r\n*2\r\n:1\r\n$0\r\n\r\n*-1\r\n")
        #expect(values == [
            .simpleString("OK"), .null, .error("ERR wrong"), .integer(42), .bulkString(buffer("abc")), .null,
            .array([.integer(1), .bulkString(buffer(""))]), .null,
        ])
        #expect(values[0].isOK && !values[1].isOK)
    }

    @Test func aReplySplitAnywhereWaitsForTheRest() throws {
        let text = "+OK\r\n$5\r\nhello\r\n*2\r\n+a\r\n$-1\r\n"
        let bytes = Array(text.utf8)
        for cut in 0...bytes.count {
            var b = ByteBuffer(bytes: bytes[..<cut])
            var got: [RESPValue] = []
            while let v = try RESPParser().next(&b) { got.append(v) }
            // Whatever did not parse is still there, whole.
            b.writeBytes(bytes[cut...])
            while let v = try RESPParser().next(&b) { got.append(v) }
            #expect(got == [.simpleString("OK"), .bulkString(buffer("hello")), .array([.simpleString("a"), .null])], "cut at \(cut)")
        }
    }

    @Test func limitsAreCheckedFromTheHeader() {
        var parser = RESPParser()
        parser.maximumBulkBytes = 16
        var big = buffer("$17\r\n")
        #expect(throws: RESPError.self) { _ = try parser.next(&big) }
        var deep = buffer("*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n")
        #expect(throws: RESPError.self) { _ = try RESPParser().next(&deep) }
        var many = buffer("*100000\r\n")
        #expect(throws: RESPError.self) { _ = try RESPParser().next(&many) }
        var longLine = buffer("+" + String(repeating: "x", count: 5000))
        #expect(throws: RESPError.self) { _ = try RESPParser().next(&longLine) }
        for bad in ["?x\r\n", ":12a\r\n", "$-2\r\n", "$3\r\nabcd\r\n", "_x\r\n"] {
            var b = buffer(bad)
            #expect(throws: RESPError.self, "\(bad)") { _ = try RESPParser().next(&b) }
        }
    }

    @Test func commandsAreArraysOfBulkStrings() {
        var b = ByteBuffer()
        RESPCommand.write("SET", "k", "1", "NX", "PX", "60000", into: &b)
        #expect(b.readString(length: b.readableBytes) == "*6\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\n1\r\n$2\r\nNX\r\n$2\r\nPX\r\n$5\r\n60000\r\n")
    }
}

@Suite struct RedisURLTests {
    @Test func tcpURLs() throws {
        #expect(try RedisURL(parsing: "redis://127.0.0.1") == RedisURL(endpoint: .tcp(host: "127.0.0.1", port: 6379)))
        #expect(
            try RedisURL(parsing: "redis://:s%40cret@cache.internal:6380/3")
                == RedisURL(endpoint: .tcp(host: "cache.internal", port: 6380), password: "s@cret", database: 3))
        #expect(
            try RedisURL(parsing: "redis://app:pw@[::1]:7000")
                == RedisURL(endpoint: .tcp(host: "::1", port: 7000), user: "app", password: "pw"))
        // The password never appears in descriptions.
        #expect(!(try RedisURL(parsing: "redis://:hunter2@h:1/0")).description.contains("hunter2"))
    }

    @Test func unixURLs() throws {
        #expect(
            try RedisURL(parsing: "unix:///run/redis/redis.sock?password=p%26w&db=2")
                == RedisURL(endpoint: .unix(path: "/run/redis/redis.sock"), password: "p&w", database: 2))
        #expect(try RedisURL(parsing: "unix:///tmp/r.sock") == RedisURL(endpoint: .unix(path: "/tmp/r.sock")))
    }

    @Test func badURLsAreRefused() {
        for bad in [
            "rediss://h:6379", "http://h", "redis://", "redis://h:0", "redis://h:70000", "redis://h:port", "redis://h/db",
            "redis://[::1", "unix://relative.sock", "unix:///s?color=red", "unix:///s?db=x", "redis://h?x=1",
            "redis://:%zz@h",
        ] {
            #expect(throws: RedisURL.ParseError.self, "\(bad)") { _ = try RedisURL(parsing: bad) }
        }
    }
}
