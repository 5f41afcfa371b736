internal import CPasskeyOpenSSL

extension PublicKey {
    /// An ECDSA public key from affine coordinates.
    ///
    /// `x` and `y` must each be exactly `curve.coordinateByteCount` bytes. The point at
    /// infinity (x = y = 0, which 04||x||y can only express that way) is rejected, and so is
    /// any point off the curve or with a coordinate >= p: OpenSSL's point decoding
    /// (EC_POINT_oct2point inside EC_KEY_oct2key) checks both. All supported curves have
    /// cofactor 1, so an on-curve point other than infinity is in the prime-order group and
    /// the costlier full public-key check (an n·Q multiplication, ≈ 50 µs) adds nothing.
    ///
    /// The key is built the legacy way (docs/DESIGN.md, "Cold keys"): an EC_KEY on a copy of a
    /// group made once per curve, ≈ 1.6 µs for P-256 where `EVP_PKEY_fromdata` took ≈ 20 µs
    /// (it makes a new group for every key). `SignatureVerifier` calls `ECDSA_verify` on that
    /// EC_KEY directly, which is what the default provider runs under `EVP_PKEY_verify`.
    ///
    /// Concurrency: after this function returns, neither the EC_KEY nor its group copy is
    /// written again. `ECDSA_verify` takes them as read-only input (ossl_ecdsa_simple_verify_sig
    /// reads the group and the public point and keeps its temporaries in its own BN_CTX and
    /// points); OpenSSL caches nothing lazily in an EC_KEY or EC_GROUP on the verify path (the
    /// only cache, the generator's precomputation, is made when the group is created, or is a
    /// static table, and `EC_KEY_precompute_mult` is never called). The shared per-curve group is
    /// only read (duplicated) by `EC_KEY_set_group`. `ConcurrencyTests` verifies one key from
    /// many threads.
    public static func ec(curve: ECCurve, x: UnsafeRawBufferPointer, y: UnsafeRawBufferPointer) throws(CryptoError) -> PublicKey {
        let size = curve.coordinateByteCount
        guard x.count == size, y.count == size else {
            throw CryptoError(.invalidKey, "EC coordinates must be \(size) bytes each for \(curve), got x: \(x.count), y: \(y.count)")
        }
        if x.allSatisfy({ $0 == 0 }) && y.allSatisfy({ $0 == 0 }) {
            throw CryptoError(.invalidKey, "EC public key is the point at infinity")
        }
        let pointLength = 1 + 2 * size
        let group = ECGroups.shared.group(curve)
        let ecKey = withUnsafeTemporaryAllocation(byteCount: pointLength, alignment: 1) { point -> OpaquePointer? in
            point[0] = 0x04
            UnsafeMutableRawBufferPointer(rebasing: point[1...size]).copyMemory(from: x)
            UnsafeMutableRawBufferPointer(rebasing: point[(1 + size)...]).copyMemory(from: y)
            return passkey_ec_key_from_point(group, UnsafeRawBufferPointer(point).bytePointer, pointLength)
        }
        guard let ecKey else {
            throw CryptoError.openssl(.invalidKey, "EC public key is not on \(curve) (or a coordinate is out of range)")
        }
        guard let pkey = passkey_evp_pkey_sharing_ec_key(ecKey) else {
            passkey_ec_key_free(ecKey)
            throw CryptoError.openssl(.internalFailure, "cannot wrap the \(curve) key (out of memory)")
        }
        return PublicKey(adopting: pkey, kind: .ec(curve), ecKey: ecKey)
    }

    /// Convenience over byte arrays.
    public static func ec(curve: ECCurve, x: [UInt8], y: [UInt8]) throws(CryptoError) -> PublicKey {
        let result = x.withUnsafeBytes { xb in
            y.withUnsafeBytes { yb in
                Result { () throws(CryptoError) -> PublicKey in try ec(curve: curve, x: xb, y: yb) }
            }
        }
        return try result.get()
    }
}

/// One EC_GROUP per curve, made at first use and kept for the life of the process (never freed, never written:
/// `EC_KEY_set_group` only reads it to make each key's copy).
final class ECGroups: @unchecked Sendable {
    static let shared = ECGroups()

    /// Indexed by `ECCurve.shimID`.
    private let groups: [OpaquePointer]

    private init() {
        groups = ECCurve.allCases.sorted { $0.shimID < $1.shimID }.map { curve in
            guard let group = passkey_ec_group_new(curve.shimID) else {
                fatalError("PasskeyCrypto: OpenSSL cannot make the \(curve) group")
            }
            return group
        }
    }

    @inline(__always)
    func group(_ curve: ECCurve) -> OpaquePointer { groups[Int(curve.shimID)] }
}
