internal import CPasskeyOpenSSL

/// OpenSSL keeps a per-thread error queue. Every failed call leaves entries there; they are
/// drained right after the failure so a later, unrelated call never reports a stale reason.
enum OpenSSLErrors {
    /// Discards the thread's queued errors.
    @inline(__always)
    static func clear() {
        ERR_clear_error()
    }

    /// Returns the most recent queued reason (or "" if none) and clears the queue.
    static func drain() -> String {
        let code = ERR_peek_last_error()
        defer { ERR_clear_error() }
        guard code != 0 else { return "" }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension CryptoError {
    /// An error whose message carries OpenSSL's queued reason (and clears the queue).
    static func openssl(_ code: Code, _ context: String) -> CryptoError {
        let reason = OpenSSLErrors.drain()
        return CryptoError(code, reason.isEmpty ? context : "\(context) (OpenSSL: \(reason))")
    }
}
