public import PasskeyCOSE
public import PasskeyCrypto
import PasskeyCBOR

/// Encodes public keys as COSE_Key maps, keys in CTAP2 canonical order (1, 3, -1, -2, -3).
public enum COSEEncoding {
    /// An AKP key (RFC 9964 §3, §8.1.3): {1: 7, 3: alg, -1: pub}, nothing else.
    public static func encodeAKP(publicKey: [UInt8], algorithm: COSEAlgorithm) -> [UInt8] {
        var w = CBORWriter()
        w.beginMap(3)
        w.writeInt(1); w.writeInt(COSEKeyType.akp.rawValue)
        w.writeInt(3); w.writeInt(algorithm.rawValue)
        w.writeInt(-1); w.writeBytes(publicKey)
        return w.bytes
    }

    public static func encode(_ components: PrivateKey.PublicComponents, algorithm: COSEAlgorithm) -> [UInt8] {
        var w = CBORWriter()
        switch components {
        case let .ec(curve, x, y):
            w.beginMap(5)
            w.writeInt(1); w.writeInt(COSEKeyType.ec2.rawValue)
            w.writeInt(3); w.writeInt(algorithm.rawValue)
            w.writeInt(-1); w.writeInt(coseCurve(curve).rawValue)
            w.writeInt(-2); w.writeBytes(x)
            w.writeInt(-3); w.writeBytes(y)
        case let .edwards(curve, x):
            w.beginMap(4)
            w.writeInt(1); w.writeInt(COSEKeyType.okp.rawValue)
            w.writeInt(3); w.writeInt(algorithm.rawValue)
            w.writeInt(-1); w.writeInt(curve == .ed25519 ? COSECurve.ed25519.rawValue : COSECurve.ed448.rawValue)
            w.writeInt(-2); w.writeBytes(x)
        case let .rsa(n, e):
            w.beginMap(4)
            w.writeInt(1); w.writeInt(COSEKeyType.rsa.rawValue)
            w.writeInt(3); w.writeInt(algorithm.rawValue)
            w.writeInt(-1); w.writeBytes(n)
            w.writeInt(-2); w.writeBytes(e)
        }
        return w.bytes
    }

    public static func coseCurve(_ c: ECCurve) -> COSECurve {
        switch c {
        case .p256: .p256
        case .p384: .p384
        case .p521: .p521
        case .secp256k1: .secp256k1
        }
    }
}
