#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

struct IOError: Error, CustomStringConvertible {
    let description: String
}

/// Writes (replaces) a file without Foundation.
func writeFile(_ path: String, _ text: String) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw IOError(description: String(cString: strerror(errno))) }
    defer { close(fd) }
    var text = text
    try text.withUTF8 { u in
        var offset = 0
        while offset < u.count {
            let n = write(fd, u.baseAddress! + offset, u.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw IOError(description: String(cString: strerror(errno)))
            }
            offset += n
        }
    }
}

/// Reads a small file (for /proc); nil when it cannot be read.
func readSmallFile(_ path: String) -> String? {
    readFileBytes(path).map { String(decoding: $0, as: UTF8.self) }
}

/// Reads a whole file; nil when it cannot be opened or read.
func readFileBytes(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0, errno == EINTR { continue }
        if n < 0 { return nil }
        if n == 0 { break }
        out.append(contentsOf: chunk[0..<n])
    }
    return out
}

/// Writes a line to standard output at once, unbuffered, so progress shows through pipes (`| tee`) as it happens.
/// Everything the tool prints goes through here: mixing it with the buffered `print` would reorder lines.
func say(_ line: String = "") {
    var text = line + "\n"
    text.withUTF8 { u in
        var offset = 0
        while offset < u.count {
            let n = write(1, u.baseAddress! + offset, u.count - offset)
            if n < 0, errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
        }
    }
}

/// The wall-clock time as `2025-01-31T12:00:00Z`.
func utcTimestamp() -> String {
    var t = time(nil)
    var parts = tm()
    gmtime_r(&t, &parts)
    func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
    return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
        + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
}

/// Online CPUs.
func onlineCPUs() -> Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

enum Clock {
    /// Monotonic nanoseconds.
    @inline(__always)
    static func nanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
