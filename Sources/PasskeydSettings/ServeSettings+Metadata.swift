public import PasskeyMetadata
import PasskeyCrypto
import PasskeyJSON

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why the metadata could not be loaded: the file or setting concerned and, for a BLOB that does not verify, the
/// failed check's code (`MetadataError.Code`).
public struct MetadataLoadError: Error, Sendable, CustomStringConvertible {
    public let setting: String
    public let path: String
    /// The BLOB check that failed; nil when a file could not be read or a root or CRL did not parse.
    public let code: MetadataError.Code?
    public let message: String

    public var description: String {
        "\(setting) \(path): " + (code.map { "\($0.rawValue): " } ?? "") + message
    }
}

extension ServeSettings {
    /// Most root certificates read from `metadata_root_cert_file`.
    static let maxMetadataRoots = 64

    /// Reads `metadata_blob_file`, `metadata_root_cert_file` and `metadata_crl_files` and verifies the BLOB
    /// (`MetadataBLOB.load`) at `time` (nil: now). nil when no BLOB is configured. At start a failure stops the
    /// daemon (exit 2); on SIGHUP it keeps the previous BLOB. `minimumNumber` refuses a BLOB older than the running one.
    public func loadMetadata(at time: Int64? = nil, minimumNumber: Int? = nil) throws(MetadataLoadError) -> MetadataIndex? {
        guard let blobPath = metadataBLOBPath else { return nil }
        guard let rootPath = metadataRootCertificatePath else {
            throw MetadataLoadError(setting: "metadata_root_cert_file", path: "", code: nil, message: "not set")
        }
        let limits = MetadataBLOB.Limits.default
        let rootBytes = try Self.readFile(rootPath, setting: "metadata_root_cert_file", limit: 1 << 20)
        let roots = try Self.pemCertificates(rootBytes, path: rootPath)
        var lists: [RevocationList] = []
        for path in metadataCRLPaths {
            let bytes = try Self.readFile(path, setting: "metadata_crl_files", limit: 16 << 20)
            do throws(CryptoError) {
                lists += try RevocationList.parseFile(bytes)
            } catch {
                throw MetadataLoadError(setting: "metadata_crl_files", path: path, code: nil, message: "not a PEM or DER CRL: \(error.message)")
            }
        }
        let blob = try Self.readFile(blobPath, setting: "metadata_blob_file", limit: limits.maxBLOBBytes)
        do throws(MetadataError) {
            return try MetadataBLOB.load(
                blob, roots: roots, revocationLists: lists, at: time, minimumNumber: minimumNumber, limits: limits)
        } catch {
            throw MetadataLoadError(setting: "metadata_blob_file", path: blobPath, code: error.code, message: error.message)
        }
    }

    /// Every "CERTIFICATE" block of a PEM file, at least one.
    static func pemCertificates(_ bytes: [UInt8], path: String) throws(MetadataLoadError) -> [Certificate] {
        func failure(_ message: String) -> MetadataLoadError {
            MetadataLoadError(setting: "metadata_root_cert_file", path: path, code: nil, message: message)
        }
        let ders: [[UInt8]]
        do throws(PEM.Problem) {
            ders = try PEM.someCertificates(bytes)
        } catch {
            throw failure("\(error)")
        }
        guard ders.count <= maxMetadataRoots else { throw failure("more than \(maxMetadataRoots) certificates") }
        var certificates: [Certificate] = []
        for der in ders {
            do throws(CryptoError) {
                certificates.append(try Certificate(der: der))
            } catch {
                throw failure("certificate \(certificates.count) does not parse: \(error.message)")
            }
        }
        return certificates
    }

    /// A whole file, refused as soon as more than `limit` bytes have been read.
    static func readFile(_ path: String, setting: String, limit: Int) throws(MetadataLoadError) -> [UInt8] {
        guard let f = fopen(path, "rb") else {
            throw MetadataLoadError(setting: setting, path: path, code: nil, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > limit {
                throw MetadataLoadError(setting: setting, path: path, code: .tooLarge, message: "larger than \(limit) bytes")
            }
        }
        if ferror(f) != 0 { throw MetadataLoadError(setting: setting, path: path, code: nil, message: "read error") }
        return bytes
    }
}
