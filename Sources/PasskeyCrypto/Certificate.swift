internal import CPasskeyOpenSSL
import Synchronization

/// A parsed X.509 certificate (attestation certificates and their CAs).
///
/// Sendable: never mutated after parsing; OpenSSL guards its lazily cached extension data
/// with the certificate's own lock.
public final class Certificate: @unchecked Sendable {
    let x509: OpaquePointer
    /// The exact DER this certificate was parsed from.
    public let derBytes: [UInt8]
    /// Validity bounds in Unix seconds.
    public let notBefore: Int64
    public let notAfter: Int64
    /// `publicKey`, built at its first use and kept: a function of this certificate's immutable X509 alone, so every
    /// later call (a batch leaf from `ParsedCertificateCache`) gets the key building again would give.
    private let subjectKey = Mutex<PublicKey?>(nil)

    /// Parses DER (d2i_X509; every byte must be consumed). Also rejected as malformed:
    /// unparsable validity times, extensions OpenSSL marks invalid, and repeated extensions.
    public init(der: UnsafeRawBufferPointer) throws(CryptoError) {
        guard let base = der.bytePointer, der.count > 0 else {
            throw CryptoError(.malformedCertificate, "empty certificate")
        }
        var cursor: UnsafePointer<UInt8>? = base
        guard let x509 = d2i_X509(nil, &cursor, der.count) else {
            throw CryptoError.openssl(.malformedCertificate, "unparsable X.509 certificate")
        }
        do throws(CryptoError) {
            guard let cursor, cursor - base == der.count else {
                throw CryptoError(.malformedCertificate, "trailing bytes after the certificate")
            }
            guard let notBefore = ASN1Time.unixSeconds(X509_get0_notBefore(x509)),
                  let notAfter = ASN1Time.unixSeconds(X509_get0_notAfter(x509)) else {
                throw CryptoError(.malformedCertificate, "unparsable validity time")
            }
            if X509_get_extension_flags(x509) & UInt32(EXFLAG_INVALID) != 0 {
                throw CryptoError.openssl(.malformedCertificate, "certificate has invalid extensions")
            }
            try Self.rejectRepeatedExtensions(x509)
            self.notBefore = notBefore
            self.notAfter = notAfter
        } catch {
            X509_free(x509)
            throw error
        }
        self.x509 = x509
        self.derBytes = Array(der)
        OpenSSLErrors.clear()
    }

    /// Convenience over a byte array.
    public convenience init(der: [UInt8]) throws(CryptoError) {
        let result = der.withUnsafeBytes { bytes in
            Result { () throws(CryptoError) -> Certificate in try Certificate(der: bytes) }
        }
        try self.init(copying: result.get())
    }

    /// Parses the first "CERTIFICATE" PEM block.
    public convenience init(pem: String) throws(CryptoError) {
        let der: [UInt8]? = MemoryBIO.reading(pem) { bio -> [UInt8]? in
            guard let x509 = PEM_read_bio_X509(bio, nil, nil, nil) else { return nil }
            defer { X509_free(x509) }
            return Self.encode(x509)
        }
        guard let der else {
            throw CryptoError.openssl(.malformedCertificate, "no readable certificate in PEM")
        }
        try self.init(der: der)
    }

    /// Shares another instance's parsed certificate.
    private init(copying other: Certificate) {
        X509_up_ref(other.x509)
        x509 = other.x509
        derBytes = other.derBytes
        notBefore = other.notBefore
        notAfter = other.notAfter
    }

    deinit { X509_free(x509) }

    /// 1-based X.509 version (3 for v3).
    public var version: Int { Int(X509_get_version(x509)) + 1 }

    /// The certificate as PEM.
    public var pemString: String {
        MemoryBIO.writing { bio in PEM_write_bio_X509(bio, x509) == 1 } ?? ""
    }

    /// The subject public key, validated like `PublicKey.subjectPublicKeyInfo` (RSA >= 2048 bits). Built once per
    /// instance (reading the components out of OpenSSL's key and building our own costs about a third of a P-256
    /// verify); a key that fails validation is not kept and fails the same way on every call.
    public var publicKey: PublicKey {
        get throws(CryptoError) {
            if let key = subjectKey.withLock({ $0 }) { return key }
            guard let pkey = X509_get0_pubkey(x509) else {
                throw CryptoError.openssl(.invalidKey, "certificate public key is unreadable")
            }
            let built = try PublicKey.canonical(from: pkey, minimumRSAModulusBits: 2048)
            // Two threads may both build it; the first stored wins, and both keys are the same key.
            return subjectKey.withLock { stored in
                if let stored { return stored }
                stored = built
                return built
            }
        }
    }

    static func encode(_ x509: OpaquePointer) -> [UInt8]? {
        let length = i2d_X509(x509, nil)
        guard length > 0 else { return nil }
        var out = [UInt8](repeating: 0, count: Int(length))
        let written = out.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_X509(x509, &cursor)
        }
        return written == length ? out : nil
    }
}
