internal import CPasskeyOpenSSL

extension PublicKey {
    /// An ECDSA public key from affine coordinates.
    ///
    /// `x` and `y` must each be exactly `curve.coordinateByteCount` bytes. The point at
    /// infinity (x = y = 0, which 04||x||y can only express that way) is rejected, and so is
    /// any point off the curve or with a coordinate >= p: OpenSSL's point decoding
    /// (EC_POINT_oct2point inside EVP_PKEY_fromdata) checks both. All supported curves have
    /// cofactor 1, so an on-curve point other than infinity is in the prime-order group and
    /// the costlier full public-key check (an n·Q multiplication, ≈ 30 µs) adds nothing.
    public static func ec(curve: ECCurve, x: UnsafeRawBufferPointer, y: UnsafeRawBufferPointer) throws(CryptoError) -> PublicKey {
        let size = curve.coordinateByteCount
        guard x.count == size, y.count == size else {
            throw CryptoError(.invalidKey, "EC coordinates must be \(size) bytes each for \(curve), got x: \(x.count), y: \(y.count)")
        }
        if x.allSatisfy({ $0 == 0 }) && y.allSatisfy({ $0 == 0 }) {
            throw CryptoError(.invalidKey, "EC public key is the point at infinity")
        }
        let pointLength = 1 + 2 * size
        let pkey = withUnsafeTemporaryAllocation(byteCount: pointLength, alignment: 1) { point -> OpaquePointer? in
            point[0] = 0x04
            UnsafeMutableRawBufferPointer(rebasing: point[1...size]).copyMemory(from: x)
            UnsafeMutableRawBufferPointer(rebasing: point[(1 + size)...]).copyMemory(from: y)
            return passkey_ec_public_key(curve.shimID, UnsafeRawBufferPointer(point).bytePointer, pointLength)
        }
        guard let pkey else {
            throw CryptoError.openssl(.invalidKey, "EC public key is not on \(curve) (or a coordinate is out of range)")
        }
        return PublicKey(adopting: pkey, kind: .ec(curve))
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
