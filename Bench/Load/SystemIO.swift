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
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0, errno == EINTR { continue }
        if n <= 0 { break }
        out.append(contentsOf: chunk[0..<n])
    }
    return String(decoding: out, as: UTF8.self)
}

enum Clock {
    /// Monotonic nanoseconds.
    @inline(__always)
    static func nanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
