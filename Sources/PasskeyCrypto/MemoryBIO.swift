internal import CPasskeyOpenSSL

/// Memory BIOs for PEM in and out.
enum MemoryBIO {
    /// Runs `body` with a writable memory BIO and returns what was written as a String,
    /// or nil if `body` returned false.
    static func writing(_ body: (OpaquePointer) -> Bool) -> String? {
        guard let bio = BIO_new(BIO_s_mem()) else {
            OpenSSLErrors.clear()
            return nil
        }
        defer { BIO_free(bio) }
        guard body(bio) else {
            OpenSSLErrors.clear()
            return nil
        }
        var data: UnsafePointer<CChar>?
        let length = passkey_bio_mem_data(bio, &data)
        guard length > 0, let data else { return "" }
        let bytes = UnsafeRawBufferPointer(start: data, count: Int(length))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Runs `body` with a read-only memory BIO over `text`.
    static func reading<T>(_ text: String, _ body: (OpaquePointer) -> T?) -> T? {
        var utf8 = Array(text.utf8)
        if utf8.isEmpty { utf8.append(0x0A) }
        return utf8.withUnsafeBytes { bytes -> T? in
            guard bytes.count <= Int(Int32.max), let bio = BIO_new_mem_buf(bytes.baseAddress, Int32(bytes.count)) else {
                OpenSSLErrors.clear()
                return nil
            }
            defer { BIO_free(bio) }
            return body(bio)
        }
    }
}
