#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

public struct ReadError: Error, CustomStringConvertible {
    public let description: String
}

/// Reads a whole file (or standard input for "-") without Foundation.
public func readAll(_ path: String) throws(ReadError) -> [UInt8] {
    let fd: Int32 = path == "-" ? 0 : open(path, O_RDONLY)
    guard fd >= 0 else { throw ReadError(description: String(cString: strerror(errno))) }
    defer { if fd != 0 { close(fd) } }
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            throw ReadError(description: String(cString: strerror(errno)))
        }
        if n == 0 { break }
        out.append(contentsOf: chunk[0..<n])
        if out.count > 16 << 20 { throw ReadError(description: "request larger than 16 MiB") }
    }
    return out
}

public func printError(_ s: String) {
    var line = s + "\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

/// The request file (or standard input for "-") parsed by `parse`; nil after saying why: a file that cannot be read
/// on standard error, a request that cannot be used as an `ok: false` line on standard output. Either way the tool
/// exits 2. `tool` prefixes the message ("passkeyd").
public func readRequest<T>(_ path: String, tool: String, _ parse: ([UInt8]) throws(RequestError) -> T) -> T? {
    let bytes: [UInt8]
    do {
        bytes = try readAll(path)
    } catch {
        printError("\(tool): cannot read \(path): \(error)")
        return nil
    }
    do throws(RequestError) {
        return try parse(bytes)
    } catch {
        print(VerdictJSON.error(code: .malformedRequest, message: error.description))
        return nil
    }
}
