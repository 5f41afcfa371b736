/// A message digest.
public enum HashAlgorithm: Sendable, Hashable, CaseIterable {
    case sha1, sha256, sha384, sha512

    /// 20, 32, 48, 64.
    public var digestByteCount: Int {
        switch self {
        case .sha1: 20
        case .sha256: 32
        case .sha384: 48
        case .sha512: 64
        }
    }

    /// The largest `digestByteCount` of any case.
    public static let maximumDigestByteCount = 64

    /// A small dense index (0...3), used to tag cached verify contexts.
    var index: UInt8 {
        switch self {
        case .sha1: 0
        case .sha256: 1
        case .sha384: 2
        case .sha512: 3
        }
    }
}
