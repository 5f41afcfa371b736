extension UnsafeRawBufferPointer {
    /// The base address as the `const unsigned char *` OpenSSL wants (nil when empty).
    @inline(__always)
    var bytePointer: UnsafePointer<UInt8>? {
        baseAddress?.assumingMemoryBound(to: UInt8.self)
    }
}

/// Big-endian unsigned integers as byte strings.
enum BigEndian {
    /// The bytes with leading zero bytes removed (empty for zero).
    static func stripped(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var start = 0
        while start < bytes.count, bytes[start] == 0 { start += 1 }
        return UnsafeRawBufferPointer(rebasing: bytes[start...])
    }

    /// Bit length of a stripped value (0 for empty).
    static func bitLength(ofStripped bytes: UnsafeRawBufferPointer) -> Int {
        guard let first = bytes.first else { return 0 }
        return (bytes.count - 1) * 8 + (8 - first.leadingZeroBitCount)
    }

    /// Compares two stripped values: -1, 0, 1.
    static func compare(stripped a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        for i in 0..<a.count where a[i] != b[i] {
            return a[i] < b[i] ? -1 : 1
        }
        return 0
    }
}
